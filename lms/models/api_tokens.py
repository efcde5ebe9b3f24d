"""Personal API tokens: named, scoped, expiring, revocable; only a hash of the secret is kept."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.database import UTCDateTime
from lms.extensions import db
from lms.models.users import User

API_SCOPES = ("read", "enrol")  # read: every GET of /api/v1; enrol: enrolling learners and setting extensions


class ApiToken(db.Model):
    """One token an administrator made for an integration; it acts as its owner within its scopes."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    prefix: Mapped[str] = mapped_column(String(16), unique=True)  # public part, shown in lists and logs
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 of the whole token
    scopes: Mapped[str] = mapped_column(String(64))  # space-separated, from API_SCOPES
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()

    @property
    def scope_list(self) -> list[str]:
        """The token's scopes in the order of API_SCOPES."""
        granted = set(self.scopes.split())
        return [scope for scope in API_SCOPES if scope in granted]
