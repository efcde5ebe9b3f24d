"""Authoring units of work: drafts, publishing, restoring, copying, a module's details; each flushes and is
audited, never commits (the request boundary in lms/unit_of_work.py does)."""
from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import func, select

import lms.audit as audit
from lms.authoring.sources import copy_case
from lms.catalog.store import (
    apply_module_doc,
    case_definition,
    new_case_version,
    new_lesson_version,
)
from lms.content.export import content_hash
from lms.content.render import LinkResolver
from lms.content.schema import LessonDoc, ModuleDoc
from lms.database import upsert
from lms.domain.cases import CaseDefinition
from lms.domain.errors import DomainError
from lms.extensions import db
from lms.models import (
    Case,
    CaseVersion,
    ContentDraft,
    Lesson,
    LessonVersion,
    Module,
    User,
)

log = logging.getLogger(__name__)


class AuthoringError(DomainError, ValueError):
    """A publish that would break an identity rule (a taken number or slug); code names the rule."""

    status = 409


def save_draft(module: Module, kind: str, key: str, text: str, base_version: int | None, actor: User,
               now: datetime) -> ContentDraft:
    """Keep work in progress on a lesson or case, valid or not, replacing the previous draft of that item."""
    draft = upsert(ContentDraft, {"module_id": module.id, "kind": kind, "key": key},
                   {"text": text, "base_version": base_version, "author_id": actor.id, "updated_at": now})
    audit.record(actor, "draft.saved", "module", module.id, now, kind=kind, key=key, base_version=base_version)
    return draft


def discard_draft(module: Module, kind: str, key: str, actor: User, now: datetime) -> bool:
    """Throw away the draft of one item; False when there was none."""
    if not _delete_draft(module, kind, key):
        return False
    audit.record(actor, "draft.discarded", "module", module.id, now, kind=kind, key=key)
    return True


def _delete_draft(module: Module, kind: str, key: str) -> bool:
    draft = db.session.scalar(select(ContentDraft).filter_by(module_id=module.id, kind=kind, key=key))
    if draft is not None:
        db.session.delete(draft)
        db.session.flush()
    return draft is not None


def publish_lesson(module: Module, lesson: Lesson | None, doc: LessonDoc, resolve: LinkResolver, actor: User,
                   now: datetime, via: str = "editor") -> LessonVersion | None:
    """Make a validated lesson the current version (creating the lesson if new); None when nothing changed."""
    lesson = lesson or _new_lesson(module, doc)
    unchanged = lesson.current is not None and lesson.current.content_hash == content_hash(doc)
    version = None if unchanged else new_lesson_version(lesson, doc, resolve, now, source="browser", author=actor)
    if via == "editor":  # the editor published its draft; an upload leaves a draft in progress alone
        _delete_draft(module, "lesson", lesson.key)
    _record_publication(actor, "lesson", lesson.id, now, via, version, module=module.key, key=lesson.key)
    return version


def _record_publication(actor: User, kind: str, target_id: int, now: datetime, via: str, version, **details) -> None:
    action = f"{kind}.uploaded" if via == "upload" else f"{kind}.published"
    audit.record(actor, action, kind, target_id, now, version=version.version if version else None,
                 unchanged=version is None, **details)
    if version is not None:
        log.info("%s %s: version %d by %s", kind, "/".join(map(str, details.values())), version.version,
                 actor.username)


def _new_lesson(module: Module, doc: LessonDoc) -> Lesson:
    # retired lessons (numbered 0 or below) keep their slug: look at every row, not module.lessons
    taken = dict(db.session.execute(select(Lesson.slug, Lesson.number).where(Lesson.module_id == module.id)).all())
    if doc.slug in taken:
        raise AuthoringError("lesson_slug_taken", slug=doc.slug)
    if doc.number in taken.values():
        raise AuthoringError("lesson_number_taken", number=f"{doc.number:02d}")
    lesson = Lesson(module=module, number=doc.number, slug=doc.slug)
    db.session.add(lesson)
    db.session.flush()
    return lesson


def publish_case(module: Module, case: Case | None, definition: CaseDefinition, resolve: LinkResolver, actor: User,
                 now: datetime, via: str = "editor") -> CaseVersion | None:
    """Make a validated case the current version (creating the case if new); None when nothing changed."""
    case = case or _new_case(module, definition.slug)
    unchanged = case.current is not None and case.current.content_hash == content_hash(definition)
    version = None if unchanged else new_case_version(case, definition, resolve, now, source="browser", author=actor)
    if via == "editor":
        _delete_draft(module, "case", case.slug)
    _record_publication(actor, "case", case.id, now, via, version, module=module.key, slug=case.slug)
    return version


def _new_case(module: Module, slug: str) -> Case:
    if db.session.scalar(select(func.count()).select_from(Case).where(Case.slug == slug)):
        raise AuthoringError("case_slug_taken", slug=slug)
    position = 1 + (db.session.scalar(select(func.max(Case.position)).where(Case.module_id == module.id)) or 0)
    case = Case(module=module, slug=slug, position=position)
    db.session.add(case)
    db.session.flush()
    return case


def restore_lesson_version(lesson: Lesson, old: LessonVersion, resolve: LinkResolver, actor: User,
                           now: datetime) -> LessonVersion:
    """Publish the text of an earlier version as a new version; the old one stays as it was."""
    doc = LessonDoc(lesson.number, lesson.slug, old.title, old.summary, old.body_md)
    version = new_lesson_version(lesson, doc, resolve, now, source="browser", author=actor)
    audit.record(actor, "lesson.restored", "lesson", lesson.id, now, module=lesson.module.key, key=lesson.key,
                 restored=old.version, version=version.version)
    return version


def restore_case_version(case: Case, old: CaseVersion, resolve: LinkResolver, actor: User,
                         now: datetime) -> CaseVersion:
    """Publish the text of an earlier version as a new version; attempts stay on the versions they saw."""
    version = new_case_version(case, case_definition(old, case.slug), resolve, now, source="browser", author=actor)
    audit.record(actor, "case.restored", "case", case.id, now, module=case.module.key, slug=case.slug,
                 restored=old.version, version=version.version)
    return version


def duplicate_case(module: Module, case: Case, slug: str, actor: User, now: datetime) -> ContentDraft:
    """Start a new case as a draft copy of another's current version; it is published like any draft."""
    taken = db.session.scalar(select(func.count()).select_from(ContentDraft).filter_by(
        module_id=module.id, kind="case", key=slug))
    if taken or db.session.scalar(select(func.count()).select_from(Case).where(Case.slug == slug)):
        raise AuthoringError("case_slug_taken", slug=slug)
    text = copy_case(case_definition(case.current, case.slug), slug)
    draft = ContentDraft(module_id=module.id, kind="case", key=slug, text=text, base_version=None,
                         author_id=actor.id, updated_at=now)
    db.session.add(draft)
    db.session.flush()
    audit.record(actor, "case.duplicated", "case", case.id, now, module=module.key, slug=case.slug, copy=slug,
                 version=case.current.version)
    return draft


def save_module_details(module: Module, doc: ModuleDoc, resolve: LinkResolver, actor: User, now: datetime) -> None:
    """Apply validated module details; the module is marked as edited in the browser (imports report a conflict)."""
    apply_module_doc(module, doc, resolve, now)
    module.edited_in_browser = True
    db.session.flush()
    audit.record(actor, "module.header_edited", "module", module.id, now, module=module.key, title=module.title)
