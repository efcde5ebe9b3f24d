"""Properties every grader keeps, over generated valid questions and responses."""
from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lms.domain.cases import QuestionType as T
from lms.domain.grading import grade, max_points, normalize

from .builders import question
from .strategies import expert_response, expert_rubric_scores, graded_inputs, questions

FAST = settings(max_examples=20, deadline=None)  # a few ms an example: keep the suite to seconds
TYPES = pytest.mark.parametrize("kind", list(T))


def expected_max(q):
    """question.points, plus choice_points for a written question with options."""
    extra = q.choice_points if q.type is T.WRITTEN and q.options else 0.0
    return q.points + extra


@TYPES
@FAST
@given(data=st.data())
def test_points_stay_within_zero_and_the_maximum(kind, data):
    q, raw, scores = data.draw(graded_inputs(kind))
    response = normalize(q, raw)
    assert normalize(q, response.to_raw()) == response  # and the canonical form round-trips
    result = grade(q, response, scores)
    assert result.max_points == pytest.approx(expected_max(q)) == max_points(q)
    assert 0.0 <= result.points <= result.max_points
    assert result.needs_review is (kind is T.WRITTEN and scores is None)


@TYPES
@FAST
@given(data=st.data())
def test_presenting_options_in_another_order_never_changes_the_score(kind, data):
    q, raw, scores = data.draw(graded_inputs(kind))
    shuffled = dataclasses.replace(q, options=tuple(data.draw(st.permutations(q.options))))
    assert grade(shuffled, raw, scores).points == grade(q, raw, scores).points


@TYPES
@FAST
@given(data=st.data())
def test_the_experts_own_answer_earns_full_marks(kind, data):
    q = data.draw(questions(kind))
    result = grade(q, expert_response(q), expert_rubric_scores(q))
    assert result.points == pytest.approx(result.max_points, abs=1e-4)
    assert result.needs_review is False


@FAST
@given(data=st.data())
def test_a_better_single_choice_never_earns_less(data):
    q = data.draw(questions(T.BEST_ACTION))
    first, second = data.draw(st.permutations(q.options))[:2]
    better, worse = sorted((first, second), key=lambda o: -o.effectiveness)
    assert grade(q, {"choice": better.id}).points >= grade(q, {"choice": worse.id}).points


@FAST
@given(data=st.data())
def test_ranking_the_key_backwards_earns_nothing_when_values_are_distinct(data):
    values = data.draw(st.permutations([4, 3, 2, 1]))
    q = question(T.RANK, *values, points=data.draw(st.sampled_from([0.5, 1.0, 3.0])))
    order = [o.id for o in sorted(q.options, key=lambda o: o.effectiveness)]
    assert grade(q, {"order": order}).points == 0.0
