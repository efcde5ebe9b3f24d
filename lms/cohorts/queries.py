"""Reads about cohorts: which a staff member sees, their learners and communes, a learner's current cohort."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, func, or_, select
from sqlalchemy.orm import joinedload

from lms.database import vietnamese
from lms.domain.text import sort_key
from lms.extensions import db
from lms.models import Attempt, Cohort, CohortInstructor, Enrolment, LessonProgress, ScheduleItem, User
from lms.pagination import contains, paginate

CURRENT_COHORT = (select(Enrolment.cohort_id).where(Enrolment.user_id == bindparam("user_id"))
                  .order_by(Enrolment.enrolled_at.desc(), Enrolment.id.desc()).limit(1))  # built once: often read


def current_cohort_id(user_id: int) -> int | None:
    """The learner's most recent enrolment's cohort, or None."""
    return db.session.scalar(CURRENT_COHORT, {"user_id": user_id})


def current_enrolment(user_id: int) -> Enrolment | None:
    """The learner's most recent enrolment (the one current_cohort_id names), with its cohort, in one query."""
    return db.session.scalar(select(Enrolment).options(joinedload(Enrolment.cohort))
                             .where(Enrolment.user_id == user_id)
                             .order_by(Enrolment.enrolled_at.desc(), Enrolment.id.desc()).limit(1))


def has_learners(cohort_id: int) -> bool:
    """Whether anyone is enrolled in the cohort (a posting to it before enrolment reaches no one)."""
    return db.session.scalar(select(Enrolment.id).where(Enrolment.cohort_id == cohort_id).limit(1)) is not None


def has_schedule(cohort_id: int) -> bool:
    """Whether any date of the cohort's schedule is set."""
    return db.session.scalar(select(ScheduleItem.id).where(ScheduleItem.cohort_id == cohort_id).limit(1)) is not None


def list_cohorts_for(user: User) -> list[tuple[Cohort, int]]:
    """The cohorts a staff member may see, with learner counts: administrators see all."""
    counts = (select(Enrolment.cohort_id, func.count().label("n")).group_by(Enrolment.cohort_id).subquery())
    stmt = select(Cohort, func.coalesce(counts.c.n, 0)).outerjoin(counts, counts.c.cohort_id == Cohort.id)
    if not user.is_admin:
        stmt = stmt.join(CohortInstructor, CohortInstructor.cohort_id == Cohort.id).where(
            CohortInstructor.user_id == user.id)
    return [(c, n) for c, n in db.session.execute(stmt.order_by(Cohort.created_at.desc(), Cohort.id.desc()))]


def paginate_learners(cohort_id: int, q: str = "", commune: str = "", page: int = 1, idle_since: datetime | None = None):
    """A page of a cohort's enrolments with their users, filtered by name/username and commune, and to those with
    no lesson studied and no attempt started or saved since `idle_since` (enrolled before it) when given."""
    stmt = select(Enrolment).join(User).where(Enrolment.cohort_id == cohort_id)
    if idle_since is not None:
        studied = select(LessonProgress.id).where(LessonProgress.user_id == Enrolment.user_id,
                                                  LessonProgress.studied_at >= idle_since)
        worked = select(Attempt.id).where(Attempt.user_id == Enrolment.user_id,
                                          func.coalesce(Attempt.saved_at, Attempt.started_at) >= idle_since)
        stmt = stmt.where(Enrolment.enrolled_at < idle_since, ~studied.exists(), ~worked.exists())
    if q.strip():
        stmt = stmt.where(or_(contains(User.full_name, q), contains(User.username, q)))
    if commune:
        stmt = stmt.where(Enrolment.commune == commune)
    stmt = stmt.order_by(vietnamese(Enrolment.commune), vietnamese(User.full_name), User.id)
    return paginate(stmt, page)


def list_communes(cohort_id: int) -> list[str]:
    """The communes and wards present in a cohort, in Vietnamese order (Đống Đa after Ba Đình, not at the end)."""
    return sorted(db.session.scalars(select(Enrolment.commune).where(Enrolment.cohort_id == cohort_id).distinct()),
                  key=sort_key)


def list_cohort_instructors(cohort_id: int) -> list[User]:
    """The instructors assigned to a cohort."""
    return list(db.session.scalars(select(User).join(CohortInstructor, CohortInstructor.user_id == User.id)
                                   .where(CohortInstructor.cohort_id == cohort_id).order_by(vietnamese(User.full_name))))
