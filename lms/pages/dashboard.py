"""What a learner's home page shows: where to continue, what is due, recent grades and feedback, progress,
the cohort's latest announcements. Reads only."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, select

from lms.catalog.outline import course_outline
from lms.cohorts.queries import current_cohort_id
from lms.domain.progress import cases_handed_in, overall_percent
from lms.extensions import db
from lms.feedback.queries import Invitations, invitations
from lms.grades.queries import recently_reviewed
from lms.grades.standing import progress_for
from lms.lessons.queries import Continue, continue_target
from lms.models import Announcement, Attempt, GradeEntry, Module, User
from lms.schedule.services import Deadline, due_dates, local_zone


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
    feedback: Invitations  # the chuyên đề passed and the course the learner may still give feedback on


# The page's reads, built once (building a statement took longer than running these).
LATEST_GRADES = (select(GradeEntry, Module).join(Module, Module.id == GradeEntry.module_id)
                 .where(GradeEntry.user_id == bindparam("user_id"))
                 .order_by(GradeEntry.created_at.desc(), GradeEntry.id.desc()).limit(5))
LATEST_ANNOUNCEMENTS = (select(Announcement).where(Announcement.cohort_id == bindparam("cohort_id"),
                                                    Announcement.withdrawn_at.is_(None))
                        .order_by(Announcement.created_at.desc()).limit(3))


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
                       is_new=target.kind == "start" and not grades,
                       feedback=invitations(user.id, cohort_id, rows, now.astimezone(local_zone()).date()))
