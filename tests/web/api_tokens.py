"""Helpers for the API tests: tokens of every kind, made through the same service as the admin page."""
from __future__ import annotations

from datetime import timedelta

from lms.api.tokens import create_token, revoke_token
from lms.extensions import db

KINDS = ("read", "enrol", "revoked", "expired")


def make_token(owner, kind: str, now) -> str:
    """A token's text: read (scope read), enrol (scope enrol), revoked (read, revoked) or expired (read, run out)."""
    scopes = ["enrol"] if kind == "enrol" else ["read"]
    token, text = create_token(owner, f"{kind} token", scopes, now + timedelta(days=30), now)
    if kind == "revoked":
        revoke_token(token, owner, now)
    if kind == "expired":
        token.expires_at = now - timedelta(seconds=1)
    db.session.commit()
    return text


def bearer(text: str) -> dict:
    """The Authorization header for a token."""
    return {"Authorization": f"Bearer {text}"}
