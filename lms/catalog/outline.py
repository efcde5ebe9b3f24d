"""The published course's structure as plain immutable values, kept in each worker per content revision.

The learner pages (catalogue, chuyên đề, lesson, progress, home) all need the same thing: every chuyên đề with its
lessons and cases and their current titles.  Loading it from the database took most of each page's time, yet it
changes only when someone publishes.  So it is read once per revision (three queries) and kept in the app; a
request pays one indexed look-up of the revision token.

The token changes in the same transaction as the content: a flush that adds, changes or deletes a module, lesson,
case or one of their versions writes a new random token (`install` registers that hook).  Every worker sees the
new token at its next request and reads the outline again; a rolled-back publication leaves the token as it was.
"""
from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, TypeVar
from uuid import uuid4

from flask import Flask, current_app, g, has_request_context
from sqlalchemy import event, insert, select, update
from sqlalchemy.orm import Session

from lms.extensions import db
from lms.models import Case, CaseVersion, ContentRevision, Lesson, LessonVersion, Module

T = TypeVar("T")
CONTENT_MODELS = (Module, Lesson, LessonVersion, Case, CaseVersion)
REVISION_ID = 1
REQUEST_KEY = "_course_outline"  # the outline this request uses, in flask.g


def _key(number: int, slug: str) -> str:
    return f"{number:02d}-{slug}"


@dataclass(frozen=True)
class LessonVersionView:
    """What the pages show of a lesson's current version."""

    id: int
    title: str
    summary: str
    body_html: str
    word_count: int


@dataclass(frozen=True)
class LessonView:
    """A lesson of the outline; `current` is its published version (None when it has none)."""

    id: int
    module_id: int
    number: int
    slug: str
    current: LessonVersionView | None

    @property
    def key(self) -> str:
        return _key(self.number, self.slug)


@dataclass(frozen=True)
class CaseVersionView:
    """What the pages show of a case's current version."""

    id: int
    title: str
    kind: str
    summary: str
    required: bool


@dataclass(frozen=True)
class CaseView:
    """A case of the outline, in its module's order."""

    id: int
    module_id: int
    slug: str
    position: int
    current: CaseVersionView | None


@dataclass(frozen=True)
class ModuleView:
    """A chuyên đề with its numbered lessons and its cases, as the learner pages read it."""

    id: int
    number: int
    slug: str
    title: str
    summary: str
    group: int
    hours: float
    objectives: tuple
    references: tuple
    intro_html: str
    pass_mark: float
    grading_policy: str
    knowledge_weight: float
    lessons: tuple[LessonView, ...] = ()
    cases: tuple[CaseView, ...] = ()

    @property
    def key(self) -> str:
        return _key(self.number, self.slug)


@dataclass(frozen=True)
class Outline:
    """Every chuyên đề in order, found by key or by id."""

    token: str | None
    modules: tuple[ModuleView, ...]
    by_key: dict[str, ModuleView] = field(default_factory=dict)
    by_id: dict[int, ModuleView] = field(default_factory=dict)
    derived: dict[Hashable, Any] = field(default_factory=dict)

    def keep(self, key: Hashable, build: Callable[[], T]) -> T:
        """What `build` makes of this revision of the course (a page's HTML for its chuyên đề cards, say), made
        once per key and kept as long as the outline: a publication makes a new outline and so builds it again."""
        if key not in self.derived:
            self.derived[key] = build()
        return self.derived[key]


