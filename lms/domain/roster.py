"""Rules for a cohort roster file: each row checked, every bad row reported with its line."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE_RE = re.compile(r"^\+?[0-9][0-9 .-]{7,18}[0-9]$")
MAX_NAME = 200
MAX_COMMUNE = 200


@dataclass(frozen=True)
class RosterRow:
    """One learner to enrol: a clean, validated row."""

    line: int
    full_name: str
    identifier: str  # a username, or an e-mail address (contains "@")
    commune: str
    phone: str | None = None

    @property
    def is_email(self) -> bool:
        """True when the identifier is an e-mail address."""
        return "@" in self.identifier


@dataclass(frozen=True)
class RowError:
    """Why a row was rejected: a machine code and its parameters (translated by the web layer)."""

    line: int
    field: str
    code: str
    params: dict = field(default_factory=dict)


def _clean(value: object) -> str:
    text = "" if value is None else str(value)
    return " ".join(unicodedata.normalize("NFC", text).split())


def _phone(value: object) -> str:
    """A phone number as typed; one a spreadsheet stored as a number has lost its leading 0, which Vietnamese
    numbers always have (0912 345 678 became 912345678; 0845 123 456, 845123456; 024 3825 1234, 2438251234):
    put it back. An international number (84 and nine digits) is eleven digits and has no 0 to lose."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer():
        digits = str(int(value))
        return "0" + digits if len(digits) in (9, 10) else digits
    return _clean(value)


def check_row(line: int, raw: dict[str, object]) -> tuple[RosterRow | None, list[RowError]]:
    """Validate one raw row (keys full_name, identifier, commune, phone)."""
    name, ident = _clean(raw.get("full_name")), _clean(raw.get("identifier")).lower()
    commune, phone = _clean(raw.get("commune")), _phone(raw.get("phone"))
    errors = []
    if not name:
        errors.append(RowError(line, "full_name", "required"))
    elif len(name) > MAX_NAME:
        errors.append(RowError(line, "full_name", "too_long", {"max": MAX_NAME}))
    if not ident:
        errors.append(RowError(line, "identifier", "required"))
    elif "@" in ident and (not EMAIL_RE.match(ident) or len(ident) > 254):
        errors.append(RowError(line, "identifier", "bad_email", {"value": ident}))
    elif "@" not in ident and not USERNAME_RE.match(ident):
        errors.append(RowError(line, "identifier", "bad_username", {"value": ident}))
    if not commune:
        errors.append(RowError(line, "commune", "required"))
    elif len(commune) > MAX_COMMUNE:
        errors.append(RowError(line, "commune", "too_long", {"max": MAX_COMMUNE}))
    if phone and not PHONE_RE.match(phone):
        errors.append(RowError(line, "phone", "bad_phone", {"value": phone}))
    if errors:
        return None, errors
    return RosterRow(line, name, ident, commune, phone or None), []


def check_rows(raw_rows: list[tuple[int, dict[str, object]]]) -> tuple[list[RosterRow], list[RowError]]:
    """Validate every row, including duplicates within the file; all errors are returned, not the first."""
    rows, errors, seen = [], [], {}
    for line, raw in raw_rows:
        row, row_errors = check_row(line, raw)
        errors.extend(row_errors)
        if row is None:
            continue
        if row.identifier in seen:
            errors.append(RowError(line, "identifier", "duplicate", {"first_line": seen[row.identifier]}))
            continue
        seen[row.identifier] = line
        rows.append(row)
    if not raw_rows:
        errors.append(RowError(0, "file", "empty"))
    return rows, errors
