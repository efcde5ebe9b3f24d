"""Tampered or malformed responses raise InvalidResponse with a machine code and params."""
from __future__ import annotations

import pytest

from lms.domain.cases import QuestionType as T
from lms.domain.grading import (
    InvalidResponse,
    Problem,
    grade,
    normalize,
    normalize_rubric_scores,
)
from lms.domain.responses import MAX_TEXT_LENGTH

from .builders import question, written

ABC = {"a": 4, "b": 2, "c": 1}


def rated(**changes):
    """Valid ratings for options a, b, c with some changed."""
    return {"ratings": {"a": 4, "b": 2, "c": 1, **changes}}


CASES = [
    # any type: the envelope
    (T.BEST_ACTION, "a", Problem.NOT_A_MAPPING, {"type": "str"}),
    (T.BEST_ACTION, None, Problem.NOT_A_MAPPING, {"type": "NoneType"}),
    (T.BEST_ACTION, [("choice", "a")], Problem.NOT_A_MAPPING, {"type": "list"}),
    (T.BEST_ACTION, {}, Problem.MISSING_FIELD, {"field": "choice"}),
    (T.BEST_ACTION, {"choice": "a", "extra": 1}, Problem.UNEXPECTED_FIELD, {"field": "extra"}),
    # best_action
    (T.BEST_ACTION, {"choice": "z"}, Problem.UNKNOWN_OPTION, {"field": "choice", "option": "z"}),
    (T.BEST_ACTION, {"choice": 1}, Problem.INVALID_TYPE, {"field": "choice", "type": "int"}),
    (T.BEST_ACTION, {"choice": None}, Problem.INVALID_TYPE, {"field": "choice"}),
    (T.BEST_ACTION, {"choice": ["a"]}, Problem.INVALID_TYPE, {"field": "choice"}),
    (T.BEST_ACTION, {"choice": "A"}, Problem.UNKNOWN_OPTION, {"option": "A"}),
    # best_worst
    (T.BEST_WORST, {"best": "a", "worst": "a"}, Problem.SAME_OPTION, {"option": "a"}),
    (T.BEST_WORST, {"best": "a"}, Problem.MISSING_FIELD, {"field": "worst"}),
    (T.BEST_WORST, {"best": "z", "worst": "a"}, Problem.UNKNOWN_OPTION, {"field": "best"}),
    (T.BEST_WORST, {"best": "a", "worst": "z"}, Problem.UNKNOWN_OPTION, {"field": "worst"}),
    # rank
    (T.RANK, {"order": ["a", "b"]}, Problem.MISSING_OPTION, {"option": "c"}),
    (T.RANK, {"order": []}, Problem.MISSING_OPTION, {"option": "a"}),
    (T.RANK, {"order": ["a", "a", "b", "c"]}, Problem.DUPLICATE_OPTION, {"option": "a"}),
    (T.RANK, {"order": ["a", "b", "c", "z"]}, Problem.UNKNOWN_OPTION, {"option": "z"}),
    (T.RANK, {"order": "abc"}, Problem.INVALID_TYPE, {"field": "order", "type": "str"}),
    (T.RANK, {"order": {"a": 1}}, Problem.INVALID_TYPE, {"field": "order"}),
    # rate
    (T.RATE, rated(a=5), Problem.OUT_OF_RANGE, {"option": "a", "value": 5, "min": 1, "max": 4}),
    (T.RATE, rated(b=0), Problem.OUT_OF_RANGE, {"option": "b", "value": 0}),
    (T.RATE, rated(a=-1), Problem.OUT_OF_RANGE, {"option": "a"}),
    (T.RATE, rated(a=2.5), Problem.NOT_AN_INTEGER, {"option": "a", "value": 2.5}),
    (T.RATE, rated(a=4.0), Problem.NOT_AN_INTEGER, {"option": "a"}),
    (T.RATE, rated(a=True), Problem.NOT_AN_INTEGER, {"option": "a", "value": True}),
    (T.RATE, rated(a="4"), Problem.NOT_AN_INTEGER, {"option": "a", "value": "4"}),
    (T.RATE, rated(a=None), Problem.NOT_AN_INTEGER, {"option": "a", "value": "NoneType"}),
    (T.RATE, {"ratings": {"a": 4, "c": 1}}, Problem.MISSING_OPTION, {"option": "b"}),
    (T.RATE, rated(z=1), Problem.UNKNOWN_OPTION, {"option": "z"}),
    (T.RATE, {"ratings": {1: 4}}, Problem.INVALID_TYPE, {"field": "ratings", "type": "int"}),
    (T.RATE, {"ratings": [4, 2, 1]}, Problem.INVALID_TYPE, {"field": "ratings", "type": "list"}),
    # multi
    (T.MULTI, {"choices": ["a", "a"]}, Problem.DUPLICATE_OPTION, {"option": "a"}),
    (T.MULTI, {"choices": ["z"]}, Problem.UNKNOWN_OPTION, {"option": "z"}),
    (T.MULTI, {"choices": "a"}, Problem.INVALID_TYPE, {"field": "choices"}),
    (T.MULTI, {"choices": None}, Problem.INVALID_TYPE, {"field": "choices"}),
    (T.MULTI, {"choices": {"a"}}, Problem.INVALID_TYPE, {"type": "set"}),
    (T.MULTI, {}, Problem.MISSING_FIELD, {"field": "choices"}),
]


