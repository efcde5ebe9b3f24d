"""The attempt lifecycle on the database: pinning, saving, branching, submitting once, deadlines."""
from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from lms.cases import services
from lms.cases.answers import TamperedAnswer
from lms.catalog.store import new_case_version
from lms.catalog.urls import resolver_factory
from lms.content.validate_case import parse_case_text
from lms.extensions import db
from lms.models import Attempt, AttemptAnswer, AttemptState
from tests.conftest import CASE_FIXTURE, EXPERT_PATH

GOOD_PATH = EXPERT_PATH


def play(attempt, forms, now, submit=True):
    """Answer stage after stage, as the form would."""
    for index, form in enumerate(forms):
        services.save_answers(attempt, services.read_answers(attempt, form), now)
        last = index == len(forms) - 1
        errors = services.submit_attempt(attempt, now) if (last and submit) else services.advance(attempt, now)
        assert errors in ({}, {"_stage": "not_final"}), errors
    db.session.commit()


def test_attempt_is_pinned_to_the_current_version(learner, case, now):
    attempt = services.start_attempt(learner, case, now)
    assert attempt.case_version_id == case.current_version_id
    assert attempt.path == ["s1"] and attempt.state == AttemptState.IN_PROGRESS


def test_starting_again_resumes_the_open_attempt(learner, case, now):
    first = services.start_attempt(learner, case, now)
    assert services.start_attempt(learner, case, now + timedelta(hours=1)).id == first.id


def test_expert_path_scores_ten_and_is_graded(learner, case, now):
    attempt = services.start_attempt(learner, case, now)
    play(attempt, GOOD_PATH, now)
    assert attempt.state == AttemptState.GRADED
    assert attempt.path == ["s1", "s2a"]
    assert attempt.score == 10.0


def test_a_poor_choice_branches_and_the_written_answer_waits_for_review(learner, case, now):
    attempt = services.start_attempt(learner, case, now)
    play(attempt, [MultiDict({"q-q1": "b"}),
                   MultiDict({"q-q4-best": "a", "q-q4-worst": "b", "q-q5-text": "Phương án của tôi..."})], now)
    assert attempt.path == ["s1", "s2b"]
    assert attempt.state == AttemptState.AWAITING_REVIEW and attempt.score is None


def test_saving_keeps_half_finished_answers(learner, case, now):
    attempt = services.start_attempt(learner, case, now)
    play(attempt, [GOOD_PATH[0]], now, submit=False)
    services.save_answers(attempt, services.read_answers(attempt, MultiDict({"q-q2-rank-a": "2"})), now)
    db.session.commit()
    saved = db.session.scalar(select(AttemptAnswer).filter_by(attempt_id=attempt.id, question_id="q2"))
    assert saved.state == {"positions": {"a": 2, "b": None, "c": None}}
    assert services.advance(attempt, now) == {"q2": "rank_incomplete", "q3": "unanswered"}
    assert attempt.path == ["s1", "s2a"]


def test_an_attempt_read_for_writing_comes_with_every_saved_answer(learner, case, now):
    """All of them, whatever their number, read after the attempt's row is locked."""
    attempt = services.start_attempt(learner, case, now)
    play(attempt, [GOOD_PATH[0]], now, submit=False)
    services.save_answers(attempt, services.read_answers(attempt, GOOD_PATH[1]), now)
    db.session.commit()
    attempt_id = attempt.id
    db.session.expunge_all()
    again = services.attempt_for_writing(attempt_id)
    assert sorted(a.question_id for a in again.answers) == ["q1", "q2", "q3"]
    assert services.submit_attempt(again, now) == {} and again.state == AttemptState.GRADED
    db.session.rollback()
    assert services.attempt_for_writing(10**9) is None


@pytest.mark.parametrize("form", [{"q-q1": "z"}, {"q-q1": "../a"}])
def test_tampered_answer_is_refused_and_changes_nothing(learner, case, now, form):
    attempt = services.start_attempt(learner, case, now)
    services.save_answers(attempt, services.read_answers(attempt, MultiDict({"q-q1": "a"})), now)
    db.session.commit()
    with pytest.raises(TamperedAnswer):
        services.save_answers(attempt, services.read_answers(attempt, MultiDict(form)), now)
    db.session.rollback()
    assert db.session.scalar(select(AttemptAnswer.state).filter_by(attempt_id=attempt.id)) == {"choice": "a"}


def test_answers_to_a_stage_not_reached_are_ignored(learner, case, now):
    attempt = services.start_attempt(learner, case, now)
    services.save_answers(attempt, services.read_answers(attempt, MultiDict({"q-q1": "a", "q-q4-best": "a"})), now)
    db.session.commit()
    assert {a.question_id for a in attempt.answers} == {"q1"}


