"""What each domain event tells whom, and the deadline reminders of the worker's sweep."""
from __future__ import annotations

from datetime import datetime, timedelta

from flask import Flask
from sqlalchemy import func, select

from lms.extensions import db
from lms.jobs.runner import periodic
from lms.models import (
    FINISHED_STATES,
    MODULE,
    Attempt,
    Case,
    Enrolment,
    Event,
    Extension,
    Module,
    ScheduleItem,
    User,
)
from lms.notifications.services import notify
from lms.signals import answer_graded, document_issued, document_revoked, grade_recorded

REMIND_BEFORE = timedelta(hours=48)


def on_answer_graded(sender, attempt, actor, now, regraded: bool = False, reason: str = "", **_) -> None:
    """The learner's written answer was graded, or regraded (then with the reason)."""
    feedback = " ".join(a.feedback for a in attempt.answers if getattr(a, "feedback", None))
    params = {"case": attempt.case.current.title if attempt.case.current else "", "score": attempt.score,
              "feedback": feedback[:500]}
    if regraded:
        params |= {"regraded": True, "reason": reason[:500]}
    notify(attempt.user, Event.ANSWER_GRADED, params, f"/attempts/{attempt.id}/review", now)


def on_grade_recorded(sender, user_id, cohort_id, now, entry=None, **_) -> None:
    """An instructor overrode a module grade: the learner is told the new grade and the reason."""
    if entry is None or entry.source != "override":
        return
    module = db.session.get(Module, entry.module_id)
    notify(db.session.get(User, user_id), Event.GRADE_OVERRIDDEN,
           {"module": module.number, "score": entry.score, "reason": entry.reason or ""},
           f"/progress/{module.number:02d}-{module.slug}", now)


def on_document_issued(sender, document, actor, now, **_) -> None:
    """A document was issued to a learner by someone else (not the learner's own download)."""
    if actor is not None and actor.id == document.user_id:
        return
    notify(document.user, Event.DOCUMENT_ISSUED, {"kind": document.kind, "code": document.code}, "/transcript", now)


def on_document_revoked(sender, document, actor, reason, now, **_) -> None:
    """A learner's document was revoked: they are told why."""
    notify(document.user, Event.DOCUMENT_REVOKED, {"kind": document.kind, "code": document.code, "reason": reason},
           "/transcript", now)


def register(app: Flask) -> None:
    """Subscribe to the domain events (connecting again in another app of the process is a no-op)."""
    answer_graded.connect(on_answer_graded)
    grade_recorded.connect(on_grade_recorded)
    document_issued.connect(on_document_issued)
    document_revoked.connect(on_document_revoked)


@periodic
def remind_deadlines(now: datetime) -> int:
    """Learners with a chuyên đề due within 48 hours that they have not finished get one reminder per due date."""
    items = db.session.scalars(select(ScheduleItem).where(ScheduleItem.kind == MODULE,
                                                         ScheduleItem.due_at.is_not(None))).all()
    extensions = {(e.cohort_id, e.user_id, e.module_id): e for e in db.session.scalars(
        select(Extension).where(Extension.kind == MODULE))}
    made = 0
    for item in items:
        module = db.session.get(Module, item.module_id)
        case_ids = set(db.session.scalars(select(Case.id).where(Case.module_id == item.module_id)))
        learners = db.session.scalars(select(User).join(Enrolment, Enrolment.user_id == User.id)
                                      .where(Enrolment.cohort_id == item.cohort_id)).all()
        for learner in learners:
            extension = extensions.get((item.cohort_id, learner.id, item.module_id))
            due = extension.due_at if extension and extension.due_at and extension.due_at > item.due_at else item.due_at
            if not now < due <= now + REMIND_BEFORE or _finished(learner.id, case_ids):
                continue
            made += notify(learner, Event.DEADLINE_SOON, {"module": module.number, "due_at": due.isoformat()},
                           f"/progress/{module.number:02d}-{module.slug}", now,
                           key=f"deadline:{learner.id}:{item.cohort_id}:{item.module_id}:{due.isoformat()}") is not None
    return made


def _finished(user_id: int, case_ids: set[int]) -> bool:
    """Every case of the chuyên đề submitted at least once."""
    if not case_ids:
        return True
    done = db.session.scalar(select(func.count(func.distinct(Attempt.case_id))).where(
        Attempt.user_id == user_id, Attempt.case_id.in_(case_ids), Attempt.state.in_(FINISHED_STATES)))
    return done >= len(case_ids)
