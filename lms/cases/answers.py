"""Answer forms built from question definitions: form fields <-> saved state <-> grader responses.

The saved *state* is the form as the learner left it (so a half-finished ranking comes back as
left); `to_response` turns a state into the shape the graders in lms.domain.grading accept.
"""
from __future__ import annotations

from typing import Any, Protocol

from lms.domain.cases import (
    EFFECTIVENESS_MAX,
    EFFECTIVENESS_MIN,
    Question,
    QuestionType,
    Stage,
)
from lms.domain.errors import DomainError

MAX_TEXT = 20_000


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


def _option(question: Question, value: str | None, field: str) -> str | None:
    if value in (None, ""):
        return None
    if question.option(value) is None:
        raise TamperedAnswer(question.id, field)
    return value


def _number(question: Question, value: str | None, low: int, high: int, field: str) -> int | None:
    if value in (None, ""):
        return None
    if not value.isdigit() or not low <= int(value) <= high:
        raise TamperedAnswer(question.id, field)
    return int(value)


def read_question(question: Question, form: FormData) -> dict:
    """The state of one question's fields in a submitted form."""
    name = f"q-{question.id}"
    n = len(question.options)
    kind = question.type
    if kind == QuestionType.BEST_ACTION:
        return {"choice": _option(question, form.get(name), "choice")}
    if kind == QuestionType.BEST_WORST:
        return {"best": _option(question, form.get(f"{name}-best"), "best"),
                "worst": _option(question, form.get(f"{name}-worst"), "worst")}
    if kind == QuestionType.RANK:
        return {"positions": {o.id: _number(question, form.get(f"{name}-rank-{o.id}"), 1, n, "rank")
                              for o in question.options}}
    if kind == QuestionType.RATE:
        return {"ratings": {o.id: _number(question, form.get(f"{name}-rate-{o.id}"), EFFECTIVENESS_MIN,
                                          EFFECTIVENESS_MAX, "rate") for o in question.options}}
    if kind == QuestionType.MULTI:
        chosen = form.getlist(name)
        return {"choices": sorted({_option(question, value, "choices") for value in chosen if value})}
    text = (form.get(f"{name}-text") or "")[:MAX_TEXT]
    state: dict = {"text": text}
    if question.options:
        state["choice"] = _option(question, form.get(name), "choice")
    return state


def read_stage(stage: Stage, form: FormData) -> dict[str, dict]:
    """The states of every question of a stage."""
    return {question.id: read_question(question, form) for question in stage.questions}


def to_response(question: Question, state: dict | None) -> dict | None:
    """The grader's response for a saved state, or None when nothing was answered."""
    if not state:
        return None
    kind = question.type
    if kind == QuestionType.BEST_ACTION:
        return {"choice": state["choice"]} if state.get("choice") else None
    if kind == QuestionType.BEST_WORST:
        picked = {k: state[k] for k in ("best", "worst") if state.get(k)}
        return picked or None
    if kind == QuestionType.RANK:
        positions = {k: v for k, v in state.get("positions", {}).items() if v}
        if not positions:
            return None
        return {"order": [oid for oid, _ in sorted(positions.items(), key=lambda item: item[1])]}
    if kind == QuestionType.RATE:
        ratings = {k: v for k, v in state.get("ratings", {}).items() if v}
        return {"ratings": ratings} if ratings else None
    if kind == QuestionType.MULTI:
        # Every multi question has right options, so picking none is treated as not answered yet.
        return {"choices": list(state["choices"])} if state.get("choices") else None
    response = {"text": state.get("text", "")}
    if question.options and state.get("choice"):
        response["choice"] = state["choice"]
    return response if (response["text"].strip() or "choice" in response) else None


def is_rank_complete(question: Question, state: dict | None) -> bool:
    """True when every option has a position and no two share one."""
    positions = [v for v in (state or {}).get("positions", {}).values() if v]
    return len(positions) == len(question.options) and len(set(positions)) == len(positions)
