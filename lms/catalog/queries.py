"""Reads of the course as stored: one module with its lessons and cases, every module, search."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, select
from sqlalchemy.orm import selectinload

from lms.content.text import fold
from lms.extensions import db
from lms.models import Case, CaseVersion, Lesson, LessonVersion, Module


def get_module(module_key: str) -> Module | None:
    """The module with this key ('07-slug'), lessons and cases loaded, or None."""
    number, _, slug = module_key.partition("-")
    if not number.isdigit():
        return None
    return db.session.scalar(select(Module).where(Module.number == int(number), Module.slug == slug).options(
        selectinload(Module.lessons).selectinload(Lesson.current),
        selectinload(Module.cases).selectinload(Case.current)))


def get_published_case(slug: str) -> Case | None:
    """The case with this slug, if it has a published version."""
    case = db.session.scalar(select(Case).where(Case.slug == slug))
    return case if case is not None and case.current is not None else None


def list_modules_with_cases() -> list[Module]:
    """Every module in order, with its lessons and cases' current versions loaded."""
    return list(db.session.scalars(select(Module).order_by(Module.number).options(
        selectinload(Module.lessons), selectinload(Module.cases).selectinload(Case.current))))


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
