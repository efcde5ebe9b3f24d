"""Password hashing with argon2id; hashes are upgraded on sign-in when parameters change.

The hasher's parameters come from the app's configuration (ARGON2_TIME_COST, ARGON2_MEMORY_COST): each app
keeps its own hasher in `app.extensions`, so nothing process-wide changes when an app is created.
"""
from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask import Flask, current_app, has_app_context

MIN_LENGTH = 8
DUMMY_PASSWORD = "not-a-real-password-0xdeadbeef"
_DEFAULT = PasswordHasher()  # argon2id with the library's current recommended parameters


def make_hasher(time_cost: int | None = None, memory_cost: int | None = None,
                parallelism: int | None = None) -> PasswordHasher:
    """A hasher with these parameters (tests use cheap ones); unnamed ones keep the library's defaults."""
    return PasswordHasher(time_cost=time_cost or _DEFAULT.time_cost, memory_cost=memory_cost or _DEFAULT.memory_cost,
                          parallelism=parallelism or _DEFAULT.parallelism)


def register(app: Flask) -> None:
    """Give the app its hasher, from its configuration."""
    hasher = make_hasher(app.config["ARGON2_TIME_COST"], app.config["ARGON2_MEMORY_COST"])
    app.extensions["password_hasher"] = hasher
    app.extensions["password_dummy_hash"] = hasher.hash(DUMMY_PASSWORD)


def _hasher() -> PasswordHasher:
    return current_app.extensions.get("password_hasher", _DEFAULT) if has_app_context() else _DEFAULT


def hash_password(password: str) -> str:
    """Hash a password for storage."""
    return _hasher().hash(password)


_TEMPORARY = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1)


def hash_temporary_password(password: str) -> str:
    """Hash a generated temporary password cheaply (a few ms instead of about 0.1 s), so a roster of thousands
    can be prepared quickly. Safe because such a password is random (12 characters from 31, about 59 bits):
    guessing it offline is out of reach even at millions of tries a second. The first sign-in rehashes it with
    the app's full parameters (`needs_rehash`)."""
    return _TEMPORARY.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    """True when the password matches the stored hash."""
    try:
        return _hasher().verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """True when the hash was made with other parameters than the app's."""
    try:
        return _hasher().check_needs_rehash(stored_hash)
    except InvalidHashError:
        return True


def dummy_hash() -> str:
    """A hash made with the app's parameters, verified against when the account does not exist,
    so the response time does not reveal which usernames are real."""
    return current_app.extensions["password_dummy_hash"]
