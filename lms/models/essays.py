"""The course's final essay: its brief as imported from content/essay.md, and each learner's submission."""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.sql import true

from lms.database import UTCDateTime
from lms.extensions import db
from lms.models.cohorts import Cohort
from lms.models.users import User


class EssayState(StrEnum):
    """A submitted essay waits for an instructor; a graded one has its rubric scores and score."""

    SUBMITTED = "submitted"
    GRADED = "graded"


class CourseEssay(db.Model):
    """The final essay's brief and rubric (one row: the course's essay as last imported)."""

    __tablename__ = "course_essays"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text)
    brief_md: Mapped[str] = mapped_column(Text)
    brief_html: Mapped[str] = mapped_column(Text)
    rubric: Mapped[list] = mapped_column(JSON)  # [{id, title, levels: [{points, description}]}]
    weight: Mapped[float] = mapped_column(Float)
    pass_mark: Mapped[float] = mapped_column(Float)
    max_chars: Mapped[int] = mapped_column(Integer)
    required: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())  # needed to complete
    content_hash: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class EssaySubmission(db.Model):
    """One learner's final essay in one cohort: the text, an optional attached file, and its grading."""

    __tablename__ = "essay_submissions"
    __table_args__ = (UniqueConstraint("user_id", "cohort_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    file_name: Mapped[str | None] = mapped_column(String(255))  # as the learner named it
    stored_name: Mapped[str | None] = mapped_column(String(80))  # the random name under ESSAY_UPLOAD_DIR
    file_kind: Mapped[str | None] = mapped_column(String(8))  # pdf | docx
    file_size: Mapped[int | None] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(16), default=EssayState.SUBMITTED, index=True)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    rubric_scores: Mapped[dict | None] = mapped_column(JSON)
    feedback: Mapped[str | None] = mapped_column(Text)
    score: Mapped[float | None] = mapped_column(Float)  # on the 10-point scale
    graded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    graded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    review_version: Mapped[int] = mapped_column(Integer, default=0)  # optimistic lock for graders

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    cohort: Mapped[Cohort] = relationship()
