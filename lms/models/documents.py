"""Issued transcripts and certificates: signed, verifiable, revocable, superseded on reissue."""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.database import UTCDateTime
from lms.extensions import db
from lms.models.cohorts import Cohort
from lms.models.users import User


class DocumentStatus(StrEnum):
    """A document is valid until a reissue supersedes it or an administrator revokes it."""

    VALID = "valid"
    SUPERSEDED = "superseded"
    REVOKED = "revoked"


class IssuedDocument(db.Model):
    """One issued transcript or certificate with its signed credential."""

    __tablename__ = "issued_documents"
    __table_args__ = (Index("ix_issued_documents_holder", "user_id", "cohort_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(16), default=DocumentStatus.VALID)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    data_hash: Mapped[str] = mapped_column(String(64))  # of the transcript data, to notice grade changes
    credential: Mapped[dict] = mapped_column(JSON)  # the signed credential, exactly as published
    key_id: Mapped[str] = mapped_column(String(80))
    superseded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("issued_documents.id", ondelete="SET NULL"))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_reason: Mapped[str | None] = mapped_column(Text)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    cohort: Mapped[Cohort] = relationship()


class RateLimitHit(db.Model):
    """One request counted against a public rate limit, shared by every worker."""

    __tablename__ = "rate_limit_hits"
    __table_args__ = (Index("ix_rate_limit_hits_bucket_key_at", "bucket", "key", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bucket: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
