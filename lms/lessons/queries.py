"""Read models for the module and lesson pages: a fixed number of queries per page."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, func, select
from sqlalchemy.orm import selectinload

from lms.content.search import fold
from lms.extensions import db
from lms.models import Case, CaseVersion, Lesson, LessonProgress, LessonVersion, Module, User


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


def get_module(module_key: str) -> Module | None:
    """The module with this key ('07-slug'), lessons and cases loaded, or None."""
    number, _, slug = module_key.partition("-")
    if not number.isdigit():
        return None
    return db.session.scalar(select(Module).where(Module.number == int(number), Module.slug == slug).options(
        selectinload(Module.lessons).selectinload(Lesson.current),
        selectinload(Module.cases).selectinload(Case.current)))


def studied_lesson_ids(user: User, module: Module) -> set[int]:
    """The ids of the module's lessons the user has marked studied."""
    return set(db.session.scalars(select(LessonProgress.lesson_id).join(Lesson).where(
        LessonProgress.user_id == user.id, Lesson.module_id == module.id)))


@dataclass(frozen=True)
class SearchHit:
    """A lesson or case whose text matches every word of a query."""

    kind: str
    module: Module
    title: str
    summary: str
    key: str  # lesson key or case slug


def search(query: str, limit: int = 50) -> list[SearchHit]:
    """Lessons and cases containing every word of the query, ignoring diacritics and case."""
    words = [w for w in fold(query).split() if len(w) >= 2][:8]
    if not words:
        return []
    def matches(column):
        return and_(*[column.like(f"%{w}%") for w in words])

    lessons = db.session.execute(
        select(Lesson, LessonVersion, Module).join(LessonVersion, LessonVersion.id == Lesson.current_version_id)
        .join(Module).where(matches(LessonVersion.search_text)).order_by(Module.number, Lesson.number).limit(limit)).all()
    cases = db.session.execute(
        select(Case, CaseVersion, Module).join(CaseVersion, CaseVersion.id == Case.current_version_id)
        .join(Module).where(matches(CaseVersion.search_text)).order_by(Module.number, Case.position).limit(limit)).all()
    hits = [SearchHit("lesson", m, v.title, v.summary, lesson.key) for lesson, v, m in lessons]
    hits += [SearchHit("case", m, v.title, v.summary, case.slug) for case, v, m in cases]
    return hits
