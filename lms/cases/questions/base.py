"""The web side of a question type: reading its form fields, the saved state, completeness, review marks,
its instruction, its input template, and an example answer for the demo and the tests.

A question type is two modules: its pure grader in `lms/domain/questions/<type>.py` and its web side
here, `lms/cases/questions/<type>.py` (with its input template `cases/questions/<type>.html`).
"""
from __future__ import annotations

import random
from abc import ABC, abstractmethod
from typing import Any, ClassVar, Protocol

from lms.domain.cases import Question, QuestionType
from lms.domain.errors import DomainError
from lms.domain.presentation import ShownQuestion
from lms.domain.responses import MAX_TEXT_LENGTH as MAX_TEXT

AnswerState = dict[str, Any]  # the form as the learner left it, stored as JSON on the answer


class FormData(Protocol):
    """What a request's form offers (werkzeug's MultiDict)."""

    def get(self, key: str, default: Any = None) -> Any: ...
    def getlist(self, key: str) -> list[str]: ...


class TamperedAnswer(DomainError, ValueError):
    """Form values no honest form could send: an unknown option, a rank out of range..."""

    default_code = "tampered_answer"

    def __init__(self, question_id: str, field: str):
        super().__init__(question_id=question_id, field=field)
        self.question_id, self.field = question_id, field


class AnswerTooLong(DomainError):
    """A written answer longer than the limit: refused whole, with a message, never cut."""

    default_code = "answer_too_long"
    status = 422

    def __init__(self, question_id: str, length: int, posted: dict[str, Any]):
        super().__init__(question_id=question_id, length=length, max=MAX_TEXT)
        self.question_id, self.length, self.posted = question_id, length, posted


def field_name(question: Question, suffix: str = "") -> str:
    """The form field name of a question (and of one of its parts)."""
    return f"q-{question.id}" + (f"-{suffix}" if suffix else "")


def option_value(view: ShownQuestion, value: str | None, field: str) -> str | None:
    """The option id a posted token stands for, None when empty; a token naming no option is tampering."""
    if value in (None, ""):
        return None
    option_id = view.option_id(value)
    if option_id is None:
        raise TamperedAnswer(view.question.id, field)
    return option_id


def number_value(question: Question, value: str | None, low: int, high: int, field: str) -> int | None:
    """A whole number from the form within [low, high], None when empty; anything else is tampering."""
    if value in (None, ""):
        return None
    if not value.isdigit() or not low <= int(value) <= high:
        raise TamperedAnswer(question.id, field)
    return int(value)


def by_value(question: Question) -> list:
    """The question's options, best first."""
    return sorted(question.options, key=lambda o: -o.effectiveness)


def option_field(view: ShownQuestion, kind: str, option) -> str:
    """The name of a per-option field (rank, rate): by the option's token, never its authored id."""
    return field_name(view.question, f"{kind}-{view.token(option)}")


class QuestionUI(ABC):
    """One question type as the web shows it; subclasses override what differs."""

    type: ClassVar[QuestionType]

    @property
    def template(self) -> str:
        """The Jinja partial that draws the type's inputs."""
        return f"cases/questions/{self.type.value}.html"

    @abstractmethod
    def instruction(self) -> str:
        """How to answer, shown above the question (translated)."""

    @abstractmethod
    def read(self, view: ShownQuestion, form: FormData) -> AnswerState:
        """The state of the question's fields in a submitted form, by authored ids (raises TamperedAnswer)."""

    @abstractmethod
    def to_response(self, question: Question, state: AnswerState) -> dict | None:
        """The grader's response for a saved state, or None when nothing was answered."""

    def incomplete(self, question: Question, state: AnswerState | None) -> str | None:
        """A code when a started answer cannot be graded yet as the learner left it (checked before grading)."""
        return None

    def marks(self, question: Question, state: AnswerState) -> dict[str, str]:
        """For the review: option id -> what the learner did with it ('chosen', 'best', '2' ...)."""
        return {state["choice"]: "chosen"} if state.get("choice") else {}

    @abstractmethod
    def example_form(self, view: ShownQuestion, good: bool, rng: random.Random) -> list[tuple[str, str]]:
        """Form fields a learner might send: the key's answer when good, a plausible other one when not."""


_UIS: dict[QuestionType, QuestionUI] = {}


def register(cls: type[QuestionUI]) -> type[QuestionUI]:
    """Class decorator adding one web plugin per question type."""
    if cls.type in _UIS:
        raise ValueError(f"a web plugin for {cls.type} is already registered")
    _UIS[cls.type] = cls()
    return cls


def ui_for(question: Question | str) -> QuestionUI:
    """The web plugin of a question (or of a type name)."""
    kind = question if isinstance(question, str) else question.type
    return _UIS[QuestionType(kind)]


def registered_types() -> list[QuestionType]:
    """Every question type with a web plugin, in registration order."""
    return list(_UIS)