def _read_outline(token: str | None) -> Outline:
    """Three queries, none of them loading a case's rendered stages or a lesson's Markdown source."""
    lessons: dict[int, list[LessonView]] = {}
    for row in db.session.execute(
            select(Lesson.id, Lesson.module_id, Lesson.number, Lesson.slug, LessonVersion.id.label("version_id"),
                   LessonVersion.title, LessonVersion.summary, LessonVersion.body_html, LessonVersion.word_count)
            .outerjoin(LessonVersion, LessonVersion.id == Lesson.current_version_id)
            .where(Lesson.number > 0).order_by(Lesson.number)):
        current = LessonVersionView(row.version_id, row.title, row.summary, row.body_html, row.word_count) \
            if row.version_id is not None else None
        lessons.setdefault(row.module_id, []).append(LessonView(row.id, row.module_id, row.number, row.slug, current))
    cases: dict[int, list[CaseView]] = {}
    for row in db.session.execute(
            select(Case.id, Case.module_id, Case.slug, Case.position, CaseVersion.id.label("version_id"),
                   CaseVersion.title, CaseVersion.kind, CaseVersion.summary, CaseVersion.required)
            .outerjoin(CaseVersion, CaseVersion.id == Case.current_version_id).order_by(Case.position, Case.id)):
        current = CaseVersionView(row.version_id, row.title, row.kind, row.summary, row.required) \
            if row.version_id is not None else None
        cases.setdefault(row.module_id, []).append(CaseView(row.id, row.module_id, row.slug, row.position, current))
    modules = tuple(
        ModuleView(m.id, m.number, m.slug, m.title, m.summary, m.group, m.hours, tuple(m.objectives or ()),
                   tuple(m.references or ()), m.intro_html, m.pass_mark, m.grading_policy, m.knowledge_weight,
                   tuple(lessons.get(m.id, ())), tuple(cases.get(m.id, ())))
        for m in db.session.execute(
            select(Module.id, Module.number, Module.slug, Module.title, Module.summary, Module.group, Module.hours,
                   Module.objectives, Module.references, Module.intro_html, Module.pass_mark, Module.grading_policy,
                   Module.knowledge_weight)
            .order_by(Module.number)))
    return Outline(token, modules, {m.key: m for m in modules}, {m.id: m for m in modules})


REVISION_TOKEN = select(ContentRevision.token).where(ContentRevision.id == REVISION_ID)  # every request: built once


def revision_token() -> str | None:
    """The current content revision (None in a database that has had no content change since it was emptied)."""
    return db.session.scalar(REVISION_TOKEN)


_lock = threading.Lock()


def course_outline() -> Outline:
    """The outline of the published course at this request's revision: from the worker's memory when it is current.

    A request asks for the token once: later calls in the same request get the same outline, unless the request
    itself changes the content (the hook below forgets it then)."""
    if has_request_context() and (outline := g.get(REQUEST_KEY)) is not None:
        return outline
    token = revision_token()
    cache = current_app.extensions.setdefault("course_outline", {})
    outline = cache.get("outline")
    if token is None or outline is None or outline.token != token:
        outline = _read_outline(token)
        if token is not None:
            with _lock:
                cache["outline"] = outline
    if has_request_context():
        g.setdefault(REQUEST_KEY, outline)
    return outline


def outline_module(module_key: str) -> ModuleView | None:
    """One chuyên đề of the outline by its key ('07-slug'), or None."""
    return course_outline().by_key.get(module_key)


def module_view(module_id: int) -> ModuleView | Module:
    """A chuyên đề by id as the outline holds it (no query in a warm worker); its row when this request's outline
    was read before the chuyên đề was written (the two have the attributes the grade and record code reads)."""
    return course_outline().by_id.get(module_id) or db.session.get(Module, module_id)


def _bump_on_content_change(session: Session, _flush_context, _instances) -> None:
    """Give the content a new revision token when this flush writes any of it (same transaction)."""
    touched = (*session.new, *session.dirty, *session.deleted)
    if not any(isinstance(obj, CONTENT_MODELS) for obj in touched):
        return
    if has_request_context():
        g.pop(REQUEST_KEY, None)
    values = {"token": uuid4().hex, "changed_at": datetime.now(timezone.utc)}
    connection = session.connection()
    changed = connection.execute(update(ContentRevision).where(ContentRevision.id == REVISION_ID).values(**values))
    if changed.rowcount == 0:
        connection.execute(insert(ContentRevision).values(id=REVISION_ID, **values))


def install(_app: Flask) -> None:
    """Register the token hook once for every session of the process."""
    if not event.contains(Session, "before_flush", _bump_on_content_change):
        event.listen(Session, "before_flush", _bump_on_content_change)
