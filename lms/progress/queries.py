"""The learner's own activity: when work was finished, for the progress chart."""
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
