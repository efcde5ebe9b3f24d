"""Learning records as xAPI 1.0.3 statements: the vocabulary and the pure building of a statement.

Plain dataclasses in, a JSON-ready dict out; no clock (the event's time is given), no app, no database.
Verbs come from the ADL vocabulary (http://adlnet.gov/expapi/verbs/) where it has one; the rest, and every
activity, activity type and extension, are IRIs under the institution's home page, so they stay ours to define.
"""
from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

XAPI_VERSION = "1.0.3"
ADL_VERBS = "http://adlnet.gov/expapi/verbs/"
ADL_ACTIVITIES = "http://adlnet.gov/expapi/activities/"


@dataclass(frozen=True)
class Verb:
    """A verb: its IRI (an ADL one, or a name under our home page) and its display in both languages."""

    name: str
    vi: str
    en: str
    adl: bool = True


# The verbs this course uses, by the event that uses them.
EXPERIENCED = Verb("experienced", "đã học", "experienced")  # a lesson studied
ATTEMPTED = Verb("attempted", "bắt đầu làm", "attempted")  # an attempt at a case started
ANSWERED = Verb("answered", "đã trả lời", "answered")  # a stage's answers committed during an attempt
COMPLETED = Verb("completed", "đã nộp", "completed")  # a case submitted
SCORED = Verb("scored", "được chấm điểm", "scored")  # a written answer graded by an instructor
PASSED = Verb("passed", "đạt", "passed")  # a module, a knowledge check, the final essay
FAILED = Verb("failed", "không đạt", "failed")
RECEIVED = Verb("received", "được cấp", "received", adl=False)  # a certificate or transcript issued
REVOKED = Verb("revoked", "bị thu hồi", "had revoked", adl=False)  # ... and revoked

# Activity types: ADL's where it has one.
COURSE, MODULE, LESSON = "course", "module", "lesson"
CASE, ASSESSMENT, QUESTION = "simulation", "assessment", "question"
OWN_TYPES = {"cohort", "certificate", "transcript"}


@dataclass(frozen=True)
class Activity:
    """An activity (module, lesson, case, question ...): its path under the home page, type and names."""

    path: str  # e.g. "module/07-kiem-tra" -> <home>/xapi/activities/module/07-kiem-tra
    type: str
    vi: str
    en: str


@dataclass(frozen=True)
class Score:
    """A score on a scale from `minimum` to `maximum`."""

    raw: float
    minimum: float
    maximum: float

    @property
    def scaled(self) -> float:
        """The score as a fraction of the scale, 0..1 (xAPI's -1..1 with a minimum of 0 here)."""
        span = self.maximum - self.minimum
        return round((self.raw - self.minimum) / span, 4) if span > 0 else 0.0


@dataclass(frozen=True)
class Outcome:
    """The result part of a statement; absent fields are left out."""

    score: Score | None = None
    success: bool | None = None
    completion: bool | None = None
    response: str | None = None
    extensions: dict[str, Any] = field(default_factory=dict)  # extension name -> value


@dataclass(frozen=True)
class LearningEvent:
    """Everything one statement says: who did what to which activity, when, with what outcome and in what context."""

    statement_id: str
    account: str  # the learner's stable account id on the home page (never the e-mail address)
    verb: Verb
    activity: Activity
    timestamp: datetime
    outcome: Outcome | None = None
    registration: str | None = None  # the attempt, for the statements of one attempt
    parents: tuple[Activity, ...] = ()
    grouping: tuple[Activity, ...] = ()
    instructor: str | None = None  # the grading instructor's account id
    extensions: dict[str, Any] = field(default_factory=dict)  # context extensions, by name


def new_statement_id() -> str:
    """A fresh statement id (random UUID)."""
    return str(uuid.uuid4())


def registration_for(home_page: str, attempt_id: int) -> str:
    """The stable registration UUID of one attempt: the same for every statement of it, on every export."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{_home(home_page)}/xapi/registrations/attempt/{attempt_id}"))


def compact(value: Any) -> str:
    """A value as the compact JSON text a result's response carries."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _home(home_page: str) -> str:
    return home_page.rstrip("/")


