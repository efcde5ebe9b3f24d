"""Accounts: creating a user with a hashed password, temporary passwords. Flush only."""
from __future__ import annotations

import secrets
from datetime import datetime

from lms.auth.passwords import hash_password, hash_temporary_password
from lms.extensions import db
from lms.models import Role, User

PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def generate_password(length: int = 12) -> str:
    """A random temporary password without look-alike characters."""
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(length))


def create_user(username: str, full_name: str, role: Role, password: str | None, now: datetime,
                email: str | None = None, commune: str | None = None, phone: str | None = None,
                password_hash: str | None = None) -> User:
    """Add an account with a hashed password (or a hash made beforehand, out of the write transaction)."""
    user = User(username=username.lower(), full_name=full_name, role=role,
                password_hash=password_hash or hash_password(password),
                email=email.lower() if email else None, commune=commune, phone=phone, created_at=now)
    db.session.add(user)
    db.session.flush()
    return user


def temporary_credentials(count: int, on_each=None) -> list[tuple[str, str]]:
    """`count` new temporary passwords with their hashes, made before any write transaction opens."""
    made = []
    for _ in range(count):
        password = generate_password()
        made.append((password, hash_temporary_password(password)))
        if on_each:
            on_each()
    return made
