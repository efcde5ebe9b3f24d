"""What a learner's home page shows: where to continue, what is due, recent grades and feedback, progress,
the cohort's latest announcements. Reads only."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from lms.cohorts.queries import current_cohort_id
from lms.domain.progress import overall_percent
from lms.extensions import db
from lms.grades.queries import recently_reviewed
from lms.grades.standing import progress_for
from lms.models import Announcement, Attempt, AttemptState, Case, GradeEntry, Lesson, LessonProgress, Module, User
from lms.schedule.services import Deadline, due_soon


@dataclass(frozen=True)
class Continue:
    """The one tap that takes the learner back to work: an open attempt, or the next lesson to study."""

    kind: str  # "attempt" | "lesson" | "start" | "done"
    attempt: Attempt | None = None
    lesson: Lesson | None = None


@dataclass(frozen=True)
class LearnerHome:
    """Everything on the learner's home page."""

    continue_to: Continue
    due: list[Deadline]
    grades: list[tuple[GradeEntry, Module]]
    reviewed: list[Attempt]
    overall: int
    announcements: list[Announcement]
    cohort_id: int | None
    is_new: bool


def _latest_activity_module(user_id: int) -> int | None:
    """The chuyên đề the learner last worked in (a lesson studied or an attempt touched)."""
    lesson = db.session.execute(select(Lesson.module_id, LessonProgress.studied_at).join(Lesson)
                                .where(LessonProgress.user_id == user_id)
                                .order_by(LessonProgress.studied_at.desc()).limit(1)).first()
    attempt = db.session.execute(select(Case.module_id, func.coalesce(Attempt.saved_at, Attempt.started_at))
                                 .join(Case, Case.id == Attempt.case_id).where(Attempt.user_id == user_id)
                                 .order_by(func.coalesce(Attempt.saved_at, Attempt.started_at).desc()).limit(1)).first()
    candidates = [c for c in (lesson, attempt) if c is not None]
    return max(candidates, key=lambda c: c[1])[0] if candidates else None


def continue_target(user_id: int) -> Continue:
    """The open attempt last worked on; else the next unstudied lesson from where the learner last worked."""
    open_attempt = db.session.scalar(select(Attempt).where(Attempt.user_id == user_id,
                                                           Attempt.state == AttemptState.IN_PROGRESS)
                                     .order_by(func.coalesce(Attempt.saved_at, Attempt.started_at).desc()).limit(1))
    if open_attempt is not None:
        return Continue("attempt", attempt=open_attempt)
    studied = set(db.session.scalars(select(LessonProgress.lesson_id).where(LessonProgress.user_id == user_id)))
    lessons = db.session.execute(select(Lesson, Module.number).join(Module).where(Lesson.number > 0)
                                 .order_by(Module.number, Lesson.number)).all()
    if not lessons:
        return Continue("done")
    here = _latest_activity_module(user_id)
    if here is None:
        return Continue("start", lesson=lessons[0][0])
    start = next((i for i, (lesson, _n) in enumerate(lessons) if lesson.module_id == here), 0)
    for lesson, _number in lessons[start:] + lessons[:start]:  # from where the learner is, then from the top
        if lesson.id not in studied:
            return Continue("lesson", lesson=lesson)
    return Continue("done")


def learner_home(user: User, now: datetime) -> LearnerHome:
    """The learner's home page, in a handful of queries."""
    cohort_id = current_cohort_id(user.id)
    rows = progress_for([user.id], cohort_id).get(user.id, [])
    grades = db.session.execute(select(GradeEntry, Module).join(Module, Module.id == GradeEntry.module_id)
                                .where(GradeEntry.user_id == user.id).order_by(GradeEntry.created_at.desc(),
                                                                               GradeEntry.id.desc()).limit(5)).all()
    reviewed = recently_reviewed(user.id, limit=3)
    announcements = list(db.session.scalars(select(Announcement).where(Announcement.cohort_id == cohort_id)
                                            .order_by(Announcement.created_at.desc()).limit(3))) if cohort_id else []
    target = continue_target(user.id)
    works = [r.work for r in rows]
    return LearnerHome(target, due_soon(user.id, cohort_id, now), [tuple(g) for g in grades], reviewed,
                       overall_percent(works), announcements, cohort_id,
                       is_new=target.kind == "start" and not grades)
