"""The grade ledger on the database: computed grades under each policy, overrides with reasons, regrading."""
from __future__ import annotations

from datetime import timedelta

import pytest
from flask import current_app
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from lms.cases import services as attempts
from lms.catalog.store import new_case_version
from lms.catalog.urls import resolver_factory
from lms.content.validate_case import parse_case_text
from lms.extensions import db
from lms.grades import ledger as services
from lms.grades.ledger import GradeError
from lms.models import Attempt, AttemptState, Case, GradeEntry, Role
from tests.conftest import CASE_FIXTURE, play_attempt

S1 = MultiDict({"q-q1": "a"})
GOOD = [S1, MultiDict([("q-q2-rank-a", "1"), ("q-q2-rank-b", "2"), ("q-q2-rank-c", "3"),
                       ("q-q3", "a"), ("q-q3", "b")])]  # 3/3 points: 10.0
POOR = [S1, MultiDict([("q-q2-rank-a", "3"), ("q-q2-rank-b", "2"), ("q-q2-rank-c", "1"), ("q-q3", "c")])]  # 1/3: 3.3
FAIR = [S1, MultiDict([("q-q2-rank-a", "1"), ("q-q2-rank-b", "2"), ("q-q2-rank-c", "3"), ("q-q3", "c")])]  # 2/3: 6.7
WRITTEN = [MultiDict({"q-q1": "b"}), MultiDict({"q-q4-best": "a", "q-q4-worst": "b", "q-q5-text": "Phương án..."})]
SCORES = {"good": (GOOD, 10.0), "poor": (POOR, 3.3), "fair": (FAIR, 6.7)}


@pytest.fixture
def instructor(make_user):
    return make_user(Role.INSTRUCTOR, full_name="Trần Văn Giảng")


@pytest.fixture
def cohort(make_cohort, learner, instructor):
    return make_cohort(instructors=[instructor], learners=[learner])


@pytest.fixture
def case(make_case, cohort):
    return make_case()




def entries(learner, module, cohort) -> list[tuple[str, float | None]]:
    """The learner's ledger in the module, oldest first, as (source, score)."""
    return [(e.source, e.score) for e in services.list_entries(learner.id, module.id, cohort.id)]


def current(learner, module, cohort) -> tuple[str, float | None] | None:
    """The (source, score) of the entry giving the current grade."""
    entry = services.get_current_grade(learner.id, module.id, cohort.id)
    return (entry.source, entry.score) if entry else None


def add_case(module, slug: str, now, required: bool = True) -> Case:
    """Another case (the same fixture text) in an existing module."""
    text = CASE_FIXTURE.read_text(encoding="utf-8")
    if not required:
        text = text.replace("kind: land_dispute\n", "kind: land_dispute\nrequired: false\n", 1)
    definition, problems = parse_case_text(text, slug)
    assert not problems, problems
    case = Case(module=module, slug=slug, position=len(module.cases) + 1)
    db.session.add(case)
    db.session.flush()
    new_case_version(case, definition, resolver_factory(current_app)(module.key), now)
    db.session.commit()
    return case


# --- computed grades -------------------------------------------------------------------------------


def test_a_graded_attempt_appends_a_computed_entry(learner, cohort, case, now):
    attempt = play_attempt(learner, case, GOOD, now)
    [entry] = services.list_entries(learner.id, case.module_id, cohort.id)
    assert (entry.source, entry.score, entry.attempt_id, entry.cohort_id) == ("computed", 10.0, attempt.id, cohort.id)
    assert entry.actor_id is None and entry.reason is None and entry.created_at == now
    assert current(learner, case.module, cohort) == ("computed", 10.0)


