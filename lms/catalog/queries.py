"""Reads of the course as stored: one module with its lessons and cases, every module (search: catalog.search)."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lms.extensions import db
from lms.models import Case, Lesson, Module


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
