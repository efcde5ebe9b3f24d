"""Read models for authoring: who may author a module, its items, drafts, versions and the link index."""
from __future__ import annotations

from sqlalchemy import func, select

from lms.content.export import lesson_file
from lms.content.links import LinkIndex
from lms.content.schema import LessonDoc
from lms.extensions import db
from lms.models import (
    Case,
    CaseVersion,
    ContentDraft,
    Lesson,
    LessonVersion,
    Module,
    ModuleInstructor,
    User,
)


def list_authored_modules(user: User) -> list[Module]:
    """The modules a staff member may author, in order: administrators get all of them."""
    stmt = select(Module).order_by(Module.number)
    if not user.is_admin:
        stmt = stmt.join(ModuleInstructor, ModuleInstructor.module_id == Module.id).where(
            ModuleInstructor.user_id == user.id)
    return list(db.session.scalars(stmt))


def get_lesson(module: Module, lesson_key: str) -> Lesson | None:
    """The module's lesson with this key ('02-slug'), or None."""
    return next((lesson for lesson in module.lessons if lesson.key == lesson_key), None)


def get_case(module: Module, slug: str) -> Case | None:
    """The module's case with this slug, or None."""
    return next((case for case in module.cases if case.slug == slug), None)


def is_case_slug_taken(slug: str, module: Module) -> bool:
    """True when a case anywhere in the course, or a draft in this module, already uses this slug."""
    drafts = select(func.count()).select_from(ContentDraft).filter_by(module_id=module.id, kind="case", key=slug)
    return (db.session.scalar(select(func.count()).select_from(Case).where(Case.slug == slug)) > 0
            or db.session.scalar(drafts) > 0)


def free_case_slug(base: str, module: Module) -> str:
    """`base`, or base-2, base-3 ... whichever no case or draft uses yet ('' stays '')."""
    if not base:
        return ""
    candidate, n = base, 1
    while is_case_slug_taken(candidate, module):
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def taken_lesson_slugs(module: Module) -> frozenset[str]:
    """The slugs used by the module's lessons (retired ones too) and by drafts of its new lessons."""
    keys = db.session.scalars(select(ContentDraft.key).filter_by(module_id=module.id, kind="lesson"))
    slugs = db.session.scalars(select(Lesson.slug).where(Lesson.module_id == module.id))  # retired ones too
    return frozenset(set(slugs) | {key[3:] for key in keys})


def get_draft(module: Module, kind: str, key: str) -> ContentDraft | None:
    """The draft of one lesson or case of the module, or None."""
    return db.session.scalar(select(ContentDraft).filter_by(module_id=module.id, kind=kind, key=key))


def list_drafts(module: Module) -> list[tuple[ContentDraft, str | None]]:
    """The module's drafts in progress with their author's name, most recent first."""
    stmt = (select(ContentDraft, User.full_name).outerjoin(User, User.id == ContentDraft.author_id)
            .where(ContentDraft.module_id == module.id).order_by(ContentDraft.updated_at.desc(), ContentDraft.id))
    return [(draft, name) for draft, name in db.session.execute(stmt)]


def next_lesson_number(module: Module) -> int:
    """The number a new lesson takes: one past the highest used by a lesson or a draft of a new lesson."""
    numbers = [lesson.number for lesson in module.lessons]
    keys = db.session.scalars(select(ContentDraft.key).filter_by(module_id=module.id, kind="lesson"))
    numbers += [int(key[:2]) for key in keys if key[:2].isdigit()]
    return max(numbers, default=0) + 1


def list_lesson_versions(lesson: Lesson) -> list[tuple[LessonVersion, str | None]]:
    """Every version of a lesson, newest first, with its author's name (None when imported from files)."""
    stmt = (select(LessonVersion, User.full_name).outerjoin(User, User.id == LessonVersion.created_by_id)
            .where(LessonVersion.lesson_id == lesson.id).order_by(LessonVersion.version.desc()))
    return [(version, name) for version, name in db.session.execute(stmt)]


def list_case_versions(case: Case) -> list[tuple[CaseVersion, str | None]]:
    """Every version of a case, newest first, with its author's name (None when imported from files)."""
    stmt = (select(CaseVersion, User.full_name).outerjoin(User, User.id == CaseVersion.created_by_id)
            .where(CaseVersion.case_id == case.id).order_by(CaseVersion.version.desc()))
    return [(version, name) for version, name in db.session.execute(stmt)]


def get_lesson_version(lesson: Lesson, number: int) -> LessonVersion | None:
    """One version of a lesson by its number."""
    return db.session.scalar(select(LessonVersion).filter_by(lesson_id=lesson.id, version=number))


def get_case_version(case: Case, number: int) -> CaseVersion | None:
    """One version of a case by its number."""
    return db.session.scalar(select(CaseVersion).filter_by(case_id=case.id, version=number))


def lesson_doc(lesson: Lesson, version: LessonVersion) -> LessonDoc:
    """A stored lesson version as a content object."""
    return LessonDoc(lesson.number, lesson.slug, version.title, version.summary, version.body_md)


def lesson_text(lesson: Lesson, version: LessonVersion | None) -> str:
    """The lesson file text of a version ('' for none), as downloaded and compared."""
    return lesson_file(lesson_doc(lesson, version)) if version else ""


def get_link_index(*, lesson: tuple[str, str] | None = None, case: str | None = None) -> LinkIndex:
    """What internal links may point to, from the database; an item being created may be added."""
    modules = {m.id: m.key for m in db.session.scalars(select(Module))}
    lessons: dict[str, set[str]] = {key: set() for key in modules.values()}
    rows = db.session.execute(select(Lesson.module_id, Lesson.number, Lesson.slug).where(Lesson.number > 0))
    for module_id, number, slug in rows:
        lessons[modules[module_id]].add(f"{number:02d}-{slug}")
    if lesson:
        lessons.setdefault(lesson[0], set()).add(lesson[1])
    cases = set(db.session.scalars(select(Case.slug))) | ({case} if case else set())
    return LinkIndex(frozenset(modules.values()), {k: frozenset(v) for k, v in lessons.items()}, frozenset(cases))
