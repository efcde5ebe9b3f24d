"""The grade ledger: append-only entries per learner, module and cohort."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Index, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.database import UTCDateTime
from lms.extensions import db
from lms.models.users import User


class GradeEntry(db.Model):
    """One grade event; the current grade is derived from these rows, which are never changed."""

    __tablename__ = "grade_entries"
    __table_args__ = (Index("ix_grade_entries_lookup", "cohort_id", "user_id", "module_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"), index=True)
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohorts.id", ondelete="SET NULL"))
    score: Mapped[float | None] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(Text)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    attempt_id: Mapped[int | None] = mapped_column(ForeignKey("attempts.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])


@event.listens_for(GradeEntry, "before_update")
def _refuse_update(mapper, connection, target):  # pragma: no cover - guarded by a test
    raise RuntimeError("grade entries are append-only")


@event.listens_for(GradeEntry, "before_delete")
def _refuse_delete(mapper, connection, target):  # pragma: no cover - guarded by a test
    raise RuntimeError("grade entries are append-only")
