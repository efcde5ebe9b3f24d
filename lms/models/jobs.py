"""Background jobs as the application sees them: what was asked, by whom, how far it got, what came out."""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.database import UTCDateTime
from lms.extensions import db
from lms.models.users import User


class JobState(StrEnum):
    """Queued (or waiting to be retried), running, done, or failed after its last retry."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class Job(db.Model):
    """One piece of long work run by the job worker: a roster import, a cohort's document ZIP, a reminder run.

    The queue (huey, on Redis or SQLite) carries only this row's id; everything the job needs and produces
    is here, so a page can show its progress and an administrator can see why it failed.
    """

    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    state: Mapped[str] = mapped_column(String(16), default=JobState.QUEUED, index=True)
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    result: Mapped[dict | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    done: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    file_name: Mapped[str | None] = mapped_column(String(255))  # the name a download is offered under
    stored_name: Mapped[str | None] = mapped_column(String(80))  # the file under JOB_FILES_DIR
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # when its file is deleted

    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])

    @property
    def finished(self) -> bool:
        """Done or failed for good: nothing more will happen."""
        return self.state in (JobState.DONE, JobState.FAILED)

    @property
    def percent(self) -> int:
        """How far it got, 0–100 (0 until the job knows its total)."""
        if self.state == JobState.DONE:
            return 100
        return min(99, round(100 * self.done / self.total)) if self.total else 0
