"""What a learner's home page shows: where to continue, what is due, recent grades and feedback, progress,
the cohort's latest announcements. Reads only."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import joinedload

from lms.catalog.outline import LessonView, ModuleView, Outline, course_outline
from lms.cohorts.queries import current_cohort_id
from lms.domain.progress import cases_handed_in, overall_percent
from lms.extensions import db
from lms.grades.queries import recently_reviewed
from lms.grades.standing import progress_for
from lms.models import Announcement, Attempt, AttemptState, Case, CaseVersion, GradeEntry, LessonProgress, Module, User
from lms.schedule.services import Deadline, due_dates


@dataclass(frozen=True)
class Continue:
    """The one tap that takes the learner back to work: an open attempt, or the next lesson to study."""

    kind: str  # "attempt" | "lesson" | "start" | "done"
    attempt: Attempt | None = None
    lesson: LessonView | None = None
    module: ModuleView | None = None


@dataclass(frozen=True)
class LearnerHome:
    """Everything on the learner's home page."""

    continue_to: Continue
    due: list[Deadline]  # of work not handed in yet, as `overdue`
    overdue: list[Deadline]
    grades: list[tuple[GradeEntry, Module]]
    reviewed: list[Attempt]
    overall: int
    announcements: list[Announcement]
    cohort_id: int | None
    is_new: bool


# The page's reads, built once (building a statement took longer than running these).
_touched = func.coalesce(Attempt.saved_at, Attempt.started_at)
ATTEMPTS_TOUCHED = (select(Attempt.id, Attempt.state, Case.module_id, _touched).join(Case, Case.id == Attempt.case_id)
                    .where(Attempt.user_id == bindparam("user_id")).order_by(_touched.desc(), Attempt.id.desc()))
STUDIED_AT = select(LessonProgress.lesson_id, LessonProgress.studied_at).where(
    LessonProgress.user_id == bindparam("user_id"))
LATEST_GRADES = (select(GradeEntry, Module).join(Module, Module.id == GradeEntry.module_id)
                 .where(GradeEntry.user_id == bindparam("user_id"))
                 .order_by(GradeEntry.created_at.desc(), GradeEntry.id.desc()).limit(5))
LATEST_ANNOUNCEMENTS = (select(Announcement).where(Announcement.cohort_id == bindparam("cohort_id"))
                        .order_by(Announcement.created_at.desc()).limit(3))


def continue_target(user_id: int, outline: Outline) -> Continue:
    """The open attempt last worked on; else the next unstudied lesson from where the learner last worked."""
    attempts = db.session.execute(ATTEMPTS_TOUCHED, {"user_id": user_id}).all()
    open_id = next((row[0] for row in attempts if row[1] == AttemptState.IN_PROGRESS), None)
    if open_id is not None:
        return Continue("attempt", attempt=db.session.scalar(
            select(Attempt).where(Attempt.id == open_id)
            .options(joinedload(Attempt.case_version).load_only(CaseVersion.title))))
    lessons = [(lesson, module) for module in outline.modules for lesson in module.lessons]
    if not lessons:
        return Continue("done")
    studied_at = dict(db.session.execute(STUDIED_AT, {"user_id": user_id}).all())
    module_of = {lesson.id: module.id for lesson, module in lessons}
    candidates = [(module_of[lesson_id], at) for lesson_id, at in studied_at.items() if lesson_id in module_of]
    candidates = [max(candidates, key=lambda c: c[1])] if candidates else []
    candidates += [(row[2], row[3]) for row in attempts[:1]]  # the attempt touched last
    if not candidates:
        return Continue("start", lesson=lessons[0][0], module=lessons[0][1])
    here = max(candidates, key=lambda c: c[1])[0]
    start = next((i for i, (_lesson, module) in enumerate(lessons) if module.id == here), 0)
    for lesson, module in lessons[start:] + lessons[:start]:  # from where the learner is, then from the top
        if lesson.id not in studied_at:
            return Continue("lesson", lesson=lesson, module=module)
    return Continue("done")


def learner_home(user: User, now: datetime) -> LearnerHome:
    """The learner's home page, in a handful of queries."""
    cohort_id = current_cohort_id(user.id)
    outline = course_outline()
    rows = progress_for([user.id], cohort_id, outline.modules).get(user.id, [])
    grades = db.session.execute(LATEST_GRADES, {"user_id": user.id}).all()
    reviewed = recently_reviewed(user.id, limit=3)
    announcements = list(db.session.scalars(LATEST_ANNOUNCEMENTS, {"cohort_id": cohort_id})) if cohort_id else []
    target = continue_target(user.id, outline)
    works = [r.work for r in rows]
    handed_in = {r.module.id for r in rows if cases_handed_in(r.work)}  # a passed chuyên đề is due for nothing

    def still_asked(found: list[Deadline]) -> list[Deadline]:
        return [d for d in found if d.module is None or d.module.id not in handed_in]

    late, due = due_dates(user.id, cohort_id, now)
    return LearnerHome(target, still_asked(due), still_asked(late), [tuple(g) for g in grades], reviewed,
                       overall_percent(works), announcements, cohort_id,
                       is_new=target.kind == "start" and not grades)
