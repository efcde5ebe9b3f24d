"""Every learning event writes its statements to the outbox, inside the unit of work of the event itself.

A statement that cannot be built or stored is logged and left out: a learning record never fails a learner's request.
"""
from __future__ import annotations

import functools
import logging
import re
from datetime import datetime

from flask import Flask

from lms import signals
from lms.catalog.outline import module_view
from lms.cohorts.queries import current_cohort_id
from lms.domain.progress import ModuleStatus
from lms.domain.xapi import FAILED, PASSED, LearningEvent, activity_iri, verb_iri
from lms.extensions import db
from lms.grades.ledger import get_current_grade
from lms.grades.standing import progress_for
from lms.models import Lesson
from lms.xapi import activities, events, outbox

log = logging.getLogger(__name__)


def _write(built: list[LearningEvent], user_id: int | None, cohort_id: int | None, now: datetime) -> None:
    outbox.record(activities.home_page(), built, user_id, cohort_id, now)


def _guarded(receiver):
    """Log and skip a statement that cannot be built or written instead of failing the event's unit of work: the
    receiver runs in a savepoint, so even a refused INSERT leaves the learner's own work to commit."""

    @functools.wraps(receiver)
    def guarded(sender, **kwargs):
        try:
            with db.session.begin_nested():
                receiver(sender, **kwargs)
        except Exception:  # noqa: BLE001 - a learning record must never fail the learner's request
            log.exception("xAPI statement for %s from %s not recorded", receiver.__name__, sender)

    return guarded


@_guarded
def on_lesson_studied(sender, user, lesson, now, **_) -> None:
    """Lesson studied: experienced."""
    cohort_id = current_cohort_id(user.id)
    row = db.session.get(Lesson, lesson.id)  # the page may hand the service a cached view of the lesson
    _write([events.lesson_studied(user, row, cohort_id, now)], user.id, cohort_id, now)


@_guarded
def on_attempt_started(sender, attempt, now, **_) -> None:
    """Attempt started: attempted."""
    _write([events.attempt_started(attempt, activities.home_page(), now)], attempt.user_id, attempt.cohort_id, now)


@_guarded
def on_stage_answered(sender, attempt, stage_id, now, **_) -> None:
    """A stage's answers committed: answered, per question."""
    _write(events.stage_answered(attempt, stage_id, activities.home_page(), now), attempt.user_id,
           attempt.cohort_id, now)


@_guarded
def on_attempt_submitted(sender, attempt, now, grade=None, **_) -> None:
    """Case submitted: the last stage answered, completed (and a knowledge check passed or failed), then the
    chuyên đề if it is settled, in one write."""
    home = activities.home_page()
    _write(events.stage_answered(attempt, attempt.current_stage_id, home, now)
           + events.case_submitted(attempt, home, now)
           + _module_result(attempt.user_id, attempt.cohort_id, attempt.case.module_id, now, graded=grade is not None),
           attempt.user_id, attempt.cohort_id, now)


@_guarded
def on_answer_graded(sender, attempt, actor, now, **_) -> None:
    """Written answers graded: scored, then the chuyên đề if it is settled, in one write."""
    _write(events.written_graded(attempt, actor, activities.home_page(), now)
           + _module_result(attempt.user_id, attempt.cohort_id, attempt.case.module_id, now),
           attempt.user_id, attempt.cohort_id, now)


@_guarded
def on_attempt_regraded(sender, attempt, actor, now, **_) -> None:
    """An attempt rescored with a corrected key: scored, with the key version."""
    _write(events.attempt_regraded(attempt, actor, activities.home_page(), now), attempt.user_id, attempt.cohort_id,
           now)


@_guarded
def on_grade_recorded(sender, user_id, cohort_id, now, entry=None, **_) -> None:
    """A module grade was recorded by an override, its clearing or a regrade: the chuyên đề's result if it changed.
    A grade computed from an attempt is said after the attempt's own statements (on_attempt_submitted ...)."""
    if entry is None or entry.attempt_id is not None:
        return  # the final essay's grade has its own event; an attempt's grade follows the attempt's statements
    _write(_module_result(user_id, cohort_id, entry.module_id, now, graded=True), user_id, cohort_id, now)


def _module_result(user_id: int, cohort_id: int | None, module_id: int, now: datetime,
                   graded: bool = False) -> list[LearningEvent]:
    """Passed or failed once the chuyên đề is settled, said again only when the result or the grade changes; else
    nothing. `graded`: the caller has just added a grade to the ledger, so the learner has one."""
    if not graded and get_current_grade(user_id, module_id, cohort_id) is None:
        return []  # no grade yet, so neither passed nor failed: one query instead of the standing's three
    module = module_view(module_id)
    standing = progress_for([user_id], cohort_id, [module])[user_id][0]
    if standing.status not in (ModuleStatus.PASSED, ModuleStatus.NOT_PASSED) or standing.grade is None:
        return []
    event = events.module_result(user_id, module, standing.grade, standing.status == ModuleStatus.PASSED, cohort_id,
                                 str(standing.grade_source), now)
    home = activities.home_page()
    latest = outbox.latest_about(user_id, cohort_id, activity_iri(home, event.activity),
                                 (verb_iri(home, PASSED), verb_iri(home, FAILED)))
    if (latest is not None and latest.verb == verb_iri(home, event.verb)
            and latest.payload["result"]["score"]["raw"] == standing.grade):
        return []
    return [event]


@_guarded
def on_essay_graded(sender, submission, essay, actor, now, **_) -> None:
    """Final essay graded: passed or failed."""
    _write([events.essay_result(submission, essay, actor, now)], submission.user_id, submission.cohort_id, now)


@_guarded
def on_document_issued(sender, document, actor, now, **_) -> None:
    """A transcript or certificate issued: received."""
    _write([events.document_event(document, actor, now)], document.user_id, document.cohort_id, now)


@_guarded
def on_document_revoked(sender, document, actor, reason, now, **_) -> None:
    """A transcript or certificate revoked: revoked, with the reason."""
    _write([events.document_event(document, actor, now, reason)], document.user_id, document.cohort_id, now)


def register(app: Flask) -> None:
    """Subscribe to the learning events (connecting again in another app of the process is a no-op), and give the
    job queue the sending job and its five-minute tick."""
    from lms.xapi import forwarder  # noqa: F401  (registers the send job and the tick that asks for it)

    for name in ("XAPI_HOMEPAGE", "XAPI_LRS_URL"):  # a wrong address would spoil every record: refuse to start
        value = app.config.get(name)
        if value and not re.fullmatch(r"https?://[^\s/]+(/\S*)?", value):
            raise RuntimeError(f"{name} must be an http:// or https:// address, not {value!r}")
    signals.lesson_studied.connect(on_lesson_studied)
    signals.attempt_started.connect(on_attempt_started)
    signals.stage_answered.connect(on_stage_answered)
    signals.attempt_submitted.connect(on_attempt_submitted)
    signals.answer_graded.connect(on_answer_graded)
    signals.attempt_regraded.connect(on_attempt_regraded)
    signals.grade_recorded.connect(on_grade_recorded)
    signals.essay_graded.connect(on_essay_graded)
    signals.document_issued.connect(on_document_issued)
    signals.document_revoked.connect(on_document_revoked)
