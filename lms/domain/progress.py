"""Module status and grade rules: completion, the current grade from the ledger, what to do next."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class ModuleStatus(StrEnum):
    """Where a learner stands in a module."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"  # everything done, grade not known yet (a written answer awaits review)
    PASSED = "passed"
    NOT_PASSED = "not_passed"


@dataclass(frozen=True)
class ModuleWork:
    """What a learner has done in one module."""

    lessons_total: int
    lessons_studied: int
    required_cases: int
    required_submitted: int
    any_attempt: bool
    grade: float | None
    pass_mark: float = 5.0
    overridden: bool = False  # the grade is an instructor's decision (an override), which settles the status

    @property
    def items_total(self) -> int:
        """Lessons plus required cases."""
        return self.lessons_total + self.required_cases

    @property
    def items_done(self) -> int:
        """Lessons studied plus required cases submitted."""
        return min(self.lessons_studied, self.lessons_total) + min(self.required_submitted, self.required_cases)

    @property
    def percent(self) -> int:
        """Share of the module's work done, 0-100."""
        return round(100 * self.items_done / self.items_total) if self.items_total else 0


def cases_handed_in(work: ModuleWork) -> bool:
    """Every required case submitted, or the result settled by an instructor's override: the chuyên đề's due date
    asks nothing more of the learner (lessons can be read at any time)."""
    return work.required_submitted >= work.required_cases or (work.overridden and work.grade is not None)


def module_status(work: ModuleWork) -> ModuleStatus:
    """Completed = every lesson studied and every required case submitted; then passed or not by the grade.

    An instructor's override decides the result whatever work is left: passed or not passed by its grade."""
    if work.overridden and work.grade is not None:
        return ModuleStatus.PASSED if work.grade >= work.pass_mark else ModuleStatus.NOT_PASSED
    if work.items_done == 0 and not work.any_attempt:
        return ModuleStatus.NOT_STARTED
    if work.items_done < work.items_total:
        return ModuleStatus.IN_PROGRESS
    if work.grade is None:
        return ModuleStatus.COMPLETED
    return ModuleStatus.PASSED if work.grade >= work.pass_mark else ModuleStatus.NOT_PASSED


class GradeSource(StrEnum):
    """Where a ledger entry comes from."""

    COMPUTED = "computed"  # from attempts under the module's policy
    REGRADE = "regrade"  # recomputed after a case's key was corrected
    REVIEW_REGRADE = "review_regrade"  # recomputed after an instructor regraded a written answer, with a reason
    OVERRIDE = "override"  # an instructor's decision, with a reason
    OVERRIDE_CLEARED = "override_cleared"  # the instructor returned to the computed grade


# The entries computed from attempts (whatever made the ledger compute again); overrides and their clearing are not.
COMPUTED_SOURCES = frozenset({GradeSource.COMPUTED, GradeSource.REGRADE, GradeSource.REVIEW_REGRADE})


@dataclass(frozen=True)
class LedgerEntry:
    """One row of the grade ledger, as plain data."""

    id: int
    score: float | None
    source: GradeSource
    created_at: datetime


def current_grade(entries: Iterable[LedgerEntry]) -> LedgerEntry | None:
    """The entry that gives the current grade: an override in force wins, else the latest computed entry.

    An override stays in force until it is cleared or a newer override replaces it, so new attempts
    never silently undo an instructor's decision; they still add computed entries to the history.
    """
    ordered = sorted(entries, key=lambda e: (e.created_at, e.id))
    decisions = [e for e in ordered if e.source in (GradeSource.OVERRIDE, GradeSource.OVERRIDE_CLEARED)]
    if decisions and decisions[-1].source == GradeSource.OVERRIDE:
        return decisions[-1]
    computed = [e for e in ordered if e.source in COMPUTED_SOURCES]
    return computed[-1] if computed else None


def overall_percent(works: Sequence[ModuleWork]) -> int:
    """The share of the whole course's work done, 0-100."""
    total = sum(w.items_total for w in works)
    return round(100 * sum(w.items_done for w in works) / total) if total else 0


def cumulative_series(events: Iterable[datetime]) -> list[tuple[datetime, int]]:
    """(moment, items done so far) for a progress-over-time chart."""
    return [(moment, index) for index, moment in enumerate(sorted(events), start=1)]
