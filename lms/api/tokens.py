"""Personal API tokens: made, listed, found and revoked. Units of work that flush and audit, never commit.

A token reads `lms_<prefix>_<secret>`: the prefix (public, 8 characters) finds the row, and the sha256 of the
whole token, compared in constant time, proves it; the secret itself is shown once and never stored.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select

import lms.audit as audit
from lms.extensions import db
from lms.models import API_SCOPES, ApiToken, User

MAX_DAYS = 366  # a token lives at most a year; integrations renew it
MAX_NAME = 100


class TokenError(ValueError):
    """A token request the rules refuse; `code` says why (name_missing, name_too_long, no_scope, bad_expiry)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(owner: User, name: str, scopes: list[str], expires_at: datetime, now: datetime
                 ) -> tuple[ApiToken, str]:
    """Make a token for an administrator; returns the row and the token text, which is never stored."""
    name = " ".join((name or "").split())
    wanted = [scope for scope in API_SCOPES if scope in set(scopes)]
    if not name:
        raise TokenError("name_missing")
    if len(name) > MAX_NAME:
        raise TokenError("name_too_long")
    if not wanted or set(scopes) - set(API_SCOPES):
        raise TokenError("no_scope")
    if not now < expires_at <= now + timedelta(days=MAX_DAYS):
        raise TokenError("bad_expiry")
    prefix = secrets.token_hex(4)
    text = f"lms_{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken(name=name, prefix=prefix, token_hash=_digest(text), scopes=" ".join(wanted), user_id=owner.id,
                     created_at=now, expires_at=expires_at)
    db.session.add(token)
    db.session.flush()
    audit.record(owner, "api_token.created", "api_token", token.id, now, name=name, prefix=prefix, scopes=wanted,
                 expires_at=expires_at.isoformat())
    return token, text


def find_token(text: str) -> ApiToken | None:
    """The stored token this text proves (revoked and expired ones included: the policy decides), or None."""
    parts = (text or "").split("_", 2)  # the secret may hold "_" too
    if len(parts) != 3 or parts[0] != "lms" or len(parts[1]) != 8 or len(text) > 100:
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.prefix == parts[1]))
    if token is None or not hmac.compare_digest(token.token_hash, _digest(text)):
        return None
    return token


def revoke_token(token: ApiToken, actor: User | None, now: datetime) -> bool:
    """Revoke a token at once; False if it already was."""
    if token.revoked_at is not None:
        return False
    token.revoked_at = now
    db.session.flush()
    audit.record(actor, "api_token.revoked", "api_token", token.id, now, name=token.name, prefix=token.prefix)
    return True


def list_tokens() -> list[ApiToken]:
    """Every token, newest first (administrators see all of them)."""
    return list(db.session.scalars(select(ApiToken).order_by(ApiToken.created_at.desc(), ApiToken.id.desc())))


def get_by_prefix(prefix: str) -> ApiToken | None:
    """The token with this public prefix."""
    return db.session.scalar(select(ApiToken).where(ApiToken.prefix == prefix[:16]))


def record_call(token: ApiToken, route: str, method: str, status: int, now: datetime) -> None:
    """Log one API call in the audit log (token, route, status, time) and note when the token was last used."""
    token.last_used_at = now
    audit.record(token.user, "api.call", "api_token", token.id, now, prefix=token.prefix, route=route,
                 method=method, status=status)
