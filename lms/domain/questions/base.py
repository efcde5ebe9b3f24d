"""The contract every question type's grader keeps, the registry, and the shared arithmetic of credit.

Each grader (modelled on CTFd's flag classes) has `normalize(question, raw, *, draft=False)`, which checks an
untrusted response and returns its canonical dataclass (raises `InvalidResponse`), and `grade(question,
response, rubric_scores=None)`, which returns a `Result`. One module per type in this package registers one.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from types import MappingProxyType
from typing import Any, ClassVar

from lms.domain.cases import (
    EFFECTIVENESS_MAX,
    EFFECTIVENESS_MIN,
    Option,
    Question,
    QuestionType,
)
from lms.domain.responses import (
    Response,
)

SCALE_SPAN = EFFECTIVENESS_MAX - EFFECTIVENESS_MIN
RIGHT_MIN = 3  # multi: options valued 3..4 are the right picks
WEAK_VALUE = 2  # multi: picking a 2 costs half a right pick ...
WEAK_PENALTY = 0.5
HARMFUL_PENALTY = 1.0  # ... and picking a 1 (harmful) costs a whole one
POINT_PLACES = 4
_EMPTY: Mapping[str, Any] = MappingProxyType({})


def round_half_up(value: float, places: int) -> float:
    """The value rounded half away from zero to `places` decimals, via its shortest decimal form."""
    quantum = Decimal(1).scaleb(-places)
    return float(Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Result:
    """Points earned out of max_points, and machine data for the review screen (no prose)."""

    points: float
    max_points: float
    needs_review: bool = False
    details: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)

    @property
    def fraction(self) -> float:
        """The share of max_points earned (0 when max_points is 0)."""
        return self.points / self.max_points if self.max_points > 0 else 0.0


def _points(fraction: float, max_points: float) -> float:
    """The points for a fraction of max_points: clamped, rounded, never above the maximum."""
    fraction = min(max(fraction, 0.0), 1.0)
    return min(round_half_up(fraction * max_points, POINT_PLACES), max_points)


def _result(max_points: float, fraction: float, **details: Any) -> Result:
    """A Result for a fraction of max_points, with the fraction among the details."""
    details["fraction"] = round_half_up(min(max(fraction, 0.0), 1.0), POINT_PLACES)
    return Result(_points(fraction, max_points), max_points, details=MappingProxyType(details))


def _options(question: Question, **columns: Callable[[Option], Any]) -> dict[str, Any]:
    """Per-option review data: the expert value plus one entry per column."""
    return {
        o.id: {"effectiveness": o.effectiveness} | {name: col(o) for name, col in columns.items()}
        for o in question.options
    }


def _effectiveness(question: Question, option_id: str) -> int:
    """The expert value of an option already checked to exist."""
    option = question.option(option_id)
    assert option is not None  # normalize() has checked every id
    return option.effectiveness


def best_fraction(effectiveness: int) -> float:
    """Credit for picking an option as the best: 0 for a 1, full for a 4."""
    return (effectiveness - EFFECTIVENESS_MIN) / SCALE_SPAN


def worst_fraction(question: Question, effectiveness: int) -> float:
    """Credit for the worst pick: full for the question's lowest value, none for a 4."""
    lowest = min(o.effectiveness for o in question.options)
    if lowest >= EFFECTIVENESS_MAX:
        return 1.0
    return (EFFECTIVENESS_MAX - effectiveness) / (EFFECTIVENESS_MAX - lowest)


class Grader(ABC):
    """One question type: how to check a response and how to grade it."""

    type: ClassVar[QuestionType]
    response_type: ClassVar[type[Response]]
    option_count: ClassVar[tuple[int, int]] = (3, 8)  # how many options a question of the type may have

    def normalize(self, question: Question, raw: Any, *, draft: bool = False) -> Any:
        """The canonical response for raw input (or a canonical one); raises InvalidResponse."""
        if isinstance(raw, self.response_type):
            raw = raw.to_raw()
        return self.parse(question, raw, draft)

    def grade(self, question: Question, response: Any, rubric_scores: Any = None) -> Result:
        """The Result for a response (raw or canonical), re-checked against the question."""
        return self.score(question, self.normalize(question, response, draft=True), rubric_scores)

    def max_points(self, question: Question) -> float:
        """The most a question of this type can earn."""
        return float(question.points)

    @abstractmethod
    def parse(self, question: Question, raw: Any, draft: bool) -> Any:
        """Check raw input and build the canonical response."""

    @abstractmethod
    def score(self, question: Question, response: Any, rubric_scores: Any) -> Result:
        """Grade a canonical response."""


_GRADERS: dict[QuestionType, Grader] = {}
GRADERS: Mapping[QuestionType, Grader] = MappingProxyType(_GRADERS)


def register(cls: type[Grader]) -> type[Grader]:
    """Class decorator adding one grader per question type to GRADERS."""
    if cls.type in _GRADERS:
        raise ValueError(f"a grader for {cls.type} is already registered")
    _GRADERS[cls.type] = cls()
    return cls


def grader_for(question: Question) -> Grader:
    """The registered grader for the question's type."""
    return GRADERS[QuestionType(question.type)]


def normalize(question: Question, raw: Any, *, draft: bool = False) -> Any:
    """Check an untrusted response to a question and return its canonical form."""
    return grader_for(question).normalize(question, raw, draft=draft)


def grade(question: Question, response: Any, rubric_scores: Any = None) -> Result:
    """Grade a response to a question with the grader registered for its type."""
    return grader_for(question).grade(question, response, rubric_scores)


def max_points(question: Question) -> float:
    """The most a question can earn."""
    return grader_for(question).max_points(question)