@pytest.mark.parametrize(
    ("policy", "order", "grade"),
    [
        ("best", ("poor", "good"), 10.0),
        ("last", ("poor", "good"), 10.0),
        ("average", ("poor", "good"), 6.7),  # 6.65 rounds half-up
        ("best", ("good", "poor"), 10.0),
        ("last", ("good", "poor"), 3.3),
        ("average", ("good", "poor"), 6.7),
        ("average", ("fair", "good"), 8.4),  # 8.35 rounds half-up
    ],
)
def test_a_second_attempt_counts_under_the_modules_policy(make_case, cohort, learner, now, policy, order, grade):
    case = make_case(grading_policy=policy)
    for minutes, name in enumerate(order):
        forms, score = SCORES[name]
        assert play_attempt(learner, case, forms, now + timedelta(minutes=minutes)).score == score
    assert services.compute_module_grade(learner.id, case.module, cohort.id) == grade
    assert current(learner, case.module, cohort) == ("computed", grade)
    first = SCORES[order[0]][1]
    expected = [("computed", first)] + ([("computed", grade)] if grade != first else [])
    assert entries(learner, case.module, cohort) == expected


def test_the_module_grade_is_the_mean_over_required_cases_only(case, cohort, learner, now):
    second = add_case(case.module, "hop-dan-ve-lua-chon", now)
    optional = add_case(case.module, "tinh-huong-tu-chon", now, required=False)
    play_attempt(learner, case, GOOD, now)
    play_attempt(learner, optional, POOR, now + timedelta(minutes=1))
    assert services.compute_module_grade(learner.id, case.module, cohort.id) is None
    assert entries(learner, case.module, cohort) == []  # no grade until every required case has a score
    play_attempt(learner, second, FAIR, now + timedelta(minutes=2))
    assert entries(learner, case.module, cohort) == [("computed", 8.4)]  # (10 + 6.7) / 2, the optional 3.3 ignored


def test_an_unchanged_recomputation_appends_nothing(case, cohort, learner, now):
    play_attempt(learner, case, GOOD, now)
    assert services.record_computed_grade(learner.id, case.module, cohort.id, now + timedelta(hours=1)) is None
    play_attempt(learner, case, POOR, now + timedelta(hours=2))  # best stays 10
    db.session.commit()
    assert entries(learner, case.module, cohort) == [("computed", 10.0)]


def test_a_submission_reads_the_ledger_once_under_the_lock_for_the_grade_and_its_learning_records(
        case, cohort, learner, instructor, now, count_queries):
    play_attempt(learner, case, GOOD, now)
    sql: list[str] = []
    with count_queries(sql):
        play_attempt(learner, case, GOOD, now + timedelta(hours=1), commit=False)  # 10 again: nothing recorded
    assert sum(s.startswith("SELECT grade_entries.id") for s in sql) == 1
    # what was read is forgotten once anything is written (an override here) and when the transaction ends
    assert services.record_computed_grade(learner.id, case.module, cohort.id, now + timedelta(hours=2)) is None
    assert services.READ_UNDER_LOCK in db.session.info
    services.override_grade(learner, case.module, cohort.id, 6.0, "Phúc khảo", instructor, now + timedelta(hours=2))
    assert current(learner, case.module, cohort) == ("override", 6.0)
    services.record_computed_grade(learner.id, case.module, cohort.id, now + timedelta(hours=3))
    db.session.commit()
    assert services.READ_UNDER_LOCK not in db.session.info


def test_an_attempt_awaiting_review_adds_no_grade(case, cohort, learner, now):
    attempt = play_attempt(learner, case, WRITTEN, now)
    assert attempt.state == AttemptState.AWAITING_REVIEW
    assert entries(learner, case.module, cohort) == []
    assert services.get_current_grade(learner.id, case.module_id, cohort.id) is None


def test_grades_are_kept_per_cohort(case, cohort, learner, now):
    play_attempt(learner, case, GOOD, now)
    assert services.list_entries(learner.id, case.module_id, None) == []
    assert services.get_current_grade(learner.id, case.module_id, cohort.id + 1) is None


