"""Rules of an attempt's life: starting, deadlines, seeing the key, and scoring a cut-short path."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from lms.domain.cases import CaseDefinition, Stage
from lms.domain.grading import max_points


def can_start_attempt(finished_attempts: int, attempts_allowed: int) -> bool:
    """True while the learner has attempts left (0 allowed means unlimited)."""
    return attempts_allowed == 0 or finished_attempts < attempts_allowed


def attempts_left(finished_attempts: int, attempts_allowed: int) -> int | None:
    """How many attempts remain, or None when unlimited."""
    return None if attempts_allowed == 0 else max(attempts_allowed - finished_attempts, 0)


def deadline_for(started_at: datetime, time_limit_minutes: int) -> datetime | None:
    """When a timed attempt ends, or None without a limit."""
    return started_at + timedelta(minutes=time_limit_minutes) if time_limit_minutes > 0 else None


def is_overdue(deadline: datetime | None, now: datetime) -> bool:
    """True once a timed attempt's deadline has passed."""
    return deadline is not None and now >= deadline


def is_key_visible(key_visible_from: date | None, today: date) -> bool:
    """Learners see the expert key right after submitting, or from the module's date on."""
    return key_visible_from is None or today >= key_visible_from


def _expert_next(stage: Stage) -> str | None:
    """Where the expert's answer leads from this stage."""
    branching = next((q for q in stage.questions if q.is_branching), None)
    if branching is None:
        return stage.next
    best = max(branching.options, key=lambda o: o.effectiveness)
    return best.next or stage.next


def continuation_max_points(case: CaseDefinition, path: list[str] | tuple[str, ...]) -> float:
    """The points of the stages an attempt never reached, along the expert's route from where it stopped.

    A timed-out attempt is scored out of these too, so stopping early after a strong start
    never earns more than finishing would.
    """
    if not path:
        return sum(max_points(q) for s in case.stages for q in s.questions)
    total, seen = 0.0, set(path)
    stage = case.stage(path[-1])
    next_id = _expert_next(stage) if stage else None
    while next_id and next_id not in seen:
        seen.add(next_id)
        stage = case.stage(next_id)
        if stage is None:
            break
        total += sum(max_points(q) for q in stage.questions)
        next_id = _expert_next(stage)
    return total