@pytest.mark.parametrize(("kind", "raw", "code", "params"), CASES)
def test_tampered_input_is_rejected_with_a_code(kind, raw, code, params):
    q = question(kind, *ABC.values())
    with pytest.raises(InvalidResponse) as error:
        normalize(q, raw)
    assert error.value.code == code
    assert params.items() <= error.value.params.items()


@pytest.mark.parametrize(("kind", "raw", "code", "params"), CASES[:8])
def test_grade_checks_the_response_too(kind, raw, code, params):
    with pytest.raises(InvalidResponse) as error:
        grade(question(kind, *ABC.values()), raw)
    assert error.value.code == code


def test_an_echoed_option_is_cut_short():
    with pytest.raises(InvalidResponse) as error:
        normalize(question(T.BEST_ACTION, 4, 2, 1), {"choice": "z" * 10_000})
    assert error.value.params["option"] == "z" * 64


def test_invalid_response_is_a_value_error_with_a_readable_repr():
    error = InvalidResponse(Problem.UNKNOWN_OPTION, option="z")
    assert isinstance(error, ValueError)
    assert str(error) == "unknown_option: {'option': 'z'}"


CHOICE = written(4, 2, 1, choice_points=1)
TEXT_ONLY = written()

WRITTEN_CASES = [
    (CHOICE, {"text": "", "choice": "a"}, Problem.EMPTY_TEXT, {"field": "text"}),
    (CHOICE, {"text": " \n\t ", "choice": "a"}, Problem.EMPTY_TEXT, {"field": "text"}),
    (CHOICE, {"text": "x"}, Problem.MISSING_FIELD, {"field": "choice"}),
    (CHOICE, {"text": "x", "choice": None}, Problem.MISSING_FIELD, {"field": "choice"}),
    (CHOICE, {"text": "x", "choice": "z"}, Problem.UNKNOWN_OPTION, {"option": "z"}),
    (CHOICE, {"choice": "a"}, Problem.MISSING_FIELD, {"field": "text"}),
    (CHOICE, {"text": 5, "choice": "a"}, Problem.INVALID_TYPE, {"field": "text", "type": "int"}),
    (TEXT_ONLY, {"text": "x", "choice": "a"}, Problem.UNEXPECTED_FIELD, {"field": "choice"}),
    (TEXT_ONLY, {"text": "x" * (MAX_TEXT_LENGTH + 1)}, Problem.TOO_LONG, {"max": MAX_TEXT_LENGTH}),
]


@pytest.mark.parametrize(("q", "raw", "code", "params"), WRITTEN_CASES)
def test_submitted_written_answers_are_checked(q, raw, code, params):
    with pytest.raises(InvalidResponse) as error:
        normalize(q, raw)
    assert error.value.code == code
    assert params.items() <= error.value.params.items()


def test_a_draft_still_rejects_an_unknown_choice():
    with pytest.raises(InvalidResponse) as error:
        normalize(CHOICE, {"text": "", "choice": "z"}, draft=True)
    assert error.value.code == Problem.UNKNOWN_OPTION


@pytest.mark.parametrize(
    ("raw", "code", "params"),
    [
        ({"basis": 1.5, "steps": 0}, Problem.NOT_A_LEVEL, {"criterion": "basis", "points": 1.5}),
        ({"basis": 3, "steps": 0}, Problem.NOT_A_LEVEL, {"criterion": "basis"}),
        ({"basis": -1, "steps": 0}, Problem.NOT_A_LEVEL, {"criterion": "basis"}),
        ({"basis": 1}, Problem.MISSING_CRITERION, {"criterion": "steps"}),
        ({"basis": 1, "steps": 0, "style": 1}, Problem.UNKNOWN_CRITERION, {"criterion": "style"}),
        ({"basis": True, "steps": 0}, Problem.INVALID_TYPE, {"criterion": "basis", "type": "bool"}),
        ({"basis": "2", "steps": 0}, Problem.INVALID_TYPE, {"criterion": "basis", "type": "str"}),
        ({"basis": float("nan"), "steps": 0}, Problem.INVALID_TYPE, {"type": "non_finite"}),
        ({"basis": float("inf"), "steps": 0}, Problem.INVALID_TYPE, {"type": "non_finite"}),
        ([("basis", 1)], Problem.NOT_A_MAPPING, {"type": "list"}),
    ],
)
def test_rubric_scores_must_sit_on_a_level_of_every_criterion(raw, code, params):
    with pytest.raises(InvalidResponse) as error:
        normalize_rubric_scores(TEXT_ONLY, raw)
    assert error.value.code == code
    assert params.items() <= error.value.params.items()
