"""The grade ledger, the bottom of the grade stack: reads and appends of grade entries and overrides. Flush only."""
from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, event, select, text
from sqlalchemy.orm import Session

import lms.audit as audit
from lms.catalog.outline import module_view
from lms.domain.cases import CaseKind
from lms.domain.errors import DomainError
from lms.domain.progress import COMPUTED_SOURCES, GradeSource, LedgerEntry, current_grade
from lms.domain.scoring import combine_attempts, module_grade, round_half_up
from lms.extensions import db
from lms.models import Attempt, AttemptState, Case, GradeEntry, Module, User
from lms.signals import grade_recorded

log = logging.getLogger(__name__)


class GradeError(DomainError, ValueError):
    """An override that cannot be recorded; `code` says why."""


def _announce(entry: GradeEntry) -> None:
    """Tell listeners (issued documents) that a learner's grade changed."""
    grade_recorded.send(__name__, user_id=entry.user_id, cohort_id=entry.cohort_id,
                        now=entry.created_at, entry=entry)


def as_ledger(rows) -> list[LedgerEntry]:
    """Ledger rows as plain domain entries."""
    return [LedgerEntry(r.id, r.score, GradeSource(r.source), r.created_at) for r in rows]


# The reads of every submission, built once (building them cost more than running them); with and without a cohort.
_entries = (select(GradeEntry).where(GradeEntry.user_id == bindparam("user_id"),
                                     GradeEntry.module_id == bindparam("module_id"))
            .order_by(GradeEntry.created_at, GradeEntry.id))
ENTRIES = {False: _entries.where(GradeEntry.cohort_id.is_(None)),
           True: _entries.where(GradeEntry.cohort_id == bindparam("cohort_id"))}
_graded = (select(Case.slug, Attempt.score).join(Attempt, Attempt.case_id == Case.id)
           .where(Case.module_id == bindparam("module_id"), Attempt.user_id == bindparam("user_id"),
                  Attempt.state == AttemptState.GRADED).order_by(Attempt.submitted_at, Attempt.id))
GRADED_SCORES = {False: _graded, True: _graded.where(Attempt.cohort_id == bindparam("cohort_id"))}


def list_entries(user_id: int, module_id: int, cohort_id: int | None) -> list[GradeEntry]:
    """The full history of one learner's grade in one module and cohort, oldest first."""
    return list(db.session.scalars(ENTRIES[cohort_id is not None],
                                   {"user_id": user_id, "module_id": module_id, "cohort_id": cohort_id}))


# What record_computed_grade read of one learner's ledger, under the learner's lock, kept for the learning records'
# look-up that follows a submission: the lock keeps every other writer of that ledger (overrides take it too) out
# until the transaction ends. Forgotten when any transaction, savepoint or flush ends (a flush is a transaction of
# its own), so anything written after the read forgets it.
READ_UNDER_LOCK = "ledger_read_under_lock"


def _forget_reads(session: Session, _transaction) -> None:
    session.info.pop(READ_UNDER_LOCK, None)


if not event.contains(Session, "after_transaction_end", _forget_reads):
    event.listen(Session, "after_transaction_end", _forget_reads)


def get_current_grade(user_id: int, module_id: int, cohort_id: int | None) -> GradeEntry | None:
    """The ledger row that gives the current grade, or None."""
    rows = db.session.info.get(READ_UNDER_LOCK, {}).get((user_id, module_id, cohort_id))
    if rows is None:
        rows = list_entries(user_id, module_id, cohort_id)
    chosen = current_grade(as_ledger(rows))
    return next((r for r in rows if chosen and r.id == chosen.id), None)


def compute_module_grade(user_id: int, module: Module, cohort_id: int | None) -> float | None:
    """The module grade from graded attempts under the module's policy: mean of the required cases."""
    rows = db.session.execute(GRADED_SCORES[bool(cohort_id)],
                              {"user_id": user_id, "module_id": module.id, "cohort_id": cohort_id}).all()
    scores: dict[str, list[float]] = defaultdict(list)
    for slug, score in rows:
        scores[slug].append(score)
    # the published cases from the outline, without loading their versions
    counted = [c for c in module_view(module.id).cases if c.current is not None and c.current.required]
    checks = [c.slug for c in counted if c.current.kind == CaseKind.KNOWLEDGE_CHECK]
    cases = [c.slug for c in counted if c.current.kind != CaseKind.KNOWLEDGE_CHECK]
    return module_grade({slug: combine_attempts(scores[slug], module.grading_policy) if scores[slug] else None
                         for slug in cases + checks}, cases, checks, module.knowledge_weight)


def _lock_learner_module(user_id: int, module_id: int) -> None:
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:user_id, :module_id)"),
                           {"user_id": user_id, "module_id": module_id})


