"""Signed unsubscribe links: a token names a user and a kind of event, and only this app can make one."""
from __future__ import annotations

from flask import current_app
from itsdangerous import BadData, SignatureExpired, URLSafeSerializer, URLSafeTimedSerializer

SALT = "lms-unsubscribe"
EMAIL_SALT = "lms-email-change"


def _keys() -> list[str]:
    # Signed with SECRET_KEY; still read with SECRET_KEY_FALLBACKS, so links in old mail survive a key rotation.
    config = current_app.config
    return [*(config.get("SECRET_KEY_FALLBACKS") or []), config["SECRET_KEY"]]


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(_keys(), salt=SALT)


def email_change_token(user_id: int, new_email: str, old_email: str | None) -> str:
    """A URL-safe, dated token meaning "this user's address becomes new_email": it names the address it replaces,
    so it is spent once the address changes (by it, or another way)."""
    return URLSafeTimedSerializer(_keys(), salt=EMAIL_SALT).dumps([user_id, new_email, old_email])


def read_email_change_token(token: str, max_age_seconds: int) -> tuple[int, str, str | None] | str:
    """(user id, new address, the address it replaces), or why not: "expired" or "invalid"."""
    try:
        payload = URLSafeTimedSerializer(_keys(), salt=EMAIL_SALT).loads(token, max_age=max_age_seconds)
    except SignatureExpired:
        return "expired"
    except BadData:
        return "invalid"
    if not (isinstance(payload, list) and len(payload) == 3 and type(payload[0]) is int
            and isinstance(payload[1], str) and (payload[2] is None or isinstance(payload[2], str))):
        return "invalid"
    return payload[0], payload[1], payload[2]


def unsubscribe_token(user_id: int, event: str) -> str:
    """A URL-safe token meaning "stop e-mailing this user about this event"; it does not expire."""
    return _serializer().dumps([user_id, event])


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    """The (user id, event) the token was made for, or None if it was tampered with or is malformed."""
    if not isinstance(token, str):
        return None
    try:
        payload = _serializer().loads(token)
    except BadData:
        return None
    if not (isinstance(payload, list) and len(payload) == 2):
        return None
    user_id, event = payload
    if isinstance(user_id, bool) or not isinstance(user_id, int) or not isinstance(event, str):
        return None
    return user_id, event