# --- overrides -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "reason", "code"),
    [
        (7.5, "", "reason_required"),
        (7.5, "   \n", "reason_required"),
        (7.5, None, "reason_required"),
        (-0.1, "Phúc khảo", "out_of_range"),
        (10.1, "Phúc khảo", "out_of_range"),
    ],
)
def test_an_override_needs_a_reason_and_a_grade_from_0_to_10(case, cohort, learner, instructor, now, score, reason,
                                                              code):
    with pytest.raises(GradeError) as error:
        services.override_grade(learner, case.module, cohort.id, score, reason, instructor, now)
    assert error.value.code == code
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(GradeEntry)) == 0


@pytest.mark.parametrize(
    ("score", "recorded"),
    [(0.0, 0.0), (10.0, 10.0), (7.25, 7.3), (6.35, 6.4), (7.24, 7.2)],  # half-up, like every grade on the scale
)
def test_an_override_accepts_the_whole_scale_rounded_half_up(case, cohort, learner, instructor, now, score, recorded):
    entry = services.override_grade(learner, case.module, cohort.id, score, " Phúc khảo ", instructor, now)
    db.session.commit()
    assert (entry.score, entry.reason, entry.actor_id) == (recorded, "Phúc khảo", instructor.id)


def test_an_override_stays_in_force_after_a_new_attempt_and_clearing_returns_to_computed(case, cohort, learner,
                                                                                         instructor, now):
    play_attempt(learner, case, POOR, now)
    services.override_grade(learner, case.module, cohort.id, 7.5, "Chấm lại bài viết tay", instructor,
                            now + timedelta(hours=1))
    db.session.commit()
    assert current(learner, case.module, cohort) == ("override", 7.5)

    play_attempt(learner, case, GOOD, now + timedelta(hours=2))
    assert entries(learner, case.module, cohort) == [("computed", 3.3), ("override", 7.5), ("computed", 10.0)]
    assert current(learner, case.module, cohort) == ("override", 7.5)

    with pytest.raises(GradeError) as error:
        services.clear_override(learner, case.module, cohort.id, " ", instructor, now + timedelta(hours=3))
    assert error.value.code == "reason_required"
    services.clear_override(learner, case.module, cohort.id, "Học viên đã làm lại", instructor,
                            now + timedelta(hours=3))
    db.session.commit()
    assert current(learner, case.module, cohort) == ("computed", 10.0)
    history = services.list_entries(learner.id, case.module_id, cohort.id)
    assert [e.source for e in history] == ["computed", "override", "computed", "override_cleared"]
    assert [e.reason for e in history if e.actor_id == instructor.id] == ["Chấm lại bài viết tay",
                                                                            "Học viên đã làm lại"]


def test_a_newer_override_replaces_an_older_one(case, cohort, learner, instructor, now):
    services.override_grade(learner, case.module, cohort.id, 6.0, "Lần một", instructor, now)
    services.override_grade(learner, case.module, cohort.id, 8.5, "Lần hai", instructor, now + timedelta(minutes=1))
    db.session.commit()
    assert current(learner, case.module, cohort) == ("override", 8.5)
    assert entries(learner, case.module, cohort) == [("override", 6.0), ("override", 8.5)]


# --- the ledger is append-only ---------------------------------------------------------------------


def test_the_ledger_refuses_to_change_an_entry(case, cohort, learner, now):
    play_attempt(learner, case, GOOD, now)
    entry = db.session.scalar(select(GradeEntry))
    entry.score = 1.0
    with pytest.raises(RuntimeError, match="append-only"):
        db.session.flush()
    db.session.rollback()
    assert db.session.scalar(select(GradeEntry.score)) == 10.0


def test_the_ledger_refuses_to_delete_an_entry(case, cohort, learner, now):
    play_attempt(learner, case, GOOD, now)
    db.session.delete(db.session.scalar(select(GradeEntry)))
    with pytest.raises(RuntimeError, match="append-only"):
        db.session.flush()
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(GradeEntry)) == 1


# --- regrading after a corrected key ---------------------------------------------------------------