def verb_iri(home_page: str, verb: Verb) -> str:
    """The IRI of a verb: ADL's, or ours under the home page."""
    return ADL_VERBS + verb.name if verb.adl else f"{_home(home_page)}/xapi/verbs/{verb.name}"


def activity_iri(home_page: str, activity: Activity) -> str:
    """The IRI of an activity under the home page."""
    return f"{_home(home_page)}/xapi/activities/{activity.path}"


def extension_iri(home_page: str, name: str) -> str:
    """The IRI of one of our extensions (key version, responses ...)."""
    return f"{_home(home_page)}/xapi/extensions/{name}"


def _type_iri(home_page: str, kind: str) -> str:
    return f"{_home(home_page)}/xapi/activity-types/{kind}" if kind in OWN_TYPES else ADL_ACTIVITIES + kind


def _agent(home_page: str, account: str) -> dict:
    return {"objectType": "Agent", "account": {"homePage": _home(home_page), "name": account}}


def _language_map(vi: str, en: str) -> dict[str, str]:
    return {"vi-VN": vi, "en-US": en}


def _activity(home_page: str, activity: Activity, named: bool = True) -> dict:
    definition: dict[str, Any] = {"type": _type_iri(home_page, activity.type)}
    if named:
        definition["name"] = _language_map(activity.vi, activity.en)
    return {"objectType": "Activity", "id": activity_iri(home_page, activity), "definition": definition}


def _context_activity(home_page: str, activity: Activity) -> dict:
    """An activity of the context: named only if no statement has it as its object (the course, a cohort), so
    each statement stays small; the others are named in their own statements."""
    return _activity(home_page, activity, named=activity.type in (COURSE, "cohort"))


def _extensions(home_page: str, values: dict[str, Any]) -> dict[str, Any]:
    return {extension_iri(home_page, name): value for name, value in values.items()}


def _result(home_page: str, outcome: Outcome) -> dict:
    result: dict[str, Any] = {}
    if outcome.score is not None:
        score = outcome.score
        result["score"] = {"scaled": score.scaled, "raw": score.raw, "min": score.minimum, "max": score.maximum}
    for name in ("success", "completion", "response"):
        if getattr(outcome, name) is not None:
            result[name] = getattr(outcome, name)
    if outcome.extensions:
        result["extensions"] = _extensions(home_page, outcome.extensions)
    return result


def _context(home_page: str, event: LearningEvent) -> dict:
    context: dict[str, Any] = {"platform": "LMS Bí thư xã, phường", "language": "vi-VN"}
    if event.registration:
        context["registration"] = event.registration
    if event.instructor:
        context["instructor"] = _agent(home_page, event.instructor)
    activities = {}
    if event.parents:
        activities["parent"] = [_context_activity(home_page, a) for a in event.parents]
    if event.grouping:
        activities["grouping"] = [_context_activity(home_page, a) for a in event.grouping]
    if activities:
        context["contextActivities"] = activities
    if event.extensions:
        context["extensions"] = _extensions(home_page, event.extensions)
    return context


def timestamp_text(moment: datetime) -> str:
    """An ISO 8601 UTC timestamp with milliseconds, as xAPI asks."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def build_statement(home_page: str, event: LearningEvent) -> dict:
    """The xAPI 1.0.3 statement of a learning event, ready to be stored and sent as JSON."""
    if event.timestamp.tzinfo is None:
        raise ValueError("a statement's time must be timezone-aware")
    statement = {
        "id": event.statement_id,
        "actor": _agent(home_page, event.account),
        "verb": {"id": verb_iri(home_page, event.verb), "display": _language_map(event.verb.vi, event.verb.en)},
        "object": _activity(home_page, event.activity),
        "context": _context(home_page, event),
        "timestamp": timestamp_text(event.timestamp),
    }
    if event.outcome is not None:
        statement["result"] = _result(home_page, event.outcome)
    return statement


def passed_or_failed(success: bool) -> Verb:
    """The verb of an assessed result."""
    return PASSED if success else FAILED
