"""Learning records on the database: every learning event writes its xAPI statements in its own unit of work,
each one valid under the xAPI 1.0.3 statement rules, naming the learner by account and never by e-mail."""
from __future__ import annotations

import json
from datetime import timedelta

import pytest
from flask import current_app
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from config import TestConfig
from lms import create_app
from lms.cases import services as attempts
from lms.catalog.essay import current_essay, import_essay
from lms.content.essay import parse_essay_text
from lms.domain.xapi import registration_for
from lms.essays import services as essays
from lms.extensions import db
from lms.grades.ledger import override_grade
from lms.lessons.services import mark_studied
from lms.models import Attempt, EssayState, EssaySubmission, Role, XapiStatement
from lms.reviews import services as reviews
from lms.transcripts import services as documents
from lms.xapi import events, outbox
from lms.xapi.validation import statement_problems
from tests.conftest import play_attempt
from tests.document_helpers import GOOD_PATH, issue
from tests.services.conftest import add_lesson
from tests.services.test_grades import correct_the_key
from tests.services.test_knowledge_checks import add_check
from tests.web.test_essays import ESSAY, FULL
from tests.web.test_reviews import WRITTEN_PATH

HOME = "https://lms.truong-lhp.edu.vn"
VERBS = "http://adlnet.gov/expapi/verbs/"


@pytest.fixture(autouse=True)
def _home_page(app, monkeypatch):
    monkeypatch.setitem(current_app.config, "XAPI_HOMEPAGE", HOME + "/")


@pytest.fixture
def world(make_user, make_cohort, case, now):
    """A learner and an instructor in a cohort, the test case's module with a lesson."""
    learner, instructor = make_user(Role.LEARNER, email="nhung@example.vn"), make_user(Role.INSTRUCTOR)
    cohort = make_cohort(instructors=[instructor], learners=[learner])
    return {"learner": learner, "instructor": instructor, "cohort": cohort, "case": case,
            "lesson": add_lesson(case.module, now)}


def statements(**where) -> list[dict]:
    """The stored statements, oldest first (optionally only those with this verb or object)."""
    query = select(XapiStatement).order_by(XapiStatement.id)
    for name, value in where.items():
        query = query.where(getattr(XapiStatement, name) == value)
    return [row.payload for row in db.session.scalars(query)]


def kinds() -> list[tuple[str, str]]:
    """(verb, object path under the activities) of every stored statement, in order."""
    return [(s["verb"]["id"].rsplit("/", 1)[-1], s["object"]["id"].split("/xapi/activities/")[1]) for s in statements()]


def test_a_learners_whole_course_writes_every_kind_of_statement_and_each_one_is_valid(world, app, now, tmp_path,
                                                                                       monkeypatch):
    learner, instructor, cohort, case = world["learner"], world["instructor"], world["cohort"], world["case"]
    assert mark_studied(learner, world["lesson"], now)
    written = play_attempt(learner, case, WRITTEN_PATH, now)  # a written answer: waits for the instructor
    reviews.grade_written(written, {"q5": {"basis": 2, "plan": 2}}, {"q5": "Tốt."}, 0, instructor, now)
    check = add_check(app, case, now)
    play_attempt(learner, check, [MultiDict({"q-k1q1": "a"})], now)
    play_attempt(learner, case, GOOD_PATH, now + timedelta(hours=1))
    monkeypatch.setitem(current_app.config, "ESSAY_UPLOAD_DIR", str(tmp_path))
    essay, problems = parse_essay_text(ESSAY.read_text(encoding="utf-8"))
    assert problems == [] and import_essay(essay, now, lambda *_: None) == "created"
    row = current_essay()
    submission = EssaySubmission(user_id=learner.id, cohort_id=cohort.id, text="Bài tiểu luận.", submitted_at=now,
                                 state=EssayState.SUBMITTED)
    db.session.add(submission)
    db.session.flush()
    essays.grade_essay(submission, row, {k: float(v) for k, v in FULL.items()}, "", 0, instructor, now)
    document = issue(learner, cohort, now, kind="certificate")
    documents.revoke(document, "Cấp nhầm người", instructor, now)
    db.session.commit()

    said = set(kinds())
    m = case.module.key
    for expected in [("experienced", f"lesson/{m}/bai-mot"), ("attempted", f"case/{case.slug}"),
                     ("answered", f"case/{case.slug}/question/q1"), ("completed", f"case/{case.slug}"),
                     ("scored", f"case/{case.slug}/question/q5"), ("scored", f"case/{case.slug}"),
                     ("passed", f"case/{check.slug}"), ("passed", f"module/{m}"), ("passed", "final-essay"),
                     ("received", f"certificate/{document.code}"), ("revoked", f"certificate/{document.code}")]:
        assert expected in said, expected
    every = statements()
    assert all(statement_problems(s) == [] for s in every), [statement_problems(s) for s in every]
    assert len({s["id"] for s in every}) == len(every)
    text = json.dumps(every, ensure_ascii=False)
    assert "nhung@example.vn" not in text and "mbox" not in text and learner.full_name not in text
    assert {s["actor"]["account"]["name"] for s in every} == {str(learner.id)}
    assert {s["actor"]["account"]["homePage"] for s in every} == {HOME}


