"""Read models for instructors' pages."""
from __future__ import annotations

from sqlalchemy import func, select

from lms.extensions import db
from lms.models import Cohort, CohortInstructor, Enrolment, User


def list_cohorts_for(user: User) -> list[tuple[Cohort, int]]:
    """The cohorts a staff member may see, with learner counts: administrators see all."""
    counts = (select(Enrolment.cohort_id, func.count().label("n")).group_by(Enrolment.cohort_id).subquery())
    stmt = select(Cohort, func.coalesce(counts.c.n, 0)).outerjoin(counts, counts.c.cohort_id == Cohort.id)
    if not user.is_admin:
        stmt = stmt.join(CohortInstructor, CohortInstructor.cohort_id == Cohort.id).where(
            CohortInstructor.user_id == user.id)
    return [(c, n) for c, n in db.session.execute(stmt.order_by(Cohort.created_at.desc(), Cohort.id.desc()))]


def can_see_learner_work(user: User, learner_id: int, cohort_id: int | None) -> bool:
    """The learner themself, an administrator, or an instructor of the cohort the work belongs to."""
    if user.id == learner_id or user.is_admin:
        return True
    return user.is_instructor and cohort_id is not None and can_teach(user, cohort_id)


def can_teach(user: User, cohort_id: int) -> bool:
    """True if the user is an administrator or an instructor assigned to the cohort."""
    if user.is_admin:
        return True
    return db.session.scalar(select(func.count()).select_from(CohortInstructor).where(
        CohortInstructor.cohort_id == cohort_id, CohortInstructor.user_id == user.id)) > 0