def correct_the_key(case, now) -> None:
    """A new version where option a of q1 is the poor choice and b the expert's."""
    text = CASE_FIXTURE.read_text(encoding="utf-8")
    text = text.replace('effectiveness: 4\n            rationale: "Đúng thẩm quyền."',
                        'effectiveness: 1\n            rationale: "Đổi khóa."')
    text = text.replace('- id: b\n            text: "Tự quyết định ai đúng"\n            effectiveness: 1',
                        '- id: b\n            text: "Tự quyết định ai đúng"\n            effectiveness: 4')
    edited, problems = parse_case_text(text, case.slug)
    assert not problems, problems
    new_case_version(case, edited, resolver_factory(current_app)(case.module.key), now)
    db.session.commit()


def test_regrading_rescores_with_the_corrected_key_keeps_the_pin_and_appends_a_regrade_entry(case, cohort, learner,
                                                                                           instructor, now):
    graded = play_attempt(learner, case, GOOD, now)
    old_version = graded.case_version_id
    correct_the_key(case, now + timedelta(days=1))
    assert db.session.get(Attempt, graded.id).score == 10.0  # editing alone changes no past attempt

    assert attempts.regrade_case(case, instructor, now + timedelta(days=2)) == 1
    db.session.commit()
    regraded = db.session.get(Attempt, graded.id)
    # issue #12: never re-pinned to a version the learner did not see; scored with the corrected key
    assert regraded.case_version_id == old_version != case.current_version_id
    assert regraded.regraded_version_id == case.current_version_id
    assert regraded.score == 6.7  # q1's answer now earns nothing: 2 of 3 points
    history = services.list_entries(learner.id, case.module_id, cohort.id)
    assert [(e.source, e.score) for e in history] == [("computed", 10.0), ("regrade", regraded.score)]
    assert history[1].actor_id == instructor.id and history[1].created_at == now + timedelta(days=2)
    assert current(learner, case.module, cohort) == ("regrade", regraded.score)


def test_regrading_leaves_an_override_in_force_and_an_unreviewed_attempt_ungraded(case, cohort, learner, instructor,
                                                                                 make_user, make_cohort, now):
    play_attempt(learner, case, GOOD, now)
    services.override_grade(learner, case.module, cohort.id, 9.0, "Thưởng điểm", instructor, now + timedelta(hours=1))
    writer = make_user(Role.LEARNER)
    make_cohort(learners=[writer])
    waiting = play_attempt(writer, case, WRITTEN, now)
    correct_the_key(case, now + timedelta(days=1))

    assert attempts.regrade_case(case, instructor, now + timedelta(days=2)) == 2
    db.session.commit()
    assert current(learner, case.module, cohort)[0] == "override"
    assert [s for s, _ in entries(learner, case.module, cohort)] == ["computed", "override", "regrade"]
    still = db.session.get(Attempt, waiting.id)
    assert still.state == AttemptState.AWAITING_REVIEW and still.regraded_version_id == case.current_version_id
    assert db.session.scalar(select(func.count()).select_from(GradeEntry).where(GradeEntry.user_id == writer.id)) == 0


def test_reconcile_reports_and_repairs_a_grade_the_ledger_lacks(learner, case, cohort, now, app):
    play_attempt(learner, case, GOOD, now)
    assert current(learner, case.module, cohort) == ("computed", 10.0)
    # Simulate a lost write: the attempt is graded but its grade never reached the ledger.
    db.session.execute(GradeEntry.__table__.delete())
    db.session.commit()

    differences = services.reconcile_grades(None, now, repair=False)
    assert [(d.user_id, d.cohort_id, d.module_number, d.recorded, d.computed) for d in differences] == [
        (learner.id, cohort.id, case.module.number, None, 10.0)]
    assert current(learner, case.module, cohort) is None  # a dry run writes no grade

    result = app.test_cli_runner().invoke(args=["grades", "reconcile", "--repair"])
    assert result.exit_code == 0, result.output
    assert "1 difference(s), repaired" in result.output
    assert current(learner, case.module, cohort) == ("computed", 10.0)
    assert services.reconcile_grades(None, now, repair=False) == []
    assert "0 difference(s)" in app.test_cli_runner().invoke(args=["grades", "reconcile"]).output
