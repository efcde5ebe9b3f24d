"""The learner's own activity: when work was finished, and recently reviewed attempts."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from lms.extensions import db
from lms.models import Attempt, LessonProgress


def activity_times(user_id: int) -> list[datetime]:
    """When the learner finished each piece of work (lessons studied, attempts submitted), for the chart."""
    lessons = db.session.scalars(select(LessonProgress.studied_at).where(LessonProgress.user_id == user_id))
    attempts = db.session.scalars(select(Attempt.submitted_at).where(
        Attempt.user_id == user_id, Attempt.submitted_at.is_not(None)))
    return [*lessons, *attempts]


def recently_reviewed(user_id: int, limit: int = 5) -> list[Attempt]:
    """The learner's attempts most recently graded by an instructor, newest first."""
    return list(db.session.scalars(select(Attempt).where(Attempt.user_id == user_id, Attempt.reviewed_at.is_not(None))
                                   .order_by(Attempt.reviewed_at.desc()).limit(limit)))