def test_a_submitted_case_carries_the_options_chosen_the_key_version_the_score_and_its_attempt(world, now):
    learner, case = world["learner"], world["case"]
    attempt = play_attempt(learner, case, GOOD_PATH, now)
    completed = statements(verb=VERBS + "completed")[0]
    assert completed["result"]["score"] == {"scaled": 1.0, "raw": 10.0, "min": 0.0, "max": 10.0}
    assert completed["result"]["success"] is True and completed["result"]["completion"] is True
    extensions = {k.rsplit("/", 1)[-1]: v for k, v in completed["result"]["extensions"].items()}
    assert extensions["responses"] == {"q1": {"choice": "a"}, "q2": {"order": ["a", "b", "c"]},
                                       "q3": {"choices": ["a", "b"]}}
    assert extensions["path"] == ["s1", "s2a"]
    context = {k.rsplit("/", 1)[-1]: v for k, v in completed["context"]["extensions"].items()}
    assert context == {"attempt-number": 1, "case-version": 1, "key-version": 1}
    registration = registration_for(HOME, attempt.id)
    of_attempt = [s for s in statements() if s["context"].get("registration") == registration]
    assert [s["verb"]["display"]["en-US"] for s in of_attempt] == ["attempted", "answered", "answered", "answered",
                                                                  "completed"]
    assert completed["context"]["contextActivities"]["parent"][0]["id"] == f"{HOME}/xapi/activities/module/{case.module.key}"
    grouping = [a["id"] for a in completed["context"]["contextActivities"]["grouping"]]
    assert grouping == [f"{HOME}/xapi/activities/course", f"{HOME}/xapi/activities/cohort/{world['cohort'].id}"]


def test_answers_are_said_when_a_stage_is_committed_never_while_the_learner_types(world, now):
    """Autosaved drafts say nothing; going on says each answered question of the stage as committed, and the
    submission says the last stage's answers and the completion in one write."""
    learner, case = world["learner"], world["case"]
    attempt = attempts.start_attempt(learner, case, now)
    for draft in ("b", "c", "a"):  # the learner changes their mind while the page autosaves
        attempts.save_answers(attempt, attempts.read_answers(attempt, MultiDict({"q-q1": draft})), now)
    assert [s["verb"]["display"]["en-US"] for s in statements()] == ["attempted"]

    assert attempts.advance(attempt, now + timedelta(minutes=1)) == {}
    answered = statements(verb=VERBS + "answered")
    assert [(s["object"]["id"].rsplit("/", 1)[-1], s["result"]["response"], s["result"]["completion"])
            for s in answered] == [("q1", '{"choice":"a"}', True)]  # the committed answer, not the drafts

    second = GOOD_PATH[1]
    attempts.save_answers(attempt, attempts.read_answers(attempt, second), now + timedelta(minutes=2))
    assert len(statements()) == 2
    assert attempts.submit_attempt(attempt, now + timedelta(minutes=3)) == {}
    said = [(s["verb"]["display"]["en-US"], s["object"]["id"].rsplit("/", 1)[-1]) for s in statements()]
    assert said[2:] == [("answered", "q2"), ("answered", "q3"), ("completed", case.slug)]


def test_a_written_answer_leaves_as_its_length_and_its_grading_names_the_instructor(world, now):
    learner, instructor, case = world["learner"], world["instructor"], world["case"]
    mark_studied(learner, world["lesson"], now)
    attempt = play_attempt(learner, case, WRITTEN_PATH, now)
    completed = statements(verb=VERBS + "completed")[0]
    assert "score" not in completed["result"] and "success" not in completed["result"]  # waits for the instructor
    responses = {k.rsplit("/", 1)[-1]: v for k, v in completed["result"]["extensions"].items()}["responses"]
    assert responses["q5"] == {"text_chars": len(WRITTEN_PATH[1]["q-q5-text"])}
    assert WRITTEN_PATH[1]["q-q5-text"] not in json.dumps(statements(), ensure_ascii=False)
    reviews.grade_written(attempt, {"q5": {"basis": 2, "plan": 1}}, {}, 0, instructor, now)
    scored = statements(verb=VERBS + "scored")
    assert [s["object"]["id"].rsplit("/", 1)[-1] for s in scored] == ["q5", case.slug]
    assert scored[0]["result"]["score"]["raw"] == 1.5 and scored[0]["result"]["score"]["max"] == 2.0
    assert {s["context"]["instructor"]["account"]["name"] for s in scored} == {str(instructor.id)}
    settled = statements()[-1]  # the grading settled the chuyên đề: its result comes last
    assert settled["object"]["id"].endswith(f"/module/{case.module.key}") and settled["result"]["success"] is True


