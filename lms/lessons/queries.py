"""Read models for the module and lesson pages: a fixed number of queries per page."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from lms.extensions import db
from lms.models import Case, Lesson, LessonProgress, Module, User


@dataclass(frozen=True)
class ModuleSummary:
    """A module in the list, with the learner's lesson progress."""

    module: Module
    lessons: int
    studied: int
    cases: int

    @property
    def percent(self) -> int:
        """Share of lessons studied, 0-100."""
        return round(100 * self.studied / self.lessons) if self.lessons else 0


def list_modules(user: User) -> list[ModuleSummary]:
    """Every module in order, with how many of its lessons the user has studied."""
    lesson_counts = dict(db.session.execute(select(Lesson.module_id, func.count()).where(Lesson.number > 0)
                                            .group_by(Lesson.module_id)).all())
    case_counts = dict(db.session.execute(select(Case.module_id, func.count()).group_by(Case.module_id)).all())
    studied = dict(db.session.execute(
        select(Lesson.module_id, func.count()).join(LessonProgress, LessonProgress.lesson_id == Lesson.id)
        .where(LessonProgress.user_id == user.id, Lesson.number > 0).group_by(Lesson.module_id)).all())
    modules = db.session.scalars(select(Module).order_by(Module.number)).all()
    return [ModuleSummary(m, lesson_counts.get(m.id, 0), studied.get(m.id, 0), case_counts.get(m.id, 0))
            for m in modules]


def studied_lesson_ids(user: User, module: Module) -> set[int]:
    """The ids of the module's lessons the user has marked studied."""
    return set(db.session.scalars(select(LessonProgress.lesson_id).join(Lesson).where(
        LessonProgress.user_id == user.id, Lesson.module_id == module.id)))
