"""Untrusted learner responses: the checks on their shape, the error they raise, the canonical base.

Every check raises `InvalidResponse` with a machine `Problem` code and JSON-friendly
params; the web layer turns codes into translated messages.
"""
from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import fields
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from lms.domain.cases import Question

MAX_TEXT_LENGTH = 20_000  # characters of a written answer, after normalising
_ECHO_LENGTH = 64  # untrusted strings echoed in params are cut to this length


class Problem(StrEnum):
    """Machine codes of what is wrong with a response (translated by the web layer)."""

    NOT_A_MAPPING = "not_a_mapping"
    MISSING_FIELD = "missing_field"
    UNEXPECTED_FIELD = "unexpected_field"
    INVALID_TYPE = "invalid_type"
    UNKNOWN_OPTION = "unknown_option"
    DUPLICATE_OPTION = "duplicate_option"
    MISSING_OPTION = "missing_option"
    SAME_OPTION = "same_option"
    NOT_AN_INTEGER = "not_an_integer"
    OUT_OF_RANGE = "out_of_range"
    EMPTY_TEXT = "empty_text"
    TOO_LONG = "too_long"
    UNKNOWN_CRITERION = "unknown_criterion"
    MISSING_CRITERION = "missing_criterion"
    NOT_A_LEVEL = "not_a_level"


class InvalidResponse(ValueError):
    """A response that does not fit its question (tampered or malformed input)."""

    def __init__(self, code: Problem, **params: Any) -> None:
        super().__init__(code, params)
        self.code = code
        self.params: Mapping[str, Any] = MappingProxyType(params)

    def __str__(self) -> str:
        return f"{self.code}: {dict(self.params)}"


class Response:
    """Base of the canonical responses: frozen dataclasses that turn back into their JSON shape."""

    def to_raw(self) -> dict[str, Any]:
        """The response as the plain dict normalize() accepts (None fields left out)."""
        raw = {f.name: getattr(self, f.name) for f in fields(self)}  # type: ignore[arg-type]
        return {name: _plain(value) for name, value in raw.items() if value is not None}


def _plain(value: Any) -> Any:
    """Tuples as lists and mappings as dicts, for JSON."""
    if isinstance(value, tuple):
        return list(value)
    return dict(value) if isinstance(value, Mapping) else value


def echo(value: Any) -> Any:
    """An untrusted scalar safe for error params: short strings, numbers, else its type name."""
    if isinstance(value, str):
        return value[:_ECHO_LENGTH]
    if isinstance(value, bool | int) or (isinstance(value, float) and math.isfinite(value)):
        return value
    return type(value).__name__


def check_fields(
    raw: Any, required: Iterable[str], optional: Iterable[str] = ()
) -> Mapping[str, Any]:
    """The raw mapping when it has every required field and nothing unexpected."""
    if not isinstance(raw, Mapping):
        raise InvalidResponse(Problem.NOT_A_MAPPING, type=type(raw).__name__)
    required = tuple(required)
    for name in required:
        if name not in raw:
            raise InvalidResponse(Problem.MISSING_FIELD, field=name)
    allowed = set(required) | set(optional)
    for name in raw:
        if name not in allowed:
            raise InvalidResponse(Problem.UNEXPECTED_FIELD, field=echo(name))
    return raw


def check_option_id(question: Question, value: Any, field: str) -> str:
    """The id when it names an option of the question."""
    if not isinstance(value, str):
        raise InvalidResponse(Problem.INVALID_TYPE, field=field, type=type(value).__name__)
    if question.option(value) is None:
        raise InvalidResponse(Problem.UNKNOWN_OPTION, field=field, option=echo(value))
    return value


def check_option_ids(question: Question, values: Any, field: str) -> tuple[str, ...]:
    """The ids, in the given order, when they are a list of distinct options of the question."""
    if not isinstance(values, list | tuple):
        raise InvalidResponse(Problem.INVALID_TYPE, field=field, type=type(values).__name__)
    ids = tuple(check_option_id(question, value, field) for value in values)
    seen: set[str] = set()
    for option_id in ids:
        if option_id in seen:
            raise InvalidResponse(Problem.DUPLICATE_OPTION, field=field, option=option_id)
        seen.add(option_id)
    return ids


def check_all_options(question: Question, ids: Iterable[str], field: str) -> None:
    """Raise unless every option of the question is among the ids."""
    present = set(ids)
    for option in question.options:
        if option.id not in present:
            raise InvalidResponse(Problem.MISSING_OPTION, field=field, option=option.id)


def check_integer(value: Any, field: str, low: int, high: int, **where: Any) -> int:
    """The value when it is a true integer (not a bool or float) within low..high."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidResponse(Problem.NOT_AN_INTEGER, field=field, value=echo(value), **where)
    if not low <= value <= high:
        raise InvalidResponse(
            Problem.OUT_OF_RANGE, field=field, value=value, min=low, max=high, **where
        )
    return value


def check_text(value: Any, field: str, *, allow_empty: bool) -> str:
    """The text, NFC-normalised with Unix newlines and outer whitespace stripped."""
    if not isinstance(value, str):
        raise InvalidResponse(Problem.INVALID_TYPE, field=field, type=type(value).__name__)
    text = unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n")).strip()
    if not text and not allow_empty:
        raise InvalidResponse(Problem.EMPTY_TEXT, field=field)
    if len(text) > MAX_TEXT_LENGTH:
        raise InvalidResponse(Problem.TOO_LONG, field=field, length=len(text), max=MAX_TEXT_LENGTH)
    return text


def check_number(value: Any, field: str, **where: Any) -> float:
    """The value as a float when it is a finite int or float (not a bool)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidResponse(Problem.INVALID_TYPE, field=field, type=type(value).__name__, **where)
    if not math.isfinite(value):
        raise InvalidResponse(Problem.INVALID_TYPE, field=field, type="non_finite", **where)
    return float(value)


def normalize_rubric_scores(question: Question, raw: Any) -> Mapping[str, float]:
    """Check an instructor's {criterion_id: points}: every criterion, each on one of its levels."""
    if not isinstance(raw, Mapping):
        raise InvalidResponse(Problem.NOT_A_MAPPING, type=type(raw).__name__)
    known = {criterion.id for criterion in question.rubric}
    for criterion_id in raw:
        if criterion_id not in known:
            raise InvalidResponse(Problem.UNKNOWN_CRITERION, criterion=echo(criterion_id))
    scores: dict[str, float] = {}
    for criterion in question.rubric:
        if criterion.id not in raw:
            raise InvalidResponse(Problem.MISSING_CRITERION, criterion=criterion.id)
        points = check_number(raw[criterion.id], "rubric", criterion=criterion.id)
        if points not in {float(level.points) for level in criterion.levels}:
            raise InvalidResponse(Problem.NOT_A_LEVEL, criterion=criterion.id, points=points)
        scores[criterion.id] = points
    return MappingProxyType(scores)
