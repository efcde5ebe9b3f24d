"""Accounts: creating a user with a hashed password, temporary passwords. Flush only."""
from __future__ import annotations

import secrets
from datetime import datetime

from lms.auth.passwords import hash_password
from lms.extensions import db
from lms.models import Role, User

PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def generate_password(length: int = 10) -> str:
    """A random temporary password without look-alike characters."""
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(length))


def create_user(username: str, full_name: str, role: Role, password: str, now: datetime,
                email: str | None = None, commune: str | None = None, phone: str | None = None) -> User:
    """Add an account with a hashed password."""
    user = User(username=username.lower(), full_name=full_name, role=role, password_hash=hash_password(password),
                email=email.lower() if email else None, commune=commune, phone=phone, created_at=now)
    db.session.add(user)
    db.session.flush()
    return user
