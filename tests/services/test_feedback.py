"""Keeping learners' feedback: anonymous by construction (no user column, no time, a random id), one response per
learner, subject and cohort even when two submits race, and a report in a fixed number of queries."""
from __future__ import annotations

import re
import secrets
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import inspect, select

from lms.catalog.outline import course_outline
from lms.domain.feedback import ITEM_KEYS, MIN_RESPONSES_SHOWN, Answers
from lms.extensions import db
from lms.feedback import queries
from lms.feedback.queries import cohort_report
from lms.feedback.services import FeedbackError, submit_feedback
from lms.models import FeedbackReceipt, FeedbackResponse, Role
from tests.document_helpers import pass_module

GOOD = Answers({"useful": 5, "realistic": 4, "applicable": None, "instructors": 3, "workload": 2}, "Thêm tình huống")


@pytest.fixture
def world(make_user, make_cohort, case, now):
    """A cohort with its instructor and a learner who has passed the test case's chuyên đề."""
    learner, instructor = make_user(Role.LEARNER, full_name="Trần Thị Góp Ý"), make_user(Role.INSTRUCTOR)
    cohort = make_cohort(instructors=[instructor], learners=[learner])
    pass_module(learner, case, now)
    return {"learner": learner, "cohort": cohort, "module": case.module}


def counts() -> tuple[int, int]:
    """(receipts, responses) in the database."""
    return (db.session.scalar(select(db.func.count()).select_from(FeedbackReceipt)),
            db.session.scalar(select(db.func.count()).select_from(FeedbackResponse)))


def test_the_response_table_cannot_name_anyone_nor_tell_the_time(app):
    columns = {c["name"]: c for c in inspect(db.engine).get_columns("feedback_responses")}
    assert not [name for name in columns if "user" in name or name.endswith("_at") or "by" in name]
    assert set(columns) == {"id", "cohort_id", "module_id", "answered_on", *ITEM_KEYS, "suggestion"}
    referred = {fk["referred_table"] for fk in inspect(db.engine).get_foreign_keys("feedback_responses")}
    assert referred == {"cohorts", "modules"}
    receipt_columns = {c["name"] for c in inspect(db.engine).get_columns("feedback_receipts")}
    assert receipt_columns == {"id", "user_id", "cohort_id", "module_id"}  # who, about what: no answer, no time


def test_a_passed_learner_answers_once_the_answers_apart_from_the_receipt(world, now):
    learner, cohort, module = world["learner"], world["cohort"], world["module"]
    late_evening = now.replace(hour=20)  # 03:00 the next day in Hà Nội
    submit_feedback(learner, cohort, module, GOOD, late_evening)
    db.session.commit()
    receipt, response = db.session.scalars(select(FeedbackReceipt)).one(), db.session.scalars(select(FeedbackResponse)).one()
    assert (receipt.user_id, receipt.cohort_id, receipt.module_id) == (learner.id, cohort.id, module.id)
    assert response.answered_on == date(2026, 11, 27) and isinstance(response.answered_on, date) \
        and not isinstance(response.answered_on, datetime)
    assert re.fullmatch(r"[0-9a-f]{32}", response.id)  # random: the order of ids says nothing of who came when
    assert (response.useful, response.applicable, response.suggestion) == (5, None, "Thêm tình huống")
    with pytest.raises(FeedbackError) as refused:
        submit_feedback(learner, cohort, module, GOOD, now)
    assert refused.value.code == "already_sent" and counts() == (1, 1)
    assert queries.subject_state(learner.id, cohort, module, now.date()) == queries.SENT


def test_feedback_waits_until_the_chuyen_de_is_passed(make_user, make_cohort, case, now):
    learner = make_user(Role.LEARNER)
    cohort = make_cohort(learners=[learner])
    with pytest.raises(FeedbackError) as refused:
        submit_feedback(learner, cohort, case.module, GOOD, now)
    assert refused.value.code == "not_yet" and counts() == (0, 0)
    assert queries.subject_state(learner.id, cohort, case.module, now.date()) == queries.NOT_YET


