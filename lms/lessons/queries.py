"""Read models for the module and lesson pages: a fixed number of queries per page."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, func, select

from lms.catalog.outline import ModuleView, Outline
from lms.extensions import db
from lms.models import Lesson, LessonProgress, User


@dataclass(frozen=True)
class ModuleSummary:
    """A module in the list, with the learner's lesson progress."""

    module: ModuleView
    lessons: int
    studied: int
    cases: int

    @property
    def percent(self) -> int:
        """Share of lessons studied, 0-100."""
        return round(100 * self.studied / self.lessons) if self.lessons else 0


# The two per-learner reads of these pages, built once: building a statement costs more than running these.
STUDIED_PER_MODULE = (select(Lesson.module_id, func.count()).join(LessonProgress, LessonProgress.lesson_id == Lesson.id)
                      .where(LessonProgress.user_id == bindparam("user_id"), Lesson.number > 0)
                      .group_by(Lesson.module_id))
STUDIED_IN_MODULE = (select(LessonProgress.lesson_id).join(Lesson)
                     .where(LessonProgress.user_id == bindparam("user_id"), Lesson.module_id == bindparam("module_id")))


def list_modules(user: User, outline: Outline) -> list[ModuleSummary]:
    """Every module in order, with how many of its lessons the user has studied (one query)."""
    studied = dict(db.session.execute(STUDIED_PER_MODULE, {"user_id": user.id}).all())
    return [ModuleSummary(m, len(m.lessons), studied.get(m.id, 0), len(m.cases)) for m in outline.modules]


def studied_lesson_ids(user: User, module: ModuleView) -> set[int]:
    """The ids of the module's lessons the user has marked studied."""
    return set(db.session.scalars(STUDIED_IN_MODULE, {"user_id": user.id, "module_id": module.id}))