def test_attempts_allowed_is_enforced(make_case, learner, now):
    case = make_case(attempts_allowed=1)
    attempt = services.start_attempt(learner, case, now)
    play(attempt, GOOD_PATH, now)
    with pytest.raises(services.AttemptError) as error:
        services.start_attempt(learner, case, now)
    assert error.value.code == "no_attempts_left"


def test_a_submitted_attempt_cannot_be_changed(learner, case, now):
    attempt = services.start_attempt(learner, case, now)
    play(attempt, GOOD_PATH, now)
    with pytest.raises(services.AttemptError):
        services.save_answers(attempt, services.read_answers(attempt, MultiDict({"q-q1": "b"})), now)


def test_submitting_twice_grades_once(learner, case, now):
    attempt = services.start_attempt(learner, case, now)
    play(attempt, GOOD_PATH, now)
    graded_at = attempt.graded_at
    assert services.submit_attempt(attempt, now + timedelta(minutes=5)) == {}
    db.session.commit()
    assert attempt.graded_at == graded_at
    assert db.session.scalar(select(func.count()).select_from(Attempt)) == 1


def test_a_submission_writes_the_last_stages_answers_once_with_their_points(learner, case, now, count_queries):
    attempt = services.start_attempt(learner, case, now)
    services.answer_stage(attempt, services.read_answers(attempt, GOOD_PATH[0]), "continue", now)
    db.session.commit()
    written: list[str] = []
    with count_queries(written):
        errors = services.answer_stage(attempt, services.read_answers(attempt, GOOD_PATH[1]), "submit", now)
    assert errors == {} and attempt.state == AttemptState.GRADED
    answers = [s for s in written if "attempt_answers" in s.split(" WHERE ")[0] and not s.startswith("SELECT")]
    attempts = [s for s in written if s.startswith("UPDATE attempts ")]
    # the stage's two new answers are inserted with their points (PostgreSQL in one statement, SQLite in two); the
    # first stage's answer gets its points
    inserts = 1 if db.engine.dialect.name == "postgresql" else 2
    assert sum(s.startswith("INSERT INTO attempt_answers") for s in answers) == inserts
    assert sum(s.startswith("UPDATE attempt_answers") for s in answers) == 1
    assert len(attempts) == 2  # the claim, then the grade (with the time the answers were saved)
    db.session.commit()
    saved = {a.question_id: a.points for a in db.session.scalars(
        select(AttemptAnswer).where(AttemptAnswer.attempt_id == attempt.id))}
    assert saved == {"q1": 1.0, "q2": 1.0, "q3": 1.0} and attempt.score == 10.0


def test_concurrent_submits_from_two_tabs_produce_one_graded_attempt(app, learner, case, now):
    attempt = services.start_attempt(learner, case, now)
    play(attempt, GOOD_PATH[:1], now, submit=False)
    services.save_answers(attempt, services.read_answers(attempt, GOOD_PATH[1]), now)
    db.session.commit()
    attempt_id, barrier, outcomes = attempt.id, threading.Barrier(2), []

    def submit_in_new_session():
        barrier.wait(timeout=10)  # both requests arrive together, before either opens a transaction
        with app.app_context():
            mine = db.session.get(Attempt, attempt_id)
            services.submit_attempt(mine, now)
            db.session.commit()
            outcomes.append(mine.state)
            db.session.remove()

    threads = [threading.Thread(target=submit_in_new_session) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    db.session.rollback()  # end the test's own read snapshot before looking
    assert outcomes == [AttemptState.GRADED, AttemptState.GRADED]
    assert db.session.get(Attempt, attempt_id).score == 10.0
    assert db.session.scalar(select(func.count()).select_from(Attempt)) == 1


def test_a_double_tap_on_continue_advances_once_and_tells_the_second_tap_its_form_is_stale(app, learner, case, now):
    attempt = services.start_attempt(learner, case, now)
    db.session.commit()
    first_stage = attempt.current_stage_id
    form = MultiDict({"q-q1": "a", "stage": first_stage, "path_length": "1"})
    attempt_id, barrier, outcomes = attempt.id, threading.Barrier(2), []

    def tap_continue():
        barrier.wait(timeout=10)
        with app.app_context():
            try:
                mine = services.attempt_for_writing(attempt_id)
                services.save_answers(mine, services.read_answers(mine, form), now)
                outcomes.append("advanced" if services.advance(mine, now) == {} else "incomplete")
                db.session.commit()
            except services.AttemptError as error:
                db.session.rollback()
                outcomes.append(error.code)
            except Exception as error:  # noqa: BLE001 - what the learner would have seen as a 500
                db.session.rollback()
                outcomes.append(type(error).__name__)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=tap_continue) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    db.session.rollback()
    assert sorted(outcomes) == ["advanced", "stale_stage"]
    saved = db.session.get(Attempt, attempt_id)
    assert len(saved.path) == 2 and saved.path[0] == first_stage
    assert [(a.question_id, a.state) for a in saved.answers] == [("q1", {"choice": "a"})]


