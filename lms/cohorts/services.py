"""Cohorts, their instructors and enrolment (one by one or from a roster): units of work that flush and log."""
from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import delete, func, or_, select

import lms.audit as audit
from lms.auth.accounts import create_user, generate_password
from lms.domain.accounts import clean
from lms.domain.roster import RosterRow, RowError
from lms.extensions import db
from lms.models import (
    Attempt,
    Cohort,
    CohortInstructor,
    Enrolment,
    EssaySubmission,
    Extension,
    GradeEntry,
    IssuedDocument,
    Role,
    User,
)

log = logging.getLogger(__name__)


def create_cohort(name: str, starts_on: date | None, ends_on: date | None, actor: User | None, now: datetime) -> Cohort:
    """Open a new cohort (CohortNameTaken if the name is in use)."""
    name = clean(name)
    _check_name_free(name)
    cohort = Cohort(name=name, starts_on=starts_on, ends_on=ends_on, created_at=now)
    db.session.add(cohort)
    db.session.flush()
    audit.record(actor, "cohort.created", "cohort", cohort.id, now, name=cohort.name)
    return cohort


class CohortNameTaken(Exception):
    """Another cohort already has this name (names are unique: they head transcripts and reports)."""


def _same_name(name: str) -> str:
    return clean(name).casefold()


def _check_name_free(name: str, cohort_id: int | None = None) -> None:
    """Refuse a name another cohort has, whatever its letter case, spacing or Unicode form (two cohorts that read
    the same in every menu); the cohorts are few, so their names are compared here."""
    wanted = _same_name(name)
    if any(_same_name(other) == wanted for other in db.session.scalars(
            select(Cohort.name).where(Cohort.id != cohort_id) if cohort_id is not None else select(Cohort.name))):
        raise CohortNameTaken(name)


def update_cohort(cohort: Cohort, name: str, starts_on: date | None, ends_on: date | None, actor: User,
                  now: datetime) -> dict[str, list]:
    """Correct a cohort's name or dates; returns what changed ({"from", "to"} per field), as the audit log
    records it.
    The schedule is not moved: its dates are the cohort's own, laid out or typed on the schedule page."""
    name = clean(name)
    _check_name_free(name, cohort.id)
    changes = {key: {"from": str(old) if old else None, "to": str(new) if new else None}
               for key, old, new in (("name", cohort.name, name), ("starts_on", cohort.starts_on, starts_on),
                                     ("ends_on", cohort.ends_on, ends_on)) if old != new}
    if changes:
        cohort.name, cohort.starts_on, cohort.ends_on = name, starts_on, ends_on
        db.session.flush()
        audit.record(actor, "cohort.updated", "cohort", cohort.id, now, **changes)
    return changes


def assign_instructor(cohort: Cohort, instructor: User, actor: User | None, now: datetime) -> bool:
    """Assign an instructor to a cohort; False if already assigned."""
    if instructor.role != Role.INSTRUCTOR:
        raise ValueError("not an instructor")
    exists = db.session.scalar(select(CohortInstructor).filter_by(cohort_id=cohort.id, user_id=instructor.id))
    if exists:
        return False
    db.session.add(CohortInstructor(cohort=cohort, user=instructor, assigned_at=now))
    db.session.flush()
    audit.record(actor, "cohort.instructor_assigned", "cohort", cohort.id, now, instructor=instructor.username)
    return True


def unassign_instructor(cohort: Cohort, instructor: User, actor: User, now: datetime) -> None:
    """Remove an instructor from a cohort."""
    link = db.session.scalar(select(CohortInstructor).filter_by(cohort_id=cohort.id, user_id=instructor.id))
    if link:
        db.session.delete(link)
        db.session.flush()
        audit.record(actor, "cohort.instructor_removed", "cohort", cohort.id, now, instructor=instructor.username)


class LearnerHasWork(Exception):
    """The learner has attempts, grades, documents or an essay in the cohort: removing them would orphan it."""


def remove_learner(cohort: Cohort, learner: User, actor: User, now: datetime) -> None:
    """Take a learner enrolled by mistake out of the cohort (with their extensions there); refused once they have
    work in it, which an enrolment must keep (lock the account instead)."""
    mine = {"cohort_id": cohort.id, "user_id": learner.id}
    work = [select(model.id).filter_by(**mine).limit(1) for model in (Attempt, GradeEntry, IssuedDocument,
                                                                      EssaySubmission)]
    if any(db.session.scalar(query) is not None for query in work):
        raise LearnerHasWork(learner.username)
    enrolment = db.session.scalar(select(Enrolment).filter_by(**mine))
    if enrolment is None:
        return
    db.session.execute(delete(Extension).filter_by(**mine))
    db.session.delete(enrolment)
    db.session.flush()
    audit.record(actor, "cohort.learner_removed", "cohort", cohort.id, now, learner=learner.username)


