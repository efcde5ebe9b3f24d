"""Handing jobs to the queue only after the transaction that created them commits."""
from __future__ import annotations

import logging

from flask import Flask, current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

_PENDING = "lms_jobs_to_send"  # (app, job id) a session's transaction created, sent after it commits


def remember(session: Session, job_id: int) -> None:
    """Send this job to the queue when the session's transaction commits (and forget it on rollback)."""
    session.info.setdefault(_PENDING, []).append((current_app._get_current_object(), job_id))


@event.listens_for(Session, "after_commit")
def _send_after_commit(session: Session) -> None:
    if session.get_nested_transaction() is not None:
        return  # a savepoint was released: the jobs wait for the outer transaction
    pending = session.info.pop(_PENDING, [])
    for app, job_id in pending:
        try:
            app.extensions["jobs"]["run_job"](job_id)
        except Exception:  # the queue is down: the row stays queued and the periodic sweep sends it again
            log.exception("job %s could not be queued; it will be sent again by the sweep", job_id)


@event.listens_for(Session, "after_rollback")
def _forget_after_rollback(session: Session) -> None:
    if session.get_nested_transaction() is not None:
        return  # a savepoint was rolled back: what the outer transaction asked for still stands
    session.info.pop(_PENDING, None)


def send(app: Flask, job_id: int) -> None:
    """Queue a job that already exists (the sweep's re-send)."""
    app.extensions["jobs"]["run_job"](job_id)
