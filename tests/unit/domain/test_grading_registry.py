"""The registry of graders and the shared contract every type follows."""
from __future__ import annotations

import dataclasses

import pytest

from lms.domain.cases import QuestionType as T
from lms.domain.grading import (
    GRADERS,
    BestActionGrader,
    BestWorstResponse,
    MultiResponse,
    RankResponse,
    RateResponse,
    Result,
    grade,
    normalize,
    register,
)

from .builders import question, written

RAW = {
    T.BEST_ACTION: {"choice": "b"},
    T.BEST_WORST: {"best": "a", "worst": "c"},
    T.RANK: {"order": ["b", "a", "c"]},
    T.RATE: {"ratings": {"c": 1, "a": 4, "b": 2}},
    T.MULTI: {"choices": ["c", "a"]},
    T.WRITTEN: {"text": "Lý do", "choice": "a"},
}


def make(kind):
    """A question of the type with options valued 4, 2, 1."""
    return written(4, 2, 1, choice_points=1) if kind is T.WRITTEN else question(kind, 4, 2, 1)


def test_every_question_type_has_exactly_one_grader():
    assert set(GRADERS) == set(T)
    assert all(grader.type is kind for kind, grader in GRADERS.items())


def test_the_registry_is_read_only_and_refuses_a_second_grader_for_a_type():
    with pytest.raises(TypeError):
        GRADERS[T.RANK] = GRADERS[T.BEST_ACTION]  # type: ignore[index]
    with pytest.raises(ValueError, match="already registered"):
        register(BestActionGrader)


@pytest.mark.parametrize("kind", list(T))
def test_normalize_is_idempotent_and_round_trips_through_to_raw(kind):
    q = make(kind)
    response = normalize(q, RAW[kind])
    assert normalize(q, response) == response
    assert normalize(q, response.to_raw()) == response


@pytest.mark.parametrize("kind", list(T))
def test_grade_accepts_raw_or_canonical_responses_alike(kind):
    q = make(kind)
    assert grade(q, RAW[kind]) == grade(q, normalize(q, RAW[kind]))


@pytest.mark.parametrize(
    ("kind", "canonical"),
    [
        (T.BEST_WORST, BestWorstResponse("a", "c")),
        (T.RANK, RankResponse(("b", "a", "c"))),
        (T.MULTI, MultiResponse(("a", "c"))),  # sorted, whatever order was sent
    ],
)
def test_normalize_builds_canonical_dataclasses(kind, canonical):
    assert normalize(make(kind), RAW[kind]) == canonical


def test_ratings_are_kept_in_option_order():
    response = normalize(make(T.RATE), RAW[T.RATE])
    assert isinstance(response, RateResponse)
    assert list(response.ratings) == ["a", "b", "c"]
    assert response.to_raw() == {"ratings": {"a": 4, "b": 2, "c": 1}}


def test_grading_a_canonical_response_rechecks_it_against_the_question():
    from lms.domain.grading import InvalidResponse

    with pytest.raises(InvalidResponse):
        grade(question(T.RANK, 4, 2, 1, 3), RankResponse(("a", "b", "c")))


def test_result_is_frozen_with_empty_details_by_default():
    result = Result(1.0, 2.0)
    assert (result.needs_review, dict(result.details), result.fraction) == (False, {}, 0.5)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.points = 2.0  # type: ignore[misc]
    with pytest.raises(TypeError):
        grade(make(T.RANK), RAW[T.RANK]).details["fraction"] = 0  # type: ignore[index]


def test_fraction_of_a_zero_weight_result_is_zero():
    assert Result(0.0, 0.0).fraction == 0.0


def test_zero_weight_questions_earn_zero_points():
    result = grade(question(T.BEST_ACTION, 4, 2, 1, points=0), {"choice": "a"})
    assert (result.points, result.max_points) == (0.0, 0.0)


def test_details_hold_no_prose():
    """Only numbers, booleans, ids and nested machine data reach the review screen."""
    q = make(T.WRITTEN)
    result = grade(q, {"text": "Một đoạn văn", "choice": "a"}, {"basis": 2, "steps": 1})
    texts = {o.text for o in q.options} | {o.rationale for o in q.options} | {"Một đoạn văn"}

    def strings(value):
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict | type(result.details)):
            for key, item in value.items():
                yield key
                yield from strings(item)

    assert not set(strings(result.details)) & texts
