"""Password hashing with argon2id; hashes are upgraded on sign-in when parameters change."""
from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters


def configure(time_cost: int | None = None, memory_cost: int | None = None, parallelism: int | None = None) -> None:
    """Change the hashing parameters (tests use cheap ones); existing hashes get upgraded on sign-in."""
    global _hasher
    defaults = PasswordHasher()
    _hasher = PasswordHasher(time_cost=time_cost or defaults.time_cost,
                             memory_cost=memory_cost or defaults.memory_cost,
                             parallelism=parallelism or defaults.parallelism)

MIN_LENGTH = 8


def hash_password(password: str) -> str:
    """Hash a password for storage."""
    return _hasher.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    """True when the password matches the stored hash."""
    try:
        return _hasher.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """True when the hash was made with other parameters than today's."""
    try:
        return _hasher.check_needs_rehash(stored_hash)
    except InvalidHashError:
        return True


# A hash of a random password, verified against when the account does not exist,
# so the response time does not reveal which usernames are real.
DUMMY_HASH = hash_password("not-a-real-password-0xdeadbeef")
