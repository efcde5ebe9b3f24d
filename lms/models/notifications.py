"""What the application tells people: notifications (in the app and by e-mail), their preferences, announcements."""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.database import UTCDateTime
from lms.extensions import db
from lms.models.cohorts import Cohort
from lms.models.users import User


class Event(StrEnum):
    """The kinds of notification a person can choose how to receive."""

    ANSWER_GRADED = "answer_graded"
    GRADE_OVERRIDDEN = "grade_overridden"
    DOCUMENT_ISSUED = "document_issued"
    DOCUMENT_REVOKED = "document_revoked"
    DEADLINE_SOON = "deadline_soon"
    ANNOUNCEMENT = "announcement"
    DISCUSSION_REPLY = "discussion_reply"
    DISCUSSION_NOTE = "discussion_note"
    POST_MODERATED = "post_moderated"


class Delivery(StrEnum):
    """How a person receives one kind of notification by e-mail (in the app they always see it)."""

    IMMEDIATELY = "immediately"
    DIGEST = "digest"
    OFF = "off"


class Notification(db.Model):
    """One thing a person is told. `key` makes repeats impossible (one reminder per deadline); `emailed_at` is
    claimed before the e-mail goes, so an e-mail is never sent twice (at most once, even if a worker dies)."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user_read", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    event: Mapped[str] = mapped_column(String(32))
    key: Mapped[str | None] = mapped_column(String(160), unique=True)
    params: Mapped[dict] = mapped_column(JSON, default=dict)  # what the message says, rendered in the reader's language
    url: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    email: Mapped[str] = mapped_column(String(16), default="none")  # none | pending | digest | sent | skipped
    emailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class NotificationPreference(db.Model):
    """A person's choice for one kind of notification; without a row, the default of that kind applies."""

    __tablename__ = "notification_preferences"
    __table_args__ = (UniqueConstraint("user_id", "event"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    event: Mapped[str] = mapped_column(String(32))
    delivery: Mapped[str] = mapped_column(String(16))


class Announcement(db.Model):
    """A message from an instructor or administrator to a cohort (Markdown, rendered and sanitised once)."""

    __tablename__ = "announcements"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(200))
    body_md: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    # corrections: the text shown is always the latest; each edit counts one revision (a notification sent again
    # after an edit is keyed by it, so learners can be told once per revision)
    revision: Mapped[int] = mapped_column(default=1, server_default="1")
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    edited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # withdrawn: kept for the record, shown to no one
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    cohort: Mapped[Cohort] = relationship()
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
