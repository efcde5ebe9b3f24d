"""Rules for a cohort roster file: each row checked, every bad row reported with its line."""
from __future__ import annotations

from dataclasses import dataclass

from lms.domain.accounts import RowError, clean, email_problem, name_problem, phone_problem, username_problem

__all__ = ["MAX_COMMUNE", "RosterRow", "RowError", "check_row", "check_rows"]

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


def _phone(value: object) -> str:
    """A phone number as typed; one a spreadsheet stored as a number has lost its leading 0, which Vietnamese
    numbers always have (0912 345 678 became 912345678; 0845 123 456, 845123456; 024 3825 1234, 2438251234):
    put it back. An international number (84 and nine digits) is eleven digits and has no 0 to lose."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer():
        digits = str(int(value))
        return "0" + digits if len(digits) in (9, 10) else digits
    return clean(value)


def check_row(line: int, raw: dict[str, object]) -> tuple[RosterRow | None, list[RowError]]:
    """Validate one raw row (keys full_name, identifier, commune, phone)."""
    name, ident = clean(raw.get("full_name")), clean(raw.get("identifier")).lower()
    commune, phone = clean(raw.get("commune")), _phone(raw.get("phone"))
    problems = [name_problem(line, "full_name", name)]
    if not ident:
        problems.append(RowError(line, "identifier", "required"))
    else:
        problems.append((email_problem if "@" in ident else username_problem)(line, "identifier", ident))
    if not commune:
        problems.append(RowError(line, "commune", "required"))
    elif len(commune) > MAX_COMMUNE:
        problems.append(RowError(line, "commune", "too_long", {"max": MAX_COMMUNE}))
    if phone:
        problems.append(phone_problem(line, "phone", phone))
    errors = [p for p in problems if p is not None]
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
