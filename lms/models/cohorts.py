"""Cohorts (classes of learners), their instructors and enrolments."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.database import UTCDateTime
from lms.extensions import db
from lms.models.users import User


class Cohort(db.Model):
    """A class (lớp) of learners following the course together."""

    __tablename__ = "cohorts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    enrolments: Mapped[list[Enrolment]] = relationship(back_populates="cohort", cascade="all, delete-orphan")
    instructors: Mapped[list[CohortInstructor]] = relationship(
        back_populates="cohort", cascade="all, delete-orphan"
    )


class CohortInstructor(db.Model):
    """An instructor assigned to teach and grade a cohort."""

    __tablename__ = "cohort_instructors"
    __table_args__ = (UniqueConstraint("cohort_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime)

    cohort: Mapped[Cohort] = relationship(back_populates="instructors")
    user: Mapped[User] = relationship()


class Enrolment(db.Model):
    """A learner's membership of a cohort; the commune or ward is recorded as of enrolment."""

    __tablename__ = "enrolments"
    __table_args__ = (UniqueConstraint("cohort_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    commune: Mapped[str] = mapped_column(String(200), index=True)
    enrolled_at: Mapped[datetime] = mapped_column(UTCDateTime)

    cohort: Mapped[Cohort] = relationship(back_populates="enrolments")
    user: Mapped[User] = relationship()
