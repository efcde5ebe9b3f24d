"""The outbox of learning records: xAPI statements written with the event they record, sent to an LRS later."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from lms.database import UTCDateTime
from lms.extensions import db


class XapiStatement(db.Model):
    """One statement, immutable once written; `sent_at` is set only after the learning record store accepted it.

    The statement's own id (a UUID inside the payload too) makes a resend idempotent: an LRS stores an id once.
    """

    __tablename__ = "xapi_statements"
    __table_args__ = (Index("ix_xapi_statements_unsent", "sent_at", "rejected_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)  # the order the statements were written in
    statement_id: Mapped[str] = mapped_column(String(36), unique=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohorts.id", ondelete="SET NULL"), index=True)
    verb: Mapped[str] = mapped_column(String(300))  # the verb's IRI
    object_id: Mapped[str] = mapped_column(String(1000))  # the activity's IRI
    stored_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    payload: Mapped[dict] = mapped_column(JSON)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A sender's claim on the row while it posts it, so two senders never post the same statement at once.
    claim: Mapped[str | None] = mapped_column(String(32))
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)  # posts that did not end in the store accepting it
    rejected_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the store refused it as invalid (400)
    last_error: Mapped[str | None] = mapped_column(Text)
