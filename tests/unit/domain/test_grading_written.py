"""Written answers: the choice part now, the rubric part when an instructor reviews."""
from __future__ import annotations

import pytest

from lms.domain.grading import (
    InvalidResponse,
    WrittenResponse,
    grade,
    normalize,
    normalize_rubric_scores,
)

from .builders import written

WITH_CHOICE = written(4, 2, 1, points=4, choice_points=2)
TEXT_ONLY = written(points=4)


@pytest.mark.parametrize(("choice", "points"), [("a", 2.0), ("b", 0.6667), ("c", 0.0)])
def test_without_rubric_scores_only_the_choice_counts_and_review_is_needed(choice, points):
    result = grade(WITH_CHOICE, {"text": "Phương án", "choice": choice})
    assert (result.points, result.max_points, result.needs_review) == (points, 6.0, True)
    assert result.details["rubric_points"] is None
    assert result.details["rubric"] is None


@pytest.mark.parametrize(
    ("scores", "rubric_points"),
    [
        ({"basis": 2, "steps": 3}, 4.0),
        ({"basis": 2, "steps": 1}, 2.4),  # 4 * 3/5
        ({"basis": 1, "steps": 0}, 0.8),
        ({"basis": 0, "steps": 0}, 0.0),
        ({"basis": 1.0, "steps": 3.0}, 3.2),  # floats that equal a level are fine
    ],
)
def test_rubric_part_scales_the_levels_given_to_points(scores, rubric_points):
    result = grade(WITH_CHOICE, {"text": "x", "choice": "a"}, scores)
    assert result.needs_review is False
    assert result.details["rubric_points"] == rubric_points
    assert result.points == 2.0 + rubric_points


def test_rubric_details_give_points_and_best_per_criterion():
    result = grade(TEXT_ONLY, {"text": "x"}, {"basis": 1, "steps": 3})
    assert result.details["rubric"] == {
        "basis": {"points": 1.0, "max_points": 2.0},
        "steps": {"points": 3.0, "max_points": 3.0},
    }


def test_without_options_max_points_is_the_rubric_weight():
    result = grade(TEXT_ONLY, {"text": "x"}, {"basis": 2, "steps": 3})
    assert (result.points, result.max_points) == (4.0, 4.0)


def test_choice_points_without_options_are_not_counted():
    q = written(points=4, choice_points=2)
    assert grade(q, {"text": "x"}).max_points == 4.0


def test_text_is_canonicalised():
    response = normalize(TEXT_ONLY, {"text": "  Cán bo\u0302\u0323\r\nxã  "})
    assert response == WrittenResponse("Cán bộ\nxã")


def test_a_draft_may_be_empty_and_lack_the_choice():
    assert normalize(WITH_CHOICE, {"text": ""}, draft=True) == WrittenResponse("")
    assert normalize(WITH_CHOICE, {"text": "", "choice": None}, draft=True) == WrittenResponse("")


def test_an_empty_draft_can_still_be_graded_as_zero_awaiting_review():
    result = grade(WITH_CHOICE, {"text": ""})
    assert (result.points, result.needs_review) == (0.0, True)


def test_choice_may_be_none_on_a_question_without_options():
    assert normalize(TEXT_ONLY, {"text": "x", "choice": None}) == WrittenResponse("x")


def test_to_raw_leaves_out_a_missing_choice():
    assert WrittenResponse("x").to_raw() == {"text": "x"}
    assert WrittenResponse("x", "a").to_raw() == {"text": "x", "choice": "a"}


def test_normalize_rubric_scores_returns_floats_in_rubric_order():
    scores = normalize_rubric_scores(TEXT_ONLY, {"steps": 1, "basis": 2})
    assert list(scores.items()) == [("basis", 2.0), ("steps", 1.0)]


def test_bad_rubric_scores_are_rejected_when_grading():
    with pytest.raises(InvalidResponse) as error:
        grade(TEXT_ONLY, {"text": "x"}, {"basis": 2, "steps": 2})
    assert error.value.code == "not_a_level"
    assert dict(error.value.params) == {"criterion": "steps", "points": 2.0}
