"""Which cohort a learner is studying in now."""
from __future__ import annotations

from sqlalchemy import select

from lms.extensions import db
from lms.models import Enrolment


def current_cohort_id(user_id: int) -> int | None:
    """The learner's most recent enrolment's cohort, or None."""
    return db.session.scalar(select(Enrolment.cohort_id).where(Enrolment.user_id == user_id)
                             .order_by(Enrolment.enrolled_at.desc(), Enrolment.id.desc()).limit(1))
