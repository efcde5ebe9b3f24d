"""The path an attempt takes through a branching case, and the score over that path."""
from __future__ import annotations

import pytest

from lms.domain.cases import QuestionType as T
from lms.domain.grading import BestActionResponse, InvalidResponse
from lms.domain.scoring import (
    is_path_complete,
    is_reachable,
    next_stage_id,
    off_path_question_ids,
    score_attempt,
    stage_of_question,
    walk_path,
)

from .builders import case, question, stage, written

# s1 --a--> s2a --> s3        (c has no `next`, so it follows s1's default: s2a)
#    --b--> s2b --> s3
CASE = case(
    stage("s1", question(T.BEST_ACTION, 4, 1, 3, qid="q1", points=2,
                         nexts={"a": "s2a", "b": "s2b"}), next="s2a"),
    stage("s2a", question(T.RANK, 4, 3, 1, qid="q2"), next="s3"),
    stage("s2b", question(T.MULTI, 4, 3, 1, qid="q3"), next="s3"),
    stage("s3", written(qid="q4", points=4), question(T.RATE, 4, 3, 1, qid="q5")),
)
Q2 = {"order": ["a", "b", "c"]}
Q3 = {"choices": ["a", "b"]}
Q4 = {"text": "Phương án xử lý"}
Q5 = {"ratings": {"a": 4, "b": 3, "c": 1}}
VIA_A = {"q1": {"choice": "a"}, "q2": Q2, "q4": Q4, "q5": Q5}
VIA_B = {"q1": {"choice": "b"}, "q3": Q3, "q4": Q4, "q5": Q5}
FULL_RUBRIC = {"q4": {"basis": 2, "steps": 3}}


@pytest.mark.parametrize(
    ("responses", "path", "complete"),
    [
        ({}, ("s1",), False),
        ({"q1": None}, ("s1",), False),  # None is not an answer
        ({"q1": {"choice": "a"}}, ("s1", "s2a"), False),
        ({"q1": {"choice": "b"}}, ("s1", "s2b"), False),
        ({"q1": {"choice": "c"}}, ("s1", "s2a"), False),  # no `next`: the stage's default
        ({"q1": BestActionResponse("b")}, ("s1", "s2b"), False),
        ({"q1": {"choice": "a"}, "q2": Q2}, ("s1", "s2a", "s3"), False),
        ({"q1": {"choice": "a"}, "q2": Q2, "q4": Q4}, ("s1", "s2a", "s3"), False),
        (VIA_A, ("s1", "s2a", "s3"), True),
        (VIA_B, ("s1", "s2b", "s3"), True),
    ],
)
def test_walk_follows_the_branch_chosen_and_stops_at_an_unfinished_stage(responses, path, complete):
    assert walk_path(CASE, responses) == path
    assert is_path_complete(CASE, responses) is complete


def test_next_stage_is_the_chosen_options_next_else_the_stage_default():
    s1 = CASE.start
    assert next_stage_id(s1, {"q1": {"choice": "b"}}) == "s2b"
    assert next_stage_id(s1, {"q1": {"choice": "c"}}) == "s2a"
    assert next_stage_id(s1, {}) == "s2a"
    assert next_stage_id(CASE.stage("s3"), VIA_A) is None


def test_a_tampered_branch_choice_is_rejected():
    with pytest.raises(InvalidResponse) as error:
        walk_path(CASE, {"q1": {"choice": "z"}})
    assert error.value.code == "unknown_option"


@pytest.mark.parametrize(
    ("stage_id", "reachable"),
    [("s1", True), ("s2a", True), ("s2b", False), ("s3", False), ("x", False)],
)
def test_only_stages_on_the_path_so_far_are_reachable(stage_id, reachable):
    path = walk_path(CASE, {"q1": {"choice": "a"}})
    assert is_reachable(CASE, path, stage_id) is reachable


def test_answers_off_the_path_are_reported():
    responses = {"q1": {"choice": "a"}, "q3": Q3, "zz": {"choice": "a"}}
    assert off_path_question_ids(CASE, responses) == ("q3", "zz")
    assert off_path_question_ids(CASE, VIA_A) == ()