def test_two_saves_of_a_new_answer_at_once_both_succeed_and_store_it_once(app, learner, case, now):
    """Two tabs (or a retried autosave) saving the stage's first answers together: the second waits for the first's
    lock, then finds the answer the first inserted and updates it, instead of inserting it a second time."""
    attempt = services.start_attempt(learner, case, now)
    db.session.commit()
    attempt_id, barrier, outcomes = attempt.id, threading.Barrier(2), []

    def autosave(choice: str):
        barrier.wait(timeout=10)
        with app.app_context():
            try:
                mine = services.attempt_for_writing(attempt_id)
                services.save_answers(mine, services.read_answers(mine, MultiDict({"q-q1": choice})), now)
                db.session.commit()
                outcomes.append("saved")
            except Exception as error:  # noqa: BLE001 - what the learner would have seen as a 500
                db.session.rollback()
                outcomes.append(type(error).__name__)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=autosave, args=(choice,)) for choice in "ab"]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    db.session.rollback()
    assert outcomes == ["saved", "saved"]
    answers = db.session.get(Attempt, attempt_id).answers
    assert len(answers) == 1 and answers[0].state["choice"] in ("a", "b")


def test_two_tabs_starting_at_once_share_one_attempt(app, learner, case, now):
    ids, barrier = [], threading.Barrier(2)
    user_id, case_id = learner.id, case.id

    def start():
        from lms.models import Case, User

        barrier.wait(timeout=10)
        with app.app_context():
            attempt = services.start_attempt(db.session.get(User, user_id), db.session.get(Case, case_id), now)
            db.session.commit()
            ids.append(attempt.id)
            db.session.remove()

    threads = [threading.Thread(target=start) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(ids) == 2 and ids[0] == ids[1]


def test_time_up_submits_what_was_saved_scored_against_the_whole_route(make_case, learner, now):
    case = make_case(time_limit_minutes=30)
    attempt = services.start_attempt(learner, case, now)
    play(attempt, GOOD_PATH[:1], now, submit=False)
    later = now + timedelta(minutes=31)
    with pytest.raises(services.AttemptError) as error:
        services.save_answers(attempt, services.read_answers(attempt, GOOD_PATH[1]), later)
    db.session.commit()
    assert error.value.code == "time_up"
    assert attempt.state == AttemptState.GRADED and attempt.timed_out
    # q1 earned 1 point; q2 and q3 on the expert's route were never answered.
    assert attempt.max_points == 3.0 and attempt.score == pytest.approx(3.3)


def test_editing_the_case_later_never_changes_a_past_attempt(app, learner, case, now):
    attempt = services.start_attempt(learner, case, now)
    play(attempt, GOOD_PATH, now)
    edited_text = CASE_FIXTURE.read_text(encoding="utf-8").replace("effectiveness: 4\n            rationale: \"Đúng thẩm quyền.\"",
                                                                   "effectiveness: 1\n            rationale: \"Đổi khóa.\"")
    edited, problems = parse_case_text(edited_text.replace("- id: b\n            text: \"Tự quyết định ai đúng\"\n            effectiveness: 1",
                                                           "- id: b\n            text: \"Tự quyết định ai đúng\"\n            effectiveness: 4"),
                                       case.slug)
    assert not problems
    new_case_version(case, edited, resolver_factory(app)(case.module.key), now)
    db.session.commit()
    past = db.session.get(Attempt, attempt.id)
    assert past.case_version_id != case.current_version_id
    assert services.definition_of(past).stage("s1").questions[0].option("a").effectiveness == 4
    assert past.score == 10.0


def test_the_review_lists_options_in_the_order_the_learner_saw(learner, make_case, now):
    """A submitted attempt's review shows each question's options in that attempt's own order."""
    import re as regex

    from lms.cases.review import build_review
    from lms.domain.presentation import option_order
    from tests.conftest import CASE_FIXTURE

    text = regex.sub(r"\n *shuffle: false", "", CASE_FIXTURE.read_text(encoding="utf-8"))
    attempt = services.start_attempt(learner, make_case(slug="xao-tron", text=text), now)
    question = services.definition_of(attempt).start.questions[0]
    authored = [o.id for o in question.options]
    attempt.option_seed = next(seed for seed in range(100)  # a seed whose order is not the authored one
                               if [o.id for o in option_order(question, seed)] != authored)
    stage, _html, rows = build_review(attempt, True, now).stages[0]
    shown_ids = [row.option.id for row in rows[0].options]
    assert shown_ids == [o.id for o in option_order(question, attempt.option_seed)] and shown_ids != authored