def test_a_module_result_is_said_when_it_is_settled_and_again_only_when_it_changes(world, now, count_queries):
    learner, instructor, case, cohort = world["learner"], world["instructor"], world["case"], world["cohort"]
    mark_studied(learner, world["lesson"], now)
    sql: list[str] = []
    with count_queries(sql):
        play_attempt(learner, case, GOOD_PATH, now)
    # one write per event: started, the first stage answered, and the submission with the result it settled
    assert sum(s.startswith("INSERT INTO xapi_statements") for s in sql) == 3
    module_iri = f"{HOME}/xapi/activities/module/{case.module.key}"
    assert [s["verb"]["id"] for s in statements(object_id=module_iri)] == [VERBS + "passed"]
    said = kinds()  # the chuyên đề's result follows the submission that settled it
    assert said.index(("completed", f"case/{case.slug}")) < said.index(("passed", f"module/{case.module.key}"))
    play_attempt(learner, case, GOOD_PATH, now + timedelta(hours=1))  # the same grade: nothing new to say
    override_grade(learner, case.module, cohort.id, 4.0, "Gian lận khi làm bài", instructor, now + timedelta(hours=2))
    db.session.commit()
    said = [(s["verb"]["id"].rsplit("/", 1)[-1], s["result"]["score"]["raw"]) for s in statements(object_id=module_iri)]
    assert said == [("passed", 10.0), ("failed", 4.0)]


def test_statements_belong_to_the_unit_of_work_of_their_event(world, now):
    attempts.start_attempt(world["learner"], world["case"], now)
    assert db.session.scalar(select(func.count()).select_from(XapiStatement)) == 1
    db.session.rollback()  # the request failed: the attempt and its statement are gone together
    assert db.session.scalar(select(func.count()).select_from(XapiStatement)) == 0


def test_a_statement_that_cannot_be_built_never_fails_the_learners_action(world, now, monkeypatch):
    def broken(*args, **kwargs):
        raise KeyError("a bug in building the statement")

    monkeypatch.setattr(events, "lesson_studied", broken)
    assert mark_studied(world["learner"], world["lesson"], now)
    db.session.commit()
    assert statements() == []


def test_a_statement_the_database_refuses_never_fails_the_learners_action(world, now, monkeypatch):
    def refused(home_page, event, user_id, cohort_id, when):
        db.session.add(XapiStatement(statement_id=event.statement_id, verb=None, object_id="y", stored_at=when,
                                     payload={}, attempts=0))  # a NOT NULL column left empty: the INSERT fails
        db.session.flush()

    monkeypatch.setattr(outbox, "record", refused)
    attempt = attempts.start_attempt(world["learner"], world["case"], now)
    db.session.commit()  # the attempt is kept; its statement is not
    assert db.session.get(Attempt, attempt.id) is not None and statements() == []


def test_a_regrade_with_a_corrected_key_says_the_new_score_and_key_version(world, now):
    learner, instructor, case = world["learner"], world["instructor"], world["case"]
    play_attempt(learner, case, GOOD_PATH, now)
    correct_the_key(case, now)
    attempts.regrade_case(case, instructor, now + timedelta(days=1))
    db.session.commit()
    rescored = statements(verb=VERBS + "scored")[-1]
    context = {k.rsplit("/", 1)[-1]: v for k, v in rescored["context"]["extensions"].items()}
    assert context == {"attempt-number": 1, "case-version": 1, "key-version": 2}
    assert rescored["result"]["score"]["raw"] < 10 and rescored["context"]["instructor"]["account"]["name"] == str(
        instructor.id)
    assert statement_problems(rescored) == []


@pytest.mark.parametrize("setting", [{"XAPI_HOMEPAGE": "lms.truong-lhp.edu.vn"}, {"XAPI_LRS_URL": "lrs:8080/xapi"}])
def test_an_address_that_would_spoil_every_record_stops_the_app_at_start(setting):
    with pytest.raises(RuntimeError, match="must be an http:// or https:// address"):
        create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": "sqlite://", **setting})


def test_an_attempt_the_worker_submits_when_time_is_up_is_recorded_too(world, make_case, now):
    case = make_case(slug="het-gio", time_limit_minutes=30)
    attempt = attempts.start_attempt(world["learner"], case, now)
    attempts.save_answers(attempt, attempts.read_answers(attempt, GOOD_PATH[0]), now)
    db.session.commit()
    assert attempts.submit_overdue_attempts(now + timedelta(minutes=31)) == 1  # the worker's sweep, no request
    db.session.commit()
    completed = statements(verb=VERBS + "completed")[0]
    extensions = {k.rsplit("/", 1)[-1]: v for k, v in completed["result"]["extensions"].items()}
    assert extensions["timed-out"] is True and extensions["responses"] == {"q1": {"choice": "a"}}
    assert completed["actor"]["account"] == {"homePage": HOME, "name": str(world["learner"].id)}
    assert statement_problems(completed) == []
