"""Import the course into the database and export it back: versions are added, never altered."""
from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from sqlalchemy import select

from lms.catalog.search import index_version, indexed_versions
from lms.content.export import case_file, content_hash, dump_module, review_lists
from lms.content.render import LinkResolver, render_inline, render_markdown
from lms.content.schema import Course, LessonDoc, ModuleDoc, ModulePolicy, Reference
from lms.content.search import SearchDocument, case_document, lesson_document, plain_text
from lms.content.text import fold
from lms.content.validate_case import parse_case_text
from lms.domain.cases import CaseDefinition
from lms.domain.review_policy import DEFAULT as DEFAULT_REVIEW
from lms.domain.review_policy import ReviewPolicy
from lms.extensions import db
from lms.jobs.runner import periodic
from lms.models import Case, CaseVersion, Lesson, LessonVersion, Module, User

log = logging.getLogger(__name__)
ResolverFactory = Callable[[str], LinkResolver]  # module key -> resolver for links written in that module


@dataclass
class ImportReport:
    """What an import did: items created, given a new version, left alone, or in conflict."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    conflicts: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """True when the database was modified."""
        return bool(self.created or self.updated)


def module_hash(doc: ModuleDoc) -> str:
    """Hash of the module header and introduction only (lessons and cases are versioned on their own)."""
    return hashlib.sha256(dump_module(doc).encode("utf-8")).hexdigest()


def _references(doc: ModuleDoc) -> list[dict]:
    return [_reference_row(r) for r in doc.references]


def _reference_row(r: Reference) -> dict:
    """A reference as stored on the module row; the optional facts only when present."""
    row = {"number": r.number, "title": r.title, "date": r.date.isoformat() if r.date else None,
           "verified": r.verified}
    extra = {"issuer": r.issuer, "in_force": r.in_force, "source": r.source,
             "checked_on": r.checked_on.isoformat() if r.checked_on else None}
    return {**row, **{key: value for key, value in extra.items() if value not in ("", None)}}


def apply_module_doc(row: Module, doc: ModuleDoc, resolve: LinkResolver, now: datetime) -> None:
    """Write a module header (title, objectives, references, policy, introduction) onto its row."""
    row.number, row.slug, row.title, row.summary = doc.number, doc.slug, doc.title, doc.summary
    row.group, row.hours, row.objectives, row.references = doc.group, doc.hours, list(doc.objectives), _references(doc)
    row.intro_md, row.intro_html = doc.intro, render_markdown(doc.intro, resolve)
    p = doc.policy
    row.pass_mark, row.attempts_allowed, row.grading_policy = p.pass_mark, p.attempts_allowed, p.grading_policy
    row.time_limit_minutes, row.key_visible_from = p.time_limit_minutes, p.key_visible_from
    row.review_policy = None if p.review == DEFAULT_REVIEW else review_lists(p.review)
    row.knowledge_weight, row.discussion_opens = p.knowledge_weight, p.discussion
    row.content_hash, row.edited_in_browser, row.updated_at = module_hash(doc), False, now


def new_lesson_version(lesson: Lesson, doc: LessonDoc, resolve: LinkResolver, now: datetime,
                       source: str = "import", author: User | None = None) -> LessonVersion:
    """Add a rendered version of a lesson and make it current."""
    number = 1 + (db.session.scalar(select(db.func.max(LessonVersion.version)).where(
        LessonVersion.lesson_id == lesson.id)) or 0) if lesson.id else 1
    text = plain_text(doc.body)
    version = LessonVersion(lesson_id=lesson.id, version=number, title=doc.title, summary=doc.summary, body_md=doc.body,
                            body_html=render_markdown(doc.body, resolve),
                            search_text=fold(f"{doc.title} {doc.summary} {text}"), word_count=len(text.split()),
                            content_hash=content_hash(doc), source=source, created_at=now,
                            created_by_id=author.id if author else None)
    db.session.add(version)
    db.session.flush()
    _make_current(lesson, version, lesson_document(version.title, version.summary, version.body_html))
    return version


def _make_current(item: Lesson | Case, version: LessonVersion | CaseVersion, document: SearchDocument) -> None:
    """Make the version current and index its text for search: every publication, import or restore comes here."""
    item.current = version
    index_version("lesson" if isinstance(item, Lesson) else "case", item.id, version.id, document)


def render_case(case: CaseDefinition, resolve: LinkResolver) -> dict:
    """The HTML of every text in a case, rendered once per version (each question variant under its own key)."""
    def inline(text: str) -> str:
        return render_inline(text, resolve) if text else ""

    def question(q) -> dict:
        return {
            "prompt": inline(q.prompt),
            "options": {o.id: {"text": inline(o.text), "rationale": inline(o.rationale), "basis": inline(o.basis)}
                        for o in q.options},
            "rubric": {c.id: {"title": inline(c.title), "levels": [inline(lv.description) for lv in c.levels]}
                       for c in q.rubric},
        }

    return {
        "scenario": render_markdown(case.scenario, resolve),
        "debrief": render_markdown(case.debrief, resolve),
        "stages": {s.id: {"text": render_markdown(s.text, resolve), "questions": {
            v.render_key: question(v) for q in s.questions for v in (q, *q.variants)}} for s in case.stages},
    }


def case_search_text(case: CaseDefinition) -> str:
    """Folded text of a case for accent-insensitive search."""
    parts = [case.title, case.summary, plain_text(case.scenario)]
    parts += [f"{s.title} {plain_text(s.text)} {' '.join(q.prompt for q in s.questions)}" for s in case.stages]
    return fold(" ".join(parts))


def new_case_version(case: Case, doc: CaseDefinition, resolve: LinkResolver, now: datetime,
                     source: str = "import", author: User | None = None) -> CaseVersion:
    """Add a rendered version of a case and make it current."""
    number = 1 + (db.session.scalar(select(db.func.max(CaseVersion.version)).where(
        CaseVersion.case_id == case.id)) or 0) if case.id else 1
    version = CaseVersion(case_id=case.id, version=number, title=doc.title, kind=doc.kind.value, summary=doc.summary,
                          required=doc.required, source_md=case_file(doc), rendered=render_case(doc, resolve),
                          search_text=case_search_text(doc), content_hash=content_hash(doc), source=source,
                          created_at=now, created_by_id=author.id if author else None)
    db.session.add(version)
    db.session.flush()
    _make_current(case, version, case_document(doc))
    return version


def index_current_versions() -> int:
    """Index the current lessons and cases the search index lacks (those current before it existed); how many."""
    indexed = indexed_versions()
    count = 0
    for lesson in db.session.scalars(select(Lesson).where(Lesson.current_version_id.is_not(None))):
        if ("lesson", lesson.current_version_id) not in indexed:
            version = lesson.current
            _make_current(lesson, version, lesson_document(version.title, version.summary, version.body_html))
            count += 1
    for case in db.session.scalars(select(Case).where(Case.current_version_id.is_not(None))):
        if ("case", case.current_version_id) not in indexed:
            _make_current(case, case.current, case_document(case_definition(case.current, case.slug)))
            count += 1
    return count


@periodic
def index_missing_versions(now: datetime) -> int:
    """The worker's five-minute tick: index what the search index lacks, so that after an upgrade to 0014
    search works without waiting for the next `flask content import`. Reads two short lists when nothing is
    missing."""
    if indexed := index_current_versions():
        log.info("search index: %d current versions indexed", indexed)
    return indexed


def _sync(current, doc_hash: str, force: bool, label: str, report: ImportReport) -> bool:
    """Decide whether an existing item takes a new version; records unchanged items and conflicts."""
    if current is not None and current.content_hash == doc_hash:
        report.unchanged += 1
        return False
    if current is not None and current.source == "browser" and not force:
        report.conflicts.append(label)
        return False
    return True


def import_course(course: Course, now: datetime, resolvers: ResolverFactory, *, force: bool = False,
                  on_module: Callable[[ModuleDoc], None] | None = None) -> ImportReport:
    """Load a validated course: new items are created, changed ones get a new version, the rest stay."""
    report = ImportReport()
    modules = {m.slug: m for m in db.session.scalars(select(Module))}
    for doc in course.modules:
        resolve = resolvers(doc.key)
        row = modules.get(doc.slug)
        if row is None:
            row = Module(number=doc.number, slug=doc.slug)
            db.session.add(row)
            apply_module_doc(row, doc, resolve, now)
            report.created.append(doc.key)
        elif row.content_hash != module_hash(doc) or row.number != doc.number:
            if row.edited_in_browser and not force:
                report.conflicts.append(doc.key)
            else:
                apply_module_doc(row, doc, resolve, now)
                report.updated.append(doc.key)
        else:
            report.unchanged += 1
        db.session.flush()
        _import_lessons(row, doc, resolve, now, force, report)
        _import_cases(row, doc, resolve, now, force, report)
        if on_module:
            on_module(doc)
    if indexed := index_current_versions():
        log.info("search index: %d current versions indexed", indexed)
    log.info("content import: %d created, %d updated, %d unchanged, %d conflicts", len(report.created),
             len(report.updated), report.unchanged, len(report.conflicts))
    return report


def _import_lessons(module: Module, doc: ModuleDoc, resolve, now, force, report) -> None:
    existing = {lesson.slug: lesson for lesson in db.session.scalars(select(Lesson).where(Lesson.module_id == module.id))}
    numbers = {lesson_doc.slug: lesson_doc.number for lesson_doc in doc.lessons}
    for lesson in existing.values():
        # Park renumbered lessons on free (negative) numbers first, so swapping two never collides; a lesson
        # no longer in the files stays parked: retired from the module, its learners' progress kept.
        target = numbers.get(lesson.slug)
        if target is None and lesson.number > 0:
            report.retired.append(f"{doc.key}/lessons/{lesson.key}")
        if target != lesson.number and lesson.number > 0:
            lesson.number = -lesson.id
    db.session.flush()
    for lesson_doc in doc.lessons:
        label = f"{doc.key}/lessons/{lesson_doc.key}"
        lesson = existing.get(lesson_doc.slug)
        if lesson is None:
            lesson = Lesson(module=module, number=lesson_doc.number, slug=lesson_doc.slug)
            db.session.add(lesson)
            db.session.flush()
            new_lesson_version(lesson, lesson_doc, resolve, now)
            report.created.append(label)
            continue
        lesson.number = lesson_doc.number
        if _sync(lesson.current, content_hash(lesson_doc), force, label, report):
            new_lesson_version(lesson, lesson_doc, resolve, now)
            report.updated.append(label)


def _import_cases(module: Module, doc: ModuleDoc, resolve, now, force, report) -> None:
    existing = {case.slug: case for case in db.session.scalars(select(Case).where(
        Case.slug.in_([c.slug for c in doc.cases])))}
    for position, case_doc in enumerate(doc.cases, start=1):
        label = f"{doc.key}/cases/{case_doc.slug}"
        case = existing.get(case_doc.slug)
        if case is None:
            case = Case(module=module, slug=case_doc.slug, position=position)
            db.session.add(case)
            db.session.flush()
            new_case_version(case, case_doc, resolve, now)
            report.created.append(label)
            continue
        case.module, case.position = module, position
        if _sync(case.current, content_hash(case_doc), force, label, report):
            new_case_version(case, case_doc, resolve, now)
            report.updated.append(label)


@lru_cache(maxsize=512)
def _parse_case(source_md: str, slug: str) -> CaseDefinition:
    case, problems = parse_case_text(source_md, slug)
    if case is None:
        raise ValueError(f"stored case {slug} no longer parses: {problems[0] if problems else '?'}")
    return case


def case_definition(version: CaseVersion, slug: str) -> CaseDefinition:
    """The pure case definition of a stored version (versions are immutable, so parsing is cached)."""
    return _parse_case(version.source_md, slug)


def module_doc(row: Module) -> ModuleDoc:
    """The module as content objects, from its current lesson and case versions."""
    from datetime import date

    refs = tuple(Reference(r["number"], r.get("title") or "", date.fromisoformat(r["date"]) if r.get("date") else None,
                           bool(r.get("verified")), r.get("issuer") or "", r.get("in_force"),
                           date.fromisoformat(r["checked_on"]) if r.get("checked_on") else None,
                           r.get("source") or "") for r in row.references)
    policy = ModulePolicy(row.pass_mark, row.attempts_allowed, row.grading_policy, row.time_limit_minutes,
                          row.key_visible_from, review_policy_of(row), row.knowledge_weight, row.discussion_opens)
    lessons = tuple(LessonDoc(lesson.number, lesson.slug, lesson.current.title, lesson.current.summary,
                              lesson.current.body_md) for lesson in row.lessons if lesson.current)
    cases = tuple(case_definition(case.current, case.slug) for case in row.cases if case.current)
    return ModuleDoc(row.number, row.slug, row.title, row.summary, row.group, row.hours, tuple(row.objectives), refs,
                     policy, row.intro_md, lessons, cases)


def export_course() -> Course:
    """The whole course as it stands in the database."""
    return Course(tuple(module_doc(row) for row in db.session.scalars(select(Module).order_by(Module.number))))


def review_policy_of(row: Module) -> ReviewPolicy:
    """The module's review policy (the default when none is stored)."""
    stored = row.review_policy
    return ReviewPolicy.from_lists(stored["after_attempt"], stored["after_last"]) if stored else DEFAULT_REVIEW
