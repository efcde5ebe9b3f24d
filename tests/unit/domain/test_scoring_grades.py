"""The 10-point scale, combining attempts, the module grade and its classification."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lms.domain.scoring import (
    DEFAULT_BANDS,
    Band,
    Classification,
    GradingPolicy,
    classify,
    combine_attempts,
    is_passed,
    module_grade,
    to_ten_point,
)


@pytest.mark.parametrize(
    ("points", "max_points", "score10"),
    [
        (5, 8, 6.3),  # 6.25 rounds up
        (6.25, 10, 6.3),
        (6.35, 10, 6.4),  # the float 6.35 is a hair below; Decimal keeps it half-up
        (0.05, 1, 0.5),
        (9.95, 10, 10.0),
        (1, 3, 3.3),
        (2, 3, 6.7),
        (0, 4, 0.0),
        (4, 4, 10.0),
        (0.9999, 1, 10.0),
        (-1, 4, 0.0),  # clamped
        (5, 4, 10.0),  # clamped
    ],
)
def test_to_ten_point_rounds_half_up_to_one_decimal(points, max_points, score10):
    assert to_ten_point(points, max_points) == score10


@pytest.mark.parametrize("max_points", [0, -1])
def test_to_ten_point_needs_a_positive_maximum(max_points):
    with pytest.raises(ValueError):
        to_ten_point(0, max_points)


@settings(max_examples=50, deadline=None)
@given(st.floats(0, 1000), st.floats(0.0001, 1000))
def test_to_ten_point_stays_on_the_scale(points, max_points):
    assert 0.0 <= to_ten_point(points, max_points) <= 10.0


@pytest.mark.parametrize(
    ("scores", "policy", "expected"),
    [
        ([6.0, 8.5, 7.0], GradingPolicy.BEST, 8.5),
        ([6.0, 8.5, 7.0], GradingPolicy.LAST, 7.0),
        ([6.0, 8.5, 7.0], GradingPolicy.AVERAGE, 7.2),  # 7.1666...
        ([6.2, 6.3], GradingPolicy.AVERAGE, 6.3),  # 6.25 rounds up
        ([4.0], GradingPolicy.AVERAGE, 4.0),
        ([9.0, 3.0], "last", 3.0),  # the module file's string works too
        ([], GradingPolicy.BEST, None),
        ([], GradingPolicy.AVERAGE, None),
    ],
)
def test_combine_attempts_by_policy(scores, policy, expected):
    assert combine_attempts(scores, policy) == expected


def test_an_unknown_policy_is_refused():
    with pytest.raises(ValueError):
        combine_attempts([5.0], "median")


@pytest.mark.parametrize(
    ("case_scores", "required", "expected"),
    [
        ({"a": 8.0, "b": 6.5}, ["a", "b"], 7.3),  # 7.25 rounds up
        ({"a": 8.0, "b": 6.5, "optional": 0.0}, ["a", "b"], 7.3),
        ({"a": 8.0}, ["a", "b"], None),  # b not attempted
        ({"a": 8.0, "b": None}, ["a", "b"], None),  # b awaiting review
        ({"a": 8.0}, ["a", "a"], 8.0),
        ({"a": 8.0}, [], None),
        ({"a": 0.0, "b": 10.0, "c": 5.0}, ("a", "b", "c"), 5.0),
    ],
)
def test_module_grade_is_the_mean_of_required_cases(case_scores, required, expected):
    assert module_grade(case_scores, required) == expected


@pytest.mark.parametrize(
    ("score10", "code"),
    [
        (10.0, "excellent"), (9.0, "excellent"), (8.99, "good"), (8.0, "good"),
        (7.99, "fair"), (7.0, "fair"), (6.99, "average"), (5.0, "average"),
        (4.99, "fail"), (0.0, "fail"),
    ],
)
def test_classification_bands(score10, code):
    assert classify(score10) == code


def test_codes_are_stable_strings():
    assert [band.code for band in DEFAULT_BANDS] == [
        "excellent", "good", "fair", "average", "fail",
    ]
    assert isinstance(classify(9.5), str) and classify(9.5) is Classification.EXCELLENT


@pytest.mark.parametrize("score10", [-0.1, 10.1])
def test_classify_refuses_scores_off_the_scale(score10):
    with pytest.raises(ValueError):
        classify(score10)


def test_classify_accepts_other_bands_in_any_order():
    bands = (Band(0.0, Classification.FAIL), Band(6.0, Classification.GOOD))
    assert (classify(5.9, bands), classify(6.0, bands)) == ("fail", "good")


def test_classify_needs_a_band_for_every_score():
    with pytest.raises(ValueError):
        classify(1.0, (Band(5.0, Classification.AVERAGE),))


@pytest.mark.parametrize(
    ("score10", "pass_mark", "passed"),
    [(5.0, 5.0, True), (4.99, 5.0, False), (None, 5.0, False), (10.0, 5.0, True),
     (6.9, 7.0, False), (7.0, 7.0, True)],
)
def test_is_passed(score10, pass_mark, passed):
    assert is_passed(score10, pass_mark) is passed


def test_default_pass_mark_is_five():
    assert is_passed(5.0) and not is_passed(4.9)


def test_knowledge_checks_count_for_their_weight_in_the_module_grade():
    from lms.domain.scoring import module_grade

    scores = {"ca-1": 8.0, "ca-2": 6.0, "kt-1": 10.0}
    assert module_grade(scores, ["ca-1", "ca-2"], ["kt-1"], 0.2) == 7.6  # 0.8 * 7.0 + 0.2 * 10.0
    assert module_grade(scores, ["ca-1", "ca-2"]) == 7.0  # without checks: the cases' mean, as before
    assert module_grade(scores, [], ["kt-1"], 0.2) == 10.0  # only checks: their mean
    assert module_grade({"ca-1": 8.0, "kt-1": None}, ["ca-1"], ["kt-1"], 0.2) is None  # a check not done yet


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        # 0.8 * 4.85 + 0.2 * 5.3 = 4.94: not a pass. Rounding the cases' mean first (4.9) gave 4.98, shown 5.0
        ({"ca-1": 4.8, "ca-2": 4.9, "kt-1": 5.3}, 4.9),
        # 0.8 * 8.666… + 0.2 * 10 = 8.933…: 8.9, where the rounded mean (8.7) gave 8.96, shown 9.0
        ({"ca-1": 8.5, "ca-2": 7.5, "ca-3": 10.0, "kt-1": 10.0}, 8.9),
        ({"ca-1": 6.0, "ca-2": 6.5, "kt-1": 7.0, "kt-2": 7.5}, 6.5),  # 0.8 * 6.25 + 0.2 * 7.25 = 6.45, half up
    ],
)
def test_the_module_grade_is_rounded_once(scores, expected):
    from lms.domain.scoring import module_grade

    cases = [slug for slug in scores if slug.startswith("ca-")]
    checks = [slug for slug in scores if slug.startswith("kt-")]
    assert module_grade(scores, cases, checks, 0.2) == expected


def test_the_attempts_a_case_score_comes_from():
    from lms.domain.scoring import counting_attempts

    assert counting_attempts([6.0, 9.0, 9.0, 7.0], "best") == {1}  # the first of the tied best
    assert counting_attempts([6.0, 9.0, 7.0], "last") == {2}
    assert counting_attempts([6.0, 9.0, 7.0], "average") == {0, 1, 2}
    assert counting_attempts([], "best") == frozenset()
