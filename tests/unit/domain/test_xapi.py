"""Building xAPI 1.0.3 statements from plain events, and the statement rules they are checked against (no app)."""
from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta, timezone

import pytest

from lms.domain import xapi
from lms.domain.xapi import Activity, LearningEvent, Outcome, Score, build_statement
from lms.xapi.validation import statement_problems

HOME = "https://lms.truong-lhp.edu.vn/"
NOW = datetime(2026, 11, 26, 8, 0, 0, 123456, tzinfo=UTC)
MODULE = Activity("module/07-kiem-tra", xapi.MODULE, "Chuyên đề 7: Kiểm tra, giám sát", "Module 7")
CASE = Activity("case/tranh-chap", xapi.CASE, "Tình huống: Tranh chấp lối đi", "Case 'tranh-chap' of module 7")
COURSE = Activity("course", xapi.COURSE, "Bồi dưỡng Bí thư", "Training for Party secretaries")
COHORT = Activity("cohort/3", "cohort", "Lớp K12", "Cohort K12")


def event(**changes) -> LearningEvent:
    """A case submitted with its score, in a cohort, as the builder's input."""
    fields = dict(statement_id="0b0e9a5c-4d1f-4f7a-9b52-0c9a6f1d2e3b", account="42", verb=xapi.COMPLETED, activity=CASE,
                  timestamp=NOW, outcome=Outcome(Score(7.5, 0, 10), True, True, extensions={"responses": {"q1": "a"}}),
                  registration=xapi.registration_for(HOME, 9), parents=(MODULE,), grouping=(COURSE, COHORT),
                  instructor="7", extensions={"key-version": 2})
    fields.update(changes)
    return LearningEvent(**fields)


def test_a_statement_names_the_learner_by_account_and_everything_under_the_home_page():
    statement = build_statement(HOME, event())
    assert statement["actor"] == {"objectType": "Agent",
                                  "account": {"homePage": "https://lms.truong-lhp.edu.vn", "name": "42"}}
    assert statement["verb"]["id"] == "http://adlnet.gov/expapi/verbs/completed"
    assert statement["verb"]["display"] == {"vi-VN": "đã nộp", "en-US": "completed"}
    assert statement["object"]["id"] == "https://lms.truong-lhp.edu.vn/xapi/activities/case/tranh-chap"
    assert statement["object"]["definition"]["type"] == "http://adlnet.gov/expapi/activities/simulation"
    assert statement["object"]["definition"]["name"]["en-US"] == "Case 'tranh-chap' of module 7"
    assert statement["timestamp"] == "2026-11-26T08:00:00.123Z"
    assert statement["result"]["score"] == {"scaled": 0.75, "raw": 7.5, "min": 0, "max": 10}
    context = statement["context"]
    assert context["contextActivities"]["parent"][0]["id"].endswith("/xapi/activities/module/07-kiem-tra")
    assert [a["id"].rsplit("/", 1)[-1] for a in context["contextActivities"]["grouping"]] == ["course", "3"]
    # named where no statement has them as its object (course, cohort); the module is named in its own statements
    assert "name" not in context["contextActivities"]["parent"][0]["definition"]
    assert [a["definition"]["name"]["vi-VN"] for a in context["contextActivities"]["grouping"]] == ["Bồi dưỡng Bí thư",
                                                                                                   "Lớp K12"]
    assert context["extensions"] == {"https://lms.truong-lhp.edu.vn/xapi/extensions/key-version": 2}
    assert context["instructor"]["account"]["name"] == "7"
    assert statement_problems(statement) == []


def test_our_own_verbs_and_activity_types_live_under_the_home_page():
    document = Activity("certificate/abc", "certificate", "Giấy chứng nhận abc", "Certificate abc")
    statement = build_statement(HOME, event(verb=xapi.REVOKED, activity=document, outcome=None))
    assert statement["verb"]["id"] == "https://lms.truong-lhp.edu.vn/xapi/verbs/revoked"
    assert statement["object"]["definition"]["type"] == "https://lms.truong-lhp.edu.vn/xapi/activity-types/certificate"
    assert "result" not in statement and statement_problems(statement) == []


def test_the_registration_of_an_attempt_is_stable_and_distinct():
    assert xapi.registration_for(HOME, 9) == xapi.registration_for(HOME.rstrip("/"), 9)
    assert xapi.registration_for(HOME, 9) != xapi.registration_for(HOME, 10)


def test_a_timestamp_is_utc_whatever_zone_it_came_in():
    hanoi = NOW.astimezone(timezone(timedelta(hours=7)))
    assert build_statement(HOME, event(timestamp=hanoi))["timestamp"] == "2026-11-26T08:00:00.123Z"
    with pytest.raises(ValueError):
        build_statement(HOME, event(timestamp=NOW.replace(tzinfo=None)))


@pytest.mark.parametrize(("raw", "minimum", "maximum", "scaled"), [(0, 0, 10, 0.0), (10, 0, 10, 1.0), (1, 0, 3, 0.3333),
                                                                   (2, 0, 0, 0.0)])
def test_scaled_is_the_share_of_the_scale(raw, minimum, maximum, scaled):
    assert Score(raw, minimum, maximum).scaled == scaled


def broken(path: str, value):
    """A valid statement with one value replaced (or removed, with value=...)."""
    statement = build_statement(HOME, event())
    *parents, last = path.split(".")
    holder = statement
    for key in parents:
        holder = holder[key]
    if value is ...:
        del holder[last]
    else:
        holder[last] = value
    return statement


@pytest.mark.parametrize(("path", "value", "problem"), [
    ("actor", ..., "'actor' is a required property"),
    ("verb.id", "completed", "verb.id"),
    ("id", "not-a-uuid", "id"),
    ("timestamp", "26/11/2026", "timestamp"),
    ("result.score.scaled", 1.5, "result.score.scaled"),
    ("result.score.raw", 11, "raw must lie between min and max"),
    ("result.success", "yes", "result.success"),
    ("context.registration", "42", "context.registration"),
    ("context.language", "Tiếng Việt", "context.language"),
    ("object.definition.name", {"Tiếng Việt": "x"}, "object.definition.name"),
    ("actor.mbox", "mailto:a@b.vn", "actor"),  # two identifiers for one agent
    ("actor.account", {"homePage": "lms", "name": "42"}, "actor"),
    ("context.extensions", {"key-version": 2}, "context.extensions"),
    ("stored_at", "2026", "Additional properties"),
])
def test_the_rules_catch_a_broken_statement(path, value, problem):
    problems = statement_problems(broken(path, value))
    assert problems and any(problem in p for p in problems), problems


def test_platform_is_refused_when_the_object_is_not_an_activity():
    statement = build_statement(HOME, event())
    statement["object"] = {"objectType": "StatementRef", "id": "0b0e9a5c-4d1f-4f7a-9b52-0c9a6f1d2e3c"}
    assert any("context" in p for p in statement_problems(statement))
    del statement["context"]["platform"]
    assert statement_problems(statement) == []


def test_a_valid_statement_is_not_changed_by_checking_it():
    statement = build_statement(HOME, event())
    before = copy.deepcopy(statement)
    assert statement_problems(statement) == [] and statement == before
