"""When a job's page says the worker may have stopped."""
from datetime import UTC, datetime, timedelta

import pytest

from lms.domain.jobs import stalled_minutes

NOW = datetime(2026, 12, 8, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize("queued, started_before, waited, expected", [
    (True, False, timedelta(minutes=5, seconds=30), 5),
    (True, False, timedelta(minutes=1, seconds=59), None),  # a worker may simply be busy
    (True, True, timedelta(minutes=30), None),  # waiting for its retry: the queue's delay
    (False, False, timedelta(hours=3), None),  # running or finished
])
def test_a_job_no_worker_took_for_two_minutes_is_said_to_wait(queued, started_before, waited, expected):
    assert stalled_minutes(queued, started_before, NOW - waited, NOW) == expected
