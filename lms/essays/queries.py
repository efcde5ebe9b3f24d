"""Reads for the essay pages: the instructors' list, and the rubric scores posted by a grader."""
from __future__ import annotations

from sqlalchemy import Select, select

from lms.models import CohortInstructor, CourseEssay, EssayState, EssaySubmission, User


def essays_for(user: User) -> Select:
    """The statement for the essays a staff member grades (their cohorts'; all for administrators), waiting first."""
    stmt = select(EssaySubmission)
    if not user.is_admin:
        stmt = stmt.where(EssaySubmission.cohort_id.in_(
            select(CohortInstructor.cohort_id).where(CohortInstructor.user_id == user.id)))
    waiting_first = (EssaySubmission.state != EssayState.SUBMITTED)
    return stmt.order_by(waiting_first, EssaySubmission.submitted_at, EssaySubmission.id)


def posted_scores(essay: CourseEssay, form) -> dict[str, float]:
    """The level chosen for each rubric criterion (raises ValueError for a missing or non-numeric one)."""
    return {criterion["id"]: float(form.get(f"r-{criterion['id']}", "")) for criterion in essay.rubric}
