"""Accounts, roles and server-side sign-in sessions."""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, String, func
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.sql import false

from lms.database import UTCDateTime
from lms.extensions import db


class Role(StrEnum):
    """What an account may do."""

    LEARNER = "learner"
    INSTRUCTOR = "instructor"
    ADMIN = "admin"


STAFF_ROLES = (Role.INSTRUCTOR, Role.ADMIN)  # the roles an administrator gives in the browser; learners come from rosters


class User(UserMixin, db.Model):
    """A person who signs in: learner, instructor or administrator."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(String(16), default=Role.LEARNER)
    password_hash: Mapped[str] = mapped_column(String(255))
    is_active_account: Mapped[bool] = mapped_column("is_active", Boolean, default=True)
    # Set with a temporary password (roster import, an administrator's reset): the person must choose their own
    # before anything else.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    commune: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, server_default=func.now())
    calendar_token: Mapped[str | None] = mapped_column(String(64), unique=True)  # the secret of the iCalendar feed
    last_digest_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    sessions: Mapped[list[UserSession]] = relationship(back_populates="user", cascade="all, delete-orphan")

    # Flask-Login identifies the signed-in browser by its session token, see lms.auth.sessions.
    session_token = None

    @property
    def is_active(self) -> bool:  # Flask-Login contract
        """Deactivated accounts cannot sign in."""
        return bool(self.is_active_account)

    def get_id(self) -> str | None:
        """The server-side session token this user object was loaded for."""
        return self.session_token

    @property
    def is_learner(self) -> bool:
        """True for learners."""
        return self.role == Role.LEARNER

    @property
    def is_instructor(self) -> bool:
        """True for instructors."""
        return self.role == Role.INSTRUCTOR

    @property
    def is_admin(self) -> bool:
        """True for administrators."""
        return self.role == Role.ADMIN

    @property
    def is_staff(self) -> bool:
        """Instructors and administrators."""
        return self.role in STAFF_ROLES


class UserSession(db.Model):
    """One signed-in browser; deleting the row ends that session even if its cookie was copied."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ip_address: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(255))

    user: Mapped[User] = relationship(back_populates="sessions")


class LoginFailure(db.Model):
    """A failed sign-in, kept in the database so every worker sees the same throttle."""

    __tablename__ = "login_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_key: Mapped[str] = mapped_column(String(254), index=True)
    ip_address: Mapped[str] = mapped_column(String(64), index=True)
    attempted_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
