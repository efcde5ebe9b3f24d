"""Learners' attempts at cases, pinned to the case version they saw, and their saved answers."""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    JSON,
    BigInteger,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.database import UTCDateTime
from lms.extensions import db
from lms.models.cohorts import Cohort
from lms.models.content import Case, CaseVersion
from lms.models.users import User


class AttemptState(StrEnum):
    """in progress -> submitted -> graded, or -> awaiting review when a written answer needs an instructor."""

    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"
    AWAITING_REVIEW = "awaiting_review"
    GRADED = "graded"


FINISHED_STATES = (AttemptState.SUBMITTED, AttemptState.AWAITING_REVIEW, AttemptState.GRADED)


class Attempt(db.Model):
    """One learner's attempt at one case version."""

    __tablename__ = "attempts"
    __table_args__ = (
        UniqueConstraint("user_id", "case_id", "number"),
        # At most one open attempt per learner and case, even with two tabs starting at once.
        Index("uq_attempts_one_open", "user_id", "case_id", unique=True,
              sqlite_where=text("state = 'in_progress'"), postgresql_where=text("state = 'in_progress'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    case_version_id: Mapped[int] = mapped_column(ForeignKey("case_versions.id", ondelete="RESTRICT"), index=True)
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohorts.id", ondelete="SET NULL"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(20), default=AttemptState.IN_PROGRESS, index=True)
    path: Mapped[list] = mapped_column(JSON, default=list)  # stage ids entered, the current one last
    option_seed: Mapped[int | None] = mapped_column(BigInteger)  # this attempt's option order; None: authored order
    # the corrected version whose key last regraded this attempt (the attempt stays pinned to case_version_id)
    regraded_version_id: Mapped[int | None] = mapped_column(ForeignKey("case_versions.id", ondelete="SET NULL"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    deadline_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    saved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    graded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    points: Mapped[float | None] = mapped_column(Float)
    max_points: Mapped[float | None] = mapped_column(Float)
    score: Mapped[float | None] = mapped_column(Float)  # on the 10-point scale
    timed_out: Mapped[bool] = mapped_column(default=False)
    late: Mapped[bool] = mapped_column(default=False)  # submitted after the chuyên đề's due date, before it closed
    review_version: Mapped[int] = mapped_column(Integer, default=0)  # optimistic lock for instructors' grading
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    reviewed_by: Mapped[User | None] = relationship(foreign_keys=[reviewed_by_id])
    case: Mapped[Case] = relationship()
    cohort: Mapped[Cohort | None] = relationship()  # read with the attempt by a step, for the learning records
    case_version: Mapped[CaseVersion] = relationship(foreign_keys=[case_version_id])
    answers: Mapped[list[AttemptAnswer]] = relationship(back_populates="attempt", cascade="all, delete-orphan")

    @property
    def current_stage_id(self) -> str | None:
        """The stage the learner is working on."""
        return self.path[-1] if self.path else None

    @property
    def is_open(self) -> bool:
        """True while the learner may still change answers."""
        return self.state == AttemptState.IN_PROGRESS

    @property
    def is_review_graded(self) -> bool:
        """True once an instructor has graded its written answers: only such an attempt can be regraded."""
        return self.state == AttemptState.GRADED and self.reviewed_at is not None


class AttemptAnswer(db.Model):
    """The saved answer to one question of an attempt: the form as the learner left it, and its grading."""

    __tablename__ = "attempt_answers"
    __table_args__ = (UniqueConstraint("attempt_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[str] = mapped_column(String(64))
    state: Mapped[dict] = mapped_column(JSON)  # the form fields, so a half-finished answer comes back as left
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime)
    points: Mapped[float | None] = mapped_column(Float)
    max_points: Mapped[float | None] = mapped_column(Float)
    rubric_scores: Mapped[dict | None] = mapped_column(JSON)
    feedback: Mapped[str | None] = mapped_column(Text)

    attempt: Mapped[Attempt] = relationship(back_populates="answers")
