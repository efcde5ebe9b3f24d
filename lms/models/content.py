"""Course content in the database: modules, and lessons and cases with immutable versions."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.database import UTCDateTime
from lms.extensions import db


class Module(db.Model):
    """One of the 18 modules (chuyên đề), with its assessment policy."""

    __tablename__ = "modules"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(Integer, unique=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text)
    group: Mapped[int] = mapped_column(Integer)
    hours: Mapped[float] = mapped_column(Float)
    objectives: Mapped[list] = mapped_column(JSON, default=list)
    references: Mapped[list] = mapped_column(JSON, default=list)
    intro_md: Mapped[str] = mapped_column(Text, default="")
    intro_html: Mapped[str] = mapped_column(Text, default="")
    pass_mark: Mapped[float] = mapped_column(Float, default=5.0)
    attempts_allowed: Mapped[int] = mapped_column(Integer, default=3)
    grading_policy: Mapped[str] = mapped_column(String(16), default="best")
    time_limit_minutes: Mapped[int] = mapped_column(Integer, default=0)
    key_visible_from: Mapped[date | None] = mapped_column(Date)
    knowledge_weight: Mapped[float] = mapped_column(Float, default=0.2)  # knowledge checks' share of the grade
    discussion_opens: Mapped[str] = mapped_column(String(20), default="after_submit", server_default="after_submit")
    review_policy: Mapped[dict | None] = mapped_column(JSON)  # {after_attempt: [...], after_last: [...]}; None: default
    content_hash: Mapped[str] = mapped_column(String(64))
    edited_in_browser: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    # Lessons numbered 0 or below are retired (removed from the files, kept for their learners' progress).
    lessons: Mapped[list[Lesson]] = relationship(
        primaryjoin="and_(Module.id == Lesson.module_id, Lesson.number > 0)", order_by="Lesson.number", viewonly=True)
    cases: Mapped[list[Case]] = relationship(back_populates="module", order_by="Case.position")

    @property
    def key(self) -> str:
        """The folder name, e.g. '07-kiem-tra-giam-sat-ky-luat'."""
        return f"{self.number:02d}-{self.slug}"


class Lesson(db.Model):
    """A lesson's identity and place in its module; its text lives in versions."""

    __tablename__ = "lessons"
    # Explicit names: the naming convention names both after their first column, which PostgreSQL refuses.
    __table_args__ = (UniqueConstraint("module_id", "slug", name="uq_lessons_module_id_slug"),
                      UniqueConstraint("module_id", "number", name="uq_lessons_module_id_number"))

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    slug: Mapped[str] = mapped_column(String(120))
    current_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("lesson_versions.id", use_alter=True, ondelete="SET NULL"))

    module: Mapped[Module] = relationship()
    current: Mapped[LessonVersion | None] = relationship(foreign_keys=[current_version_id], post_update=True)

    @property
    def key(self) -> str:
        """The file stem, e.g. '02-vai-tro'."""
        return f"{self.number:02d}-{self.slug}"


class LessonVersion(db.Model):
    """One immutable text of a lesson, rendered once when it is created."""

    __tablename__ = "lesson_versions"
    __table_args__ = (UniqueConstraint("lesson_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lessons.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text)
    body_md: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    search_text: Mapped[str] = mapped_column(Text)
    word_count: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(16))  # "import" or "browser"
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class Case(db.Model):
    """A situation case's identity (its slug never changes meaning); its content lives in versions."""

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"), index=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    position: Mapped[int] = mapped_column(Integer)
    current_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("case_versions.id", use_alter=True, ondelete="SET NULL"))

    module: Mapped[Module] = relationship(back_populates="cases")
    current: Mapped[CaseVersion | None] = relationship(foreign_keys=[current_version_id], post_update=True)


class CaseVersion(db.Model):
    """One immutable version of a case; attempts are pinned to it."""

    __tablename__ = "case_versions"
    __table_args__ = (UniqueConstraint("case_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(40))
    summary: Mapped[str] = mapped_column(Text)
    required: Mapped[bool] = mapped_column(Boolean, default=True)
    source_md: Mapped[str] = mapped_column(Text)  # the case file, as written
    rendered: Mapped[dict] = mapped_column(JSON)  # HTML of scenario, debrief, stage texts, options, rationales
    search_text: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(16))  # "import" or "browser"
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class LessonProgress(db.Model):
    """A learner marked a lesson as studied."""

    __tablename__ = "lesson_progress"
    __table_args__ = (UniqueConstraint("user_id", "lesson_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lessons.id", ondelete="CASCADE"), index=True)
    studied_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ModuleInstructor(db.Model):
    """An instructor assigned to author a module's lessons and cases."""

    __tablename__ = "module_instructors"
    __table_args__ = (UniqueConstraint("module_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ContentDraft(db.Model):
    """Work in progress on a lesson or case, in the content file format; it may not validate yet."""

    __tablename__ = "content_drafts"
    __table_args__ = (UniqueConstraint("module_id", "kind", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # "lesson" or "case"
    key: Mapped[str] = mapped_column(String(130))  # lesson key "NN-slug" or case slug
    text: Mapped[str] = mapped_column(Text)
    base_version: Mapped[int | None] = mapped_column(Integer)  # the version the draft started from
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ContentRevision(db.Model):
    """One row whose token changes whenever the published course changes (modules, lessons, cases, versions).

    Caches of the course's structure are keyed by the token, so every worker sees a publication at its next
    request.  A random token, not a counter: a database emptied and filled again never repeats an old one."""

    __tablename__ = "content_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(32))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime)
