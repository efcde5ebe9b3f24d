"""Running a job: the handler registry, progress that a page can show, retries and failures an administrator sees.

A handler does its work in the app's session and does not commit its last step: the runner records the
result in the same transaction, so a job is either done with everything it wrote, or not done at all and
safe to run again. A handler that commits along the way (one document per learner) must make each step
idempotent, because a retried or interrupted job starts again from the beginning.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime, timedelta

from flask import Flask
from sqlalchemy import and_, or_, select, update

from lms.database import read_only_transactions, utcnow
from lms.extensions import db
from lms.jobs.dispatch import remember, send
from lms.jobs.files import delete_expired_files
from lms.models import Job, JobState, User

log = logging.getLogger(__name__)

Handler = Callable[[Job, "Progress"], dict]
_HANDLERS: dict[str, Handler] = {}
_PERIODIC: list[Callable[[datetime], None]] = []


class JobFailed(Exception):
    """A handler's refusal that retrying cannot fix (the cohort was deleted): the job fails at once with this message."""


def handler(kind: str) -> Callable[[Handler], Handler]:
    """Register the function that runs jobs of this kind: it takes the job and a Progress and returns the result."""

    def register(function: Handler) -> Handler:
        _HANDLERS[kind] = function
        return function

    return register


def periodic(function: Callable[[datetime], None]) -> Callable[[datetime], None]:
    """Register work the worker runs every five minutes (reminders, clean-up); it must be idempotent."""
    _PERIODIC.append(function)
    return function


class Progress:
    """How far a job has got, written through its own short connection so a page can show it while the job runs.

    Call it between the handler's commits: on SQLite a write here waits for the handler's open write transaction.
    """

    def __init__(self, job_id: int, every_seconds: float = 1.0):
        self.job_id = job_id
        self.done = 0
        self.total = 0
        self._every = every_seconds
        self._written_at = 0.0

    def start(self, total: int) -> None:
        """The number of steps the job will take."""
        self.total, self.done = total, 0
        self._write()

    def advance(self, steps: int = 1) -> None:
        """Some steps are done; written at most once a second, and always at the last step."""
        self.done += steps
        if self.done >= self.total or time.monotonic() - self._written_at >= self._every:
            self._write()

    def _write(self) -> None:
        if db.engine.dialect.name == "sqlite" and db.session().in_transaction():
            return  # the handler holds SQLite's write lock: this is written at a step taken between its commits
        with db.engine.begin() as connection:
            connection.execute(update(Job).where(Job.id == self.job_id).values(done=self.done, total=self.total))
        self._written_at = time.monotonic()


def submit(kind: str, params: dict, actor: User | None, now: datetime, cohort_id: int | None = None) -> Job:
    """Ask for a job; it reaches the queue when the caller's unit of work commits."""
    if kind not in _HANDLERS:
        raise LookupError(f"no handler for jobs of kind {kind!r}")
    job = Job(kind=kind, params=params, created_by_id=actor.id if actor else None, cohort_id=cohort_id,
              created_at=now, state=JobState.QUEUED)
    db.session.add(job)
    db.session.flush()
    remember(db.session(), job.id)
    return job


def retry(job_id: int) -> bool:
    """Put a failed job back in the queue (sent when the caller's unit of work commits)."""
    job = db.session.get(Job, job_id)
    if job is None or job.state != JobState.FAILED:
        return False
    job.state, job.error, job.finished_at, job.attempts = JobState.QUEUED, None, None, 0
    db.session.flush()
    remember(db.session(), job.id)
    return True


def execute(app: Flask, job_id: int, retries_left: int) -> None:
    """Run one job in a fresh app context; raise so the queue retries it while retries are left."""
    token = read_only_transactions.set(False)  # a job writes: SQLite transactions take the write lock up front
    try:
        _execute(app, job_id, retries_left)
    finally:
        read_only_transactions.reset(token)


def _execute(app: Flask, job_id: int, retries_left: int) -> None:
    with app.app_context():
        if not _claim(job_id, app.config["JOB_STALE_MINUTES"]):
            return  # finished, or another worker is on it: a repeated delivery does nothing
        job = db.session.get(Job, job_id)
        try:
            result = _HANDLERS[job.kind](job, Progress(job_id))
        except Exception as error:
            db.session.rollback()
            final = isinstance(error, JobFailed) or retries_left <= 0
            _record_failure(job_id, error, final)
            if isinstance(error, JobFailed):
                return
            raise
        job.result, job.state, job.finished_at = result, JobState.DONE, utcnow()
        db.session.commit()
        log.info("job %s (%s) done", job_id, job.kind)


def _claim(job_id: int, stale_minutes: int) -> bool:
    """Mark the job running if it is queued, or running so long that its worker must have died."""
    now = utcnow()
    claimed = db.session.execute(update(Job).where(
        Job.id == job_id,
        or_(Job.state == JobState.QUEUED,
            and_(Job.state == JobState.RUNNING, Job.started_at < now - timedelta(minutes=stale_minutes))),
    ).values(state=JobState.RUNNING, started_at=now, attempts=Job.attempts + 1, error=None)).rowcount
    db.session.commit()
    return claimed == 1


def _record_failure(job_id: int, error: Exception, final: bool) -> None:
    message = str(error) if isinstance(error, JobFailed) else f"{type(error).__name__}: {error}"
    log.log(logging.ERROR if final else logging.WARNING, "job %s failed%s: %s", job_id,
            "" if final else " (will be retried)", message)
    db.session.execute(update(Job).where(Job.id == job_id).values(
        state=JobState.FAILED if final else JobState.QUEUED, error=message[:4000],
        finished_at=utcnow() if final else None))
    db.session.commit()


def run_periodic(app: Flask) -> None:
    """The worker's five-minute tick: re-send forgotten jobs, then every registered periodic task."""
    with app.app_context():
        now = utcnow()
        forgotten = db.session.scalars(select(Job.id).where(or_(
            and_(Job.state == JobState.QUEUED,
                 Job.created_at < now - timedelta(minutes=app.config["JOB_RESEND_AFTER_MINUTES"])),
            and_(Job.state == JobState.RUNNING,
                 Job.started_at < now - timedelta(minutes=app.config["JOB_STALE_MINUTES"]))))).all()
        db.session.rollback()
        for job_id in forgotten:
            send(app, job_id)
        for task in _PERIODIC:
            try:
                task(now)
                db.session.commit()
            except Exception:
                db.session.rollback()
                log.exception("periodic task %s failed", task.__name__)


periodic(delete_expired_files)
