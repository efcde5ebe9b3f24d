"""Signed unsubscribe links: a token names a user and a kind of event, and only this app can make one."""
from __future__ import annotations

from flask import current_app
from itsdangerous import BadData, URLSafeSerializer

SALT = "lms-unsubscribe"


def _serializer() -> URLSafeSerializer:
    # Signed with SECRET_KEY; still read with SECRET_KEY_FALLBACKS, so links in old mail survive a key rotation.
    config = current_app.config
    return URLSafeSerializer([*(config.get("SECRET_KEY_FALLBACKS") or []), config["SECRET_KEY"]], salt=SALT)


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