@dataclass
class ImportResult:
    """What an enrolment import did, or why it did nothing."""

    errors: list[RowError] = field(default_factory=list)
    created: list[tuple[User, str]] = field(default_factory=list)  # new accounts with their temporary password
    enrolled: int = 0
    unchanged: int = 0
    notes: list[RowError] = field(default_factory=list)  # done, but worth saying: a locked account, another name

    @property
    def ok(self) -> bool:
        """True when the import was applied."""
        return not self.errors


def _existing_accounts(rows: list[RosterRow]) -> dict[str, User]:
    idents = [r.identifier for r in rows]
    users = db.session.scalars(select(User).where(or_(func.lower(User.username).in_(idents),
                                                      func.lower(User.email).in_(idents)))).all()
    found: dict[str, User] = {}
    for user in users:
        for key in (user.username.lower(), (user.email or "").lower()):
            if key in idents:
                found[key] = user
    return found


def _free_username(email: str, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9._-]", "", email.split("@")[0].lower())[:50] or "hocvien"
    base = base if len(base) >= 3 else f"hv-{base}"
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}{n}"
    return candidate


def _usernames_like(bases: set[str]) -> set[str]:
    """Existing usernames that start with any of these bases, fetched in chunks."""
    taken: set[str] = set()
    ordered = sorted(bases)
    for start in range(0, len(ordered), 200):
        chunk = ordered[start:start + 200]
        condition = or_(*[func.lower(User.username).like(base + "%") for base in chunk])
        taken.update(db.session.scalars(select(func.lower(User.username)).where(condition)))
    return taken


def roster_conflicts(rows: list[RosterRow], existing: dict[str, User] | None = None) -> list[RowError]:
    """Rows naming an existing account that is not a learner's: the whole roster is refused."""
    existing = _existing_accounts(rows) if existing is None else existing
    return [RowError(r.line, "identifier", "not_a_learner", {"value": r.identifier})
            for r in rows if r.identifier in existing and existing[r.identifier].role != Role.LEARNER]


def rows_needing_accounts(rows: list[RosterRow]) -> list[RosterRow]:
    """The rows whose learner has no account yet (each will get a temporary password)."""
    existing = _existing_accounts(rows)
    return [r for r in rows if r.identifier not in existing]


def import_roster(cohort: Cohort, rows: list[RosterRow], actor: User | None, now: datetime,
                  on_row: Callable[[], None] | None = None,
                  credentials: dict[str, tuple[str, str]] | None = None) -> ImportResult:
    """Enrol validated rows all together, or nothing if any row conflicts with existing accounts.

    `credentials` maps identifiers to a temporary password and its hash made beforehand, so a large roster
    spends its write transaction writing, not hashing; a row without one gets a password made here.
    """
    existing = _existing_accounts(rows)
    result = ImportResult(errors=roster_conflicts(rows, existing))
    if result.errors:
        return result
    credentials = credentials or {}
    enrolled_ids = set(db.session.scalars(select(Enrolment.user_id).where(Enrolment.cohort_id == cohort.id)))
    taken = _usernames_like({_free_username(r.identifier, set()) for r in rows if r.is_email})
    for row in rows:
        user = existing.get(row.identifier)
        if user is None:
            username = row.identifier if not row.is_email else _free_username(row.identifier, taken)
            taken.add(username)
            password, password_hash = credentials.get(row.identifier) or (generate_password(), None)
            user = create_user(username, row.full_name, Role.LEARNER, password, now,
                               email=row.identifier if row.is_email else None, commune=row.commune, phone=row.phone,
                               password_hash=password_hash)
            user.must_change_password = True
            result.created.append((user, password))
        elif not user.is_active:  # enrolled, but cannot sign in until an administrator unlocks the account
            result.notes.append(RowError(row.line, "identifier", "locked", {"value": row.identifier}))
        elif user.full_name != row.full_name:  # an account keeps its own name: the file does not rename people
            result.notes.append(RowError(row.line, "full_name", "name_kept",
                                         {"value": row.full_name, "kept": user.full_name}))
        if user.id in enrolled_ids:
            result.unchanged += 1
        else:
            db.session.add(Enrolment(cohort=cohort, user=user, commune=row.commune, enrolled_at=now))
            enrolled_ids.add(user.id)
            result.enrolled += 1
        if on_row:
            on_row()
    db.session.flush()
    audit.record(actor, "cohort.roster_imported", "cohort", cohort.id, now, enrolled=result.enrolled,
                 created=len(result.created), unchanged=result.unchanged)
    log.info("cohort %s: %d enrolled, %d accounts created, %d unchanged", cohort.id, result.enrolled,
             len(result.created), result.unchanged)
    return result
