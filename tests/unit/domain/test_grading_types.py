"""Table-driven grading of each question type against the scoring table."""
from __future__ import annotations

import pytest

from lms.domain.cases import QuestionType as T
from lms.domain.grading import GRADERS, grade

from .builders import question

KEY = (4, 3, 2, 1)


@pytest.mark.parametrize(
    ("choice", "points"),
    [("a", 2.0), ("b", 1.3333), ("c", 0.6667), ("d", 0.0)],
)
def test_best_action_credits_the_chosen_options_effectiveness(choice, points):
    result = grade(question(T.BEST_ACTION, *KEY, points=2), {"choice": choice})
    assert (result.points, result.max_points, result.needs_review) == (points, 2.0, False)


def test_best_action_details_mark_the_choice_and_expert_values():
    result = grade(question(T.BEST_ACTION, *KEY), {"choice": "b"})
    assert result.details["options"]["b"] == {"effectiveness": 3, "chosen": True}
    assert result.details["options"]["a"] == {"effectiveness": 4, "chosen": False}
    assert result.details["fraction"] == 0.6667


@pytest.mark.parametrize(
    ("values", "best", "worst", "points"),
    [
        (KEY, "a", "d", 1.0),
        (KEY, "b", "d", 0.8333),  # (2/3 + 1) / 2
        (KEY, "a", "c", 0.8333),  # (1 + 2/3) / 2
        (KEY, "a", "b", 0.6667),  # (1 + 1/3) / 2
        (KEY, "d", "a", 0.0),
        ((4, 4, 1), "b", "c", 1.0),  # either best in a tie is full credit
        ((4, 3, 2), "a", "c", 1.0),  # the question's lowest value is the right worst pick
        ((4, 3, 2), "a", "b", 0.75),  # worst half: (4 - 3) / (4 - 2)
    ],
)
def test_best_worst_gives_half_for_each_pick(values, best, worst, points):
    result = grade(question(T.BEST_WORST, *values), {"best": best, "worst": worst})
    assert result.points == points


@pytest.mark.parametrize(
    ("values", "order", "fraction", "discordant", "comparable"),
    [
        (KEY, "abcd", 1.0, 0, 6),
        (KEY, "dcba", 0.0, 6, 6),
        (KEY, "bacd", 0.8333, 1, 6),
        (KEY, "adcb", 0.5, 3, 6),
        ((4, 4, 1), "bac", 1.0, 0, 2),  # a tie in the key is free either way
        ((4, 4, 1), "acb", 0.5, 1, 2),
        ((4, 4, 1), "cab", 0.0, 2, 2),
        ((3, 3, 3), "cba", 1.0, 0, 0),  # no comparable pair: full credit
        ((2, 2, 2, 2), "dacb", 1.0, 0, 0),
    ],
)
def test_rank_counts_pairs_ordered_as_the_expert(values, order, fraction, discordant, comparable):
    result = grade(question(T.RANK, *values), {"order": list(order)})
    assert result.points == fraction
    assert (result.details["discordant"], result.details["comparable"]) == (discordant, comparable)


def test_rank_details_give_each_options_position():
    result = grade(question(T.RANK, 4, 2, 1), {"order": ["c", "a", "b"]})
    assert {k: v["position"] for k, v in result.details["options"].items()} == {
        "a": 2, "b": 3, "c": 1,
    }


@pytest.mark.parametrize(
    ("ratings", "points"),
    [
        ((4, 3, 1), 3.0),
        ((1, 3, 1), 2.0),  # off by 3 of 9
        ((1, 1, 4), 0.3333),  # off by 3 + 2 + 3 = 8 of 9
        ((3, 3, 2), 2.3333),
    ],
)
def test_rate_credits_closeness_to_the_key(ratings, points):
    q = question(T.RATE, 4, 3, 1, points=3)
    result = grade(q, {"ratings": dict(zip("abc", ratings))})
    assert result.points == points


def test_rate_details_give_rating_and_distance():
    result = grade(question(T.RATE, 4, 3, 1), {"ratings": {"a": 2, "b": 3, "c": 1}})
    assert result.details["options"]["a"] == {"effectiveness": 4, "rating": 2, "distance": 2}


MULTI_KEY = (4, 3, 2, 1, 3)  # right picks: a, b, e


@pytest.mark.parametrize(
    ("choices", "points"),
    [
        ("", 0.0),  # empty is allowed and earns nothing
        ("abe", 1.0),
        ("a", 0.3333),
        ("abec", 0.8333),  # a 2 costs half a right pick
        ("abed", 0.6667),  # a 1 costs a whole right pick
        ("abecd", 0.5),
        ("ac", 0.1667),
        ("d", 0.0),  # clamped at zero
        ("abcde", 0.5),
    ],
)
def test_multi_credits_right_picks_and_charges_wrong_ones(choices, points):
    result = grade(question(T.MULTI, *MULTI_KEY), {"choices": list(choices)})
    assert result.points == points


def test_multi_details_count_hits_and_penalties():
    result = grade(question(T.MULTI, *MULTI_KEY), {"choices": ["a", "c", "d"]})
    counts = [result.details[key] for key in ("hits", "picked_weak", "picked_harmful")]
    assert counts == [1, 1, 1]
    assert result.details["options"]["c"] == {"effectiveness": 2, "chosen": True, "right": False}


def test_multi_without_a_right_option_rewards_leaving_wrong_ones_alone():
    q = question(T.MULTI, 2, 1, 2)
    assert grade(q, {"choices": []}).points == 1.0
    assert grade(q, {"choices": ["a"]}).points == 0.0


@pytest.mark.parametrize("kind", [t for t in T if t is not T.WRITTEN])
def test_max_points_is_the_question_weight(kind):
    q = question(kind, 4, 3, 1, points=2.5)
    assert GRADERS[kind].max_points(q) == 2.5


def test_scores_are_rounded_to_four_decimals():
    result = grade(question(T.BEST_ACTION, 4, 2, 1, points=1), {"choice": "b"})
    assert result.points == 0.3333
    assert result.fraction == pytest.approx(0.3333)