@pytest.mark.parametrize("subject", ["module", "course"])
def test_a_double_submit_past_the_check_keeps_one_response_and_one_receipt(world, now, monkeypatch, subject):
    learner, cohort = world["learner"], world["cohort"]
    module = world["module"] if subject == "module" else None
    submit_feedback(learner, cohort, module, GOOD, now)
    db.session.commit()
    monkeypatch.setattr(queries, "has_sent", lambda *_args: False)  # the second tab read before the first wrote
    with pytest.raises(FeedbackError) as refused:
        submit_feedback(learner, cohort, module, GOOD, now)
    assert refused.value.code == "already_sent"
    db.session.commit()  # the savepoint was rolled back: the session goes on, nothing half-written
    assert counts() == (1, 1)


def test_the_course_opens_when_every_chuyen_de_is_passed_or_the_cohort_has_ended(world, make_case, now):
    learner, cohort = world["learner"], world["cohort"]
    make_case(slug="tinh-huong-khac")  # a second chuyên đề, not passed
    with pytest.raises(FeedbackError):
        submit_feedback(learner, cohort, None, GOOD, now)
    cohort.ends_on = (now - timedelta(days=2)).date()
    db.session.commit()
    submit_feedback(learner, cohort, None, GOOD, now)
    db.session.commit()
    assert db.session.scalars(select(FeedbackResponse.module_id)).all() == [None] and counts() == (1, 1)


def add_responses(cohort, module, n, now, make_user, suggestion="Góp ý"):
    """n learners of the cohort who answered about the module (rows written directly: reading is under test)."""
    from lms.models import Enrolment

    for index in range(n):
        learner = make_user(Role.LEARNER)
        db.session.add(Enrolment(cohort=cohort, user=learner, commune="Xã Đông Anh", enrolled_at=now))
        db.session.add(FeedbackReceipt(user_id=learner.id, cohort_id=cohort.id, module_id=module.id if module else None))
        db.session.add(FeedbackResponse(id=secrets.token_hex(16), cohort_id=cohort.id,
                                        module_id=module.id if module else None, answered_on=now.date(),
                                        useful=1 + index % 5, suggestion=f"{suggestion} {index}"))
    db.session.commit()


def test_the_report_shows_figures_only_from_the_threshold_and_names_nobody(world, make_user, now):
    cohort, module = world["cohort"], world["module"]
    add_responses(cohort, module, MIN_RESPONSES_SHOWN - 1, now, make_user)
    report = cohort_report(cohort.id, [module])
    course, subject = report.subjects
    assert course.module is None and course.responses == 0 and not course.summary.shown
    assert subject.responses == MIN_RESPONSES_SHOWN - 1 and report.learners == MIN_RESPONSES_SHOWN
    assert not subject.summary.shown and subject.summary.suggestions == () and subject.rate == 80
    add_responses(cohort, module, 1, now, make_user, suggestion="Thêm")
    subject = cohort_report(cohort.id, [module]).subjects[1]
    assert subject.summary.shown and subject.summary.responses == MIN_RESPONSES_SHOWN
    assert subject.summary.items[0].counts == (2, 1, 1, 1, 0)
    text = repr(cohort_report(cohort.id, [module]))
    assert world["learner"].full_name not in text and "user" not in text


def test_the_report_costs_the_same_queries_for_a_small_and_a_large_cohort(world, make_user, make_cohort, make_case,
                                                                           count_queries, now):
    modules = [world["module"], make_case(slug="tinh-huong-hai").module]
    small, large = make_cohort(), make_cohort()
    add_responses(small, modules[0], 1, now, make_user)
    for module in (None, *modules):
        add_responses(large, module, 12, now, make_user)
    outline, costs = course_outline().modules, []  # as the page reads them: kept per content revision
    for cohort_id in (small.id, large.id):
        with count_queries() as statements:
            report = cohort_report(cohort_id, outline)
        costs.append(statements())
    assert costs[0] == costs[1] == 3
    assert [s.responses for s in report.subjects] == [12, 12, 12] and report.learners == 36



def test_sqlite_keeps_no_arrival_order_of_the_responses(app):
    """On SQLite the answers' table has no hidden row number counting arrivals, which would line them up with the
    receipts (the migration and the model both say so; PostgreSQL has no such column)."""
    from sqlalchemy.dialects import sqlite
    from sqlalchemy.schema import CreateTable

    assert "WITHOUT ROWID" in str(CreateTable(FeedbackResponse.__table__).compile(dialect=sqlite.dialect()))
    migration = (Path(__file__).parents[2] / "migrations" / "versions" / "0021_learner_feedback.py").read_text()
    assert "sqlite_with_rowid=False" in migration
