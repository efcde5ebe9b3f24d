"""Learners' study actions on lessons."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from lms.extensions import db
from lms.models import Lesson, LessonProgress, User
from lms.signals import lesson_studied


def mark_studied(user: User, lesson: Lesson, now: datetime) -> bool:
    """Record that the learner studied the lesson; False if it was already marked."""
    if db.session.scalar(select(LessonProgress.id).filter_by(user_id=user.id, lesson_id=lesson.id)):
        return False
    try:
        with db.session.begin_nested():  # a double click from two tabs hits the unique constraint, not a 500
            db.session.add(LessonProgress(user_id=user.id, lesson_id=lesson.id, studied_at=now))
    except IntegrityError:
        return False
    lesson_studied.send(__name__, user=user, lesson=lesson, now=now)
    return True


def unmark_studied(user: User, lesson: Lesson) -> None:
    """Remove the learner's studied mark from the lesson."""
    row = db.session.scalar(select(LessonProgress).filter_by(user_id=user.id, lesson_id=lesson.id))
    if row:
        db.session.delete(row)
        db.session.flush()
