"""Rules about background jobs as people see them."""
from __future__ import annotations

from datetime import datetime, timedelta

STALLED_AFTER = timedelta(minutes=2)  # queued, never started, this long: the worker is probably not running


def stalled_minutes(queued: bool, started_before: bool, created_at: datetime, now: datetime) -> int | None:
    """Minutes a job has waited without any worker taking it, once that is long enough to say so; else None.
    A job waiting for its retry has started before: its delay is the queue's, not a missing worker."""
    if not queued or started_before or now - created_at < STALLED_AFTER:
        return None
    return int((now - created_at).total_seconds() // 60)