def _latest_computed(rows: list[GradeEntry]) -> GradeEntry | None:
    computed = [r for r in rows if r.source in COMPUTED_SOURCES]
    return computed[-1] if computed else None


def record_computed_grade(user_id: int, module: Module, cohort_id: int | None, now: datetime,
                          source: GradeSource = GradeSource.COMPUTED, attempt: Attempt | None = None,
                          actor: User | None = None, reason: str | None = None) -> GradeEntry | None:
    """Append the module grade computed from attempts, if it changed since the last computed entry (with the
    reason of the person whose change made it compute again, when there is one).

    Serialised per learner and module: under PostgreSQL's READ COMMITTED, two transactions finishing the same
    module at once (the last submission and an instructor's rubric grading) could each miss the other's
    attempt and record nothing; a transaction-level advisory lock makes the second wait and then see the
    first. SQLite already serialises writers (BEGIN IMMEDIATE).
    """
    _lock_learner_module(user_id, module.id)
    value = compute_module_grade(user_id, module, cohort_id)
    rows = list_entries(user_id, module.id, cohort_id)
    db.session.info.setdefault(READ_UNDER_LOCK, {})[(user_id, module.id, cohort_id)] = rows
    latest = _latest_computed(rows)
    if value is None or (latest is not None and latest.score == value):
        return None
    entry = GradeEntry(user_id=user_id, module_id=module.id, cohort_id=cohort_id, score=value, source=source,
                       actor_id=actor.id if actor else None, attempt_id=attempt.id if attempt else None,
                       reason=reason, created_at=now)
    db.session.add(entry)
    db.session.flush()  # ends the kept read too: the ledger just changed
    _announce(entry)
    log.info("grade %s for user %s module %s: %s", source, user_id, module.number, value)
    return entry


def override_grade(learner: User, module: Module, cohort_id: int | None, score: float, reason: str,
                   actor: User, now: datetime) -> GradeEntry:
    """Record an instructor's grade, which stays in force until cleared; the reason is mandatory."""
    reason = (reason or "").strip()
    if not reason:
        raise GradeError("reason_required")
    if not 0 <= score <= 10:
        raise GradeError("out_of_range")
    _lock_learner_module(learner.id, module.id)
    entry = GradeEntry(user_id=learner.id, module_id=module.id, cohort_id=cohort_id, score=round_half_up(score, 1),
                       source=GradeSource.OVERRIDE, reason=reason, actor_id=actor.id, created_at=now)
    db.session.add(entry)
    db.session.flush()
    _announce(entry)
    audit.record(actor, "grade.override", "grade_entry", entry.id, now, learner=learner.id, module=module.number,
                 score=entry.score, reason=reason)
    return entry


def clear_override(learner: User, module: Module, cohort_id: int | None, reason: str, actor: User,
                   now: datetime) -> GradeEntry:
    """Return to the computed grade; recorded like any other decision."""
    reason = (reason or "").strip()
    if not reason:
        raise GradeError("reason_required")
    _lock_learner_module(learner.id, module.id)
    entry = GradeEntry(user_id=learner.id, module_id=module.id, cohort_id=cohort_id, score=None,
                       source=GradeSource.OVERRIDE_CLEARED, reason=reason, actor_id=actor.id, created_at=now)
    db.session.add(entry)
    db.session.flush()
    _announce(entry)
    audit.record(actor, "grade.override_cleared", "grade_entry", entry.id, now, learner=learner.id,
                 module=module.number, reason=reason)
    return entry


@dataclass(frozen=True)
class GradeDifference:
    """A module grade the ledger does not hold as computed from the attempts."""

    user_id: int
    cohort_id: int | None
    module_number: int
    recorded: float | None
    computed: float


def reconcile_grades(actor: User | None, now: datetime, repair: bool) -> list[GradeDifference]:
    """Recompute every module grade from the graded attempts; list (and, when repairing, record) differences."""
    pairs = db.session.execute(select(Attempt.user_id, Attempt.cohort_id, Case.module_id).distinct()
                               .join(Case, Case.id == Attempt.case_id)
                               .where(Attempt.state == AttemptState.GRADED)).all()
    modules = {m.id: m for m in db.session.scalars(select(Module))}
    differences = []
    for user_id, cohort_id, module_id in sorted(pairs, key=lambda p: (p[0], p[1] or 0, p[2])):
        module = modules[module_id]
        computed = compute_module_grade(user_id, module, cohort_id)
        latest = _latest_computed(list_entries(user_id, module_id, cohort_id))
        recorded = latest.score if latest else None
        if computed is not None and computed != recorded:
            differences.append(GradeDifference(user_id, cohort_id, module.number, recorded, computed))
            if repair:
                record_computed_grade(user_id, module, cohort_id, now, actor=actor)
    audit.record(actor, "grades.reconciled", "ledger", None, now, differences=len(differences), repaired=repair)
    return differences
