"""Rules for an account's fields, the same wherever an account is made: a roster row, a staff account typed in the
browser. Each problem is a RowError (a field, a machine code, its parameters) that the web layer words."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE_RE = re.compile(r"^\+?[0-9][0-9 .-]{7,18}[0-9]$")
MAX_NAME = 200
MAX_EMAIL = 254


@dataclass(frozen=True)
class RowError:
    """Why a row (or a form: line 0) was rejected: a machine code and its parameters (translated by the web layer)."""

    line: int
    field: str
    code: str
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class StaffAccount:
    """An instructor's or administrator's account to create: clean, validated fields."""

    username: str
    full_name: str
    email: str | None = None
    phone: str | None = None


def clean(value: object) -> str:
    """The text with its spaces collapsed and its accents in one (NFC) form."""
    text = "" if value is None else str(value)
    return " ".join(unicodedata.normalize("NFC", text).split())


def name_problem(line: int, field_name: str, name: str) -> RowError | None:
    """A full name is required and at most MAX_NAME characters."""
    if not name:
        return RowError(line, field_name, "required")
    if len(name) > MAX_NAME:
        return RowError(line, field_name, "too_long", {"max": MAX_NAME})
    return None


def username_problem(line: int, field_name: str, username: str) -> RowError | None:
    """3-64 characters: unaccented lower-case letters, digits, . _ - (starting with a letter or a digit)."""
    return None if USERNAME_RE.match(username) else RowError(line, field_name, "bad_username", {"value": username})


def email_problem(line: int, field_name: str, email: str) -> RowError | None:
    """Something@somewhere.tld, at most MAX_EMAIL characters."""
    if EMAIL_RE.match(email) and len(email) <= MAX_EMAIL:
        return None
    return RowError(line, field_name, "bad_email", {"value": email})


def phone_problem(line: int, field_name: str, phone: str) -> RowError | None:
    """Digits, with an optional leading + and spaces, dots or dashes between them."""
    return None if PHONE_RE.match(phone) else RowError(line, field_name, "bad_phone", {"value": phone})


def typed_account(raw: dict[str, object]) -> StaffAccount:
    """A staff account's fields as typed, cleaned (names spaced once, username and e-mail in lower case)."""
    return StaffAccount(clean(raw.get("username")).lower(), clean(raw.get("full_name")),
                        clean(raw.get("email")).lower() or None, clean(raw.get("phone")) or None)


def check_staff_account(raw: dict[str, object]) -> tuple[StaffAccount | None, list[RowError]]:
    """Validate a staff account's fields (keys username, full_name, and optional email and phone); every problem,
    not the first, each on its field (line 0)."""
    account = typed_account(raw)
    problems = [name_problem(0, "full_name", account.full_name),
                RowError(0, "username", "required") if not account.username
                else username_problem(0, "username", account.username),
                email_problem(0, "email", account.email) if account.email else None,
                phone_problem(0, "phone", account.phone) if account.phone else None]
    errors = [p for p in problems if p is not None]
    return (None, errors) if errors else (account, [])
