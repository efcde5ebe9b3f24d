"""Signing in and out, server-side sessions, throttling and password changes."""
from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete, func, or_, select, text

import lms.audit as audit
from lms.auth.passwords import dummy_hash, hash_password, needs_rehash, verify_password
from lms.extensions import db
from lms.models import LoginFailure, User, UserSession

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ThrottleSettings:
    """How many failures, in which window, pause sign-in.

    Narrowest first: an account from one address (someone mistyping, or guessing from one machine); the
    account from anywhere, at a higher bound (guessing spread over many addresses); an address over all
    accounts, at a much higher bound still, so that one classroom behind one NAT is never locked out by a
    few people's typing.
    """

    window: timedelta
    per_account_address: int
    per_account: int
    per_address: int


@dataclass(frozen=True)
class SignInResult:
    """The outcome of a sign-in: a user and session token, or why not."""

    user: User | None = None
    token: str | None = None
    locked_until: datetime | None = None


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def normalise_identifier(identifier: str) -> str:
    """The account key used for look-up and throttling: trimmed and lower-cased."""
    return identifier.strip().lower()


def find_user_by_identifier(identifier: str) -> User | None:
    """The account with this username or e-mail, case-insensitively."""
    key = normalise_identifier(identifier)
    if not key:
        return None
    return db.session.scalar(select(User).where(or_(func.lower(User.username) == key, func.lower(User.email) == key)))


def get_locked_until(account_key: str, ip_address: str, now: datetime, settings: ThrottleSettings) -> datetime | None:
    """When sign-in is allowed again for this account from this address, or None if it is allowed now."""
    since = now - settings.window
    recent = select(LoginFailure.attempted_at).where(LoginFailure.attempted_at > since)
    checks = ((LoginFailure.account_key == account_key, LoginFailure.ip_address == ip_address),
              settings.per_account_address), \
             ((LoginFailure.account_key == account_key,), settings.per_account), \
             ((LoginFailure.ip_address == ip_address,), settings.per_address)
    until = None
    for conditions, limit in checks:
        times = db.session.scalars(recent.where(*conditions).order_by(LoginFailure.attempted_at.desc())
                                   .limit(limit)).all()
        if len(times) >= limit:
            # Locked until the oldest of the last `limit` failures leaves the window.
            candidate = times[-1] + settings.window
            until = candidate if until is None else max(until, candidate)
    return until


def _one_guess_at_a_time(account_key: str) -> None:
    """Make concurrent sign-ins to one account take turns, so a burst of requests cannot outrun the count.

    PostgreSQL: a transaction-level advisory lock on the account key (released at commit). SQLite: writing
    requests already take the database's write lock up front (BEGIN IMMEDIATE).
    """
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"), {"key": account_key})


def sign_in(identifier: str, password: str, ip_address: str, user_agent: str, now: datetime,
            settings: ThrottleSettings, session_lifetime: timedelta) -> SignInResult:
    """Check credentials under the throttle; on success open a server-side session."""
    key = normalise_identifier(identifier)[:254]
    _one_guess_at_a_time(key)
    locked_until = get_locked_until(key, ip_address, now, settings)
    if locked_until:
        return SignInResult(locked_until=locked_until)
    user = find_user_by_identifier(key)
    valid = verify_password(user.password_hash if user else dummy_hash(), password)
    if not (user and valid and user.is_active):
        db.session.add(LoginFailure(account_key=key, ip_address=ip_address, attempted_at=now))
        db.session.flush()
        log.info("failed sign-in for %r from %s", key, ip_address)
        return SignInResult(locked_until=get_locked_until(key, ip_address, now, settings))
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    db.session.execute(delete(LoginFailure).where(LoginFailure.account_key == key))
    token = open_session(user, ip_address, user_agent, now, session_lifetime)
    audit.record(user, "auth.sign_in", "user", user.id, now, ip=ip_address)
    return SignInResult(user=user, token=token)


def open_session(user: User, ip_address: str, user_agent: str, now: datetime, lifetime: timedelta) -> str:
    """Create a server-side session for the user and return its secret token."""
    token = secrets.token_urlsafe(32)
    user.session_token = token
    db.session.add(UserSession(token_hash=_hash_token(token), user=user, created_at=now, expires_at=now + lifetime,
                               ip_address=ip_address[:64], user_agent=(user_agent or "")[:255]))
    db.session.flush()
    return token


# Run on every request: built once, since building a statement costs more than running this one.
SESSION_USER = select(User).join(UserSession).where(UserSession.token_hash == bindparam("token_hash"),
                                                    UserSession.expires_at > bindparam("now"),
                                                    User.is_active_account.is_(True))


def load_session_user(token: str, now: datetime) -> User | None:
    """The active user of a live session token, or None if it was ended or expired."""
    row = db.session.execute(SESSION_USER, {"token_hash": _hash_token(token), "now": now}).scalar_one_or_none()
    if row is not None:
        row.session_token = token
    return row


def sign_out(token: str) -> None:
    """End one session: its cookie, even if copied, no longer signs anyone in."""
    db.session.execute(delete(UserSession).where(UserSession.token_hash == _hash_token(token)))
    db.session.flush()


def end_all_sessions(user: User) -> None:
    """End every session of the user (password change elsewhere, deactivation)."""
    db.session.execute(delete(UserSession).where(UserSession.user_id == user.id))
    db.session.flush()


def change_password(user: User, current: str, new: str, now: datetime, keep_token: str | None) -> bool:
    """Change the password if the current one is right; every other session of the user ends."""
    if not verify_password(user.password_hash, current):
        return False
    user.password_hash = hash_password(new)
    user.must_change_password = False
    stmt = delete(UserSession).where(UserSession.user_id == user.id)
    if keep_token:
        stmt = stmt.where(UserSession.token_hash != _hash_token(keep_token))
    db.session.execute(stmt)
    audit.record(user, "auth.password_changed", "user", user.id, now)
    db.session.flush()
    return True


def purge_expired(now: datetime, settings: ThrottleSettings) -> int:
    """Delete expired sessions and old failures; returns rows removed."""
    removed = db.session.execute(delete(UserSession).where(UserSession.expires_at <= now)).rowcount
    removed += db.session.execute(delete(LoginFailure).where(LoginFailure.attempted_at <= now - settings.window)).rowcount
    db.session.flush()
    return removed