def test_changing_the_branch_choice_leaves_the_other_branch_off_path():
    rerouted = {**VIA_A, "q1": {"choice": "b"}}
    assert walk_path(CASE, rerouted) == ("s1", "s2b")
    assert off_path_question_ids(CASE, rerouted) == ("q2", "q4", "q5")


def test_stage_of_question():
    assert stage_of_question(CASE, "q4").id == "s3"
    assert stage_of_question(CASE, "nope") is None


def test_a_perfect_attempt_scores_ten_once_reviewed():
    score = score_attempt(CASE, VIA_A, FULL_RUBRIC)
    assert (score.points, score.max_points, score.score10) == (8.0, 8.0, 10.0)
    assert (score.needs_review, score.is_complete, score.path) == (False, True, ("s1", "s2a", "s3"))
    assert list(score.questions) == ["q1", "q2", "q4", "q5"]


def test_a_written_answer_awaiting_review_leaves_no_ten_point_score():
    score = score_attempt(CASE, VIA_A)
    assert (score.points, score.max_points, score.score10) == (4.0, 8.0, None)
    assert score.needs_review is True
    assert score.questions["q4"].needs_review


def test_only_the_questions_on_the_path_taken_count():
    score = score_attempt(CASE, VIA_B, FULL_RUBRIC)
    assert (score.points, score.max_points) == (6.0, 8.0)  # q1 picked the harmful option: 0 of 2
    assert "q2" not in score.questions and "q3" in score.questions


def test_answers_off_the_path_do_not_change_the_score():
    with_extra = {**VIA_A, "q3": {"choices": ["c"]}}
    assert score_attempt(CASE, with_extra, FULL_RUBRIC) == score_attempt(CASE, VIA_A, FULL_RUBRIC)


def test_unanswered_questions_on_the_path_earn_zero():
    responses = {k: v for k, v in VIA_A.items() if k != "q5"}
    score = score_attempt(CASE, responses, FULL_RUBRIC)
    assert (score.points, score.max_points, score.score10) == (7.0, 8.0, 8.8)  # 8.75 half-up
    assert (score.is_complete, score.unanswered) == (False, ("q5",))
    assert score.questions["q5"].points == 0.0


def test_rubric_scores_for_questions_off_the_path_are_ignored():
    score = score_attempt(CASE, VIA_A, {**FULL_RUBRIC, "q3": {"x": 1}})
    assert score.score10 == 10.0


def test_the_ten_point_score_rounds_half_up():
    one_stage = case(stage(
        "s1",
        question(T.MULTI, 4, 3, 3, 3, qid="m", points=4),
        question(T.BEST_ACTION, 4, 1, 1, qid="b", points=4),
    ))
    score = score_attempt(one_stage, {"m": {"choices": ["a"]}, "b": {"choice": "a"}})
    assert (score.points, score.max_points, score.score10) == (5.0, 8.0, 6.3)  # 6.25


def test_points_are_summed_exactly():
    questions = (question(T.BEST_ACTION, 4, 1, 1, qid=f"q{i}", points=0.1) for i in range(3))
    tenth = case(stage("s1", *questions))
    score = score_attempt(tenth, {f"q{i}": {"choice": "a"} for i in range(3)})
    assert (score.points, score.max_points) == (0.3, 0.3)


def test_a_looping_case_is_refused():
    looping = case(
        stage("s1", question(T.BEST_ACTION, 4, 1, 1, qid="q1"), next="s2"),
        stage("s2", question(T.BEST_ACTION, 4, 1, 1, qid="q2"), next="s1"),
    )
    with pytest.raises(ValueError, match="reached twice"):
        walk_path(looping, {"q1": {"choice": "a"}, "q2": {"choice": "a"}})


def test_a_next_to_an_unknown_stage_is_refused():
    broken = case(stage("s1", question(T.BEST_ACTION, 4, 1, 1, qid="q1"), next="gone"))
    with pytest.raises(ValueError, match="unknown stage gone"):
        score_attempt(broken, {"q1": {"choice": "a"}})
