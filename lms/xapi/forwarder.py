"""Sending the outbox to a learning record store (LRS): POST /statements in batches, from a background job.

The worker's five-minute tick queues the send job when statements wait; the job claims a batch (committed),
posts it with no transaction open, and marks it sent only after the store answered 200 or 204. A store that
fails (5xx, a timeout, no connection) gets the batch back unsent and the job raises, so the queue retries it
with backoff, and the next tick queues it again after its last retry. A statement keeps its id for ever, so one
that reached the store before its answer was lost is a no-op there when it comes again (409: already stored).
"""
from __future__ import annotations

import base64
import json
import logging
import socket
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select

from lms.database import utcnow
from lms.extensions import db
from lms.jobs.dispatch import remember
from lms.jobs.runner import handler, periodic, submit
from lms.models import Job, JobState
from lms.xapi import outbox

log = logging.getLogger(__name__)

SEND_JOB = "xapi_send"
XAPI_VERSION_HEADER = "1.0.3"
Transport = Callable[[list[dict]], int]  # posts a batch, returns the HTTP status; raises LrsUnavailable


class LrsUnavailable(Exception):
    """The store could not be reached, timed out, or failed (5xx, 401, 429 ...): try the batch again later."""


@dataclass(frozen=True)
class LrsSettings:
    """Where the store is and how to sign in to it (its key and secret, sent as HTTP Basic)."""

    url: str
    key: str | None
    secret: str | None
    timeout: float


def settings_from(config) -> LrsSettings | None:
    """The store of this configuration, or None when statements are only kept and exported."""
    url = (config.get("XAPI_LRS_URL") or "").strip()
    if not url:
        return None
    return LrsSettings(url.rstrip("/"), config.get("XAPI_LRS_KEY"), config.get("XAPI_LRS_SECRET"),
                       float(config.get("XAPI_LRS_TIMEOUT", 10)))


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirected POST would come back as a GET of /statements (200: a list) and pass for delivered: refuse it."""

    def redirect_request(self, *args, **kwargs):
        return None


_OPENER = urllib.request.build_opener(_NoRedirects)


def http_transport(settings: LrsSettings) -> Transport:
    """POST <url>/statements with the xAPI version header, over the standard library's HTTP client."""

    def post(statements: list[dict]) -> int:
        headers = {"Content-Type": "application/json", "X-Experience-API-Version": XAPI_VERSION_HEADER}
        if settings.key is not None:
            pair = f"{settings.key}:{settings.secret or ''}".encode()
            headers["Authorization"] = "Basic " + base64.b64encode(pair).decode()
        body = json.dumps(statements, ensure_ascii=False).encode()
        req = urllib.request.Request(f"{settings.url}/statements", data=body, headers=headers, method="POST")
        try:
            with _OPENER.open(req, timeout=settings.timeout) as response:
                answer, status = response.read(), response.status
        except urllib.error.HTTPError as error:
            return error.code
        except (urllib.error.URLError, TimeoutError, socket.timeout, ConnectionError, OSError) as error:
            raise LrsUnavailable(f"{type(error).__name__}: {error}") from error
        if status == 200 and not _lists_ids(answer, [s["id"] for s in statements]):
            raise LrsUnavailable("HTTP 200 without the statement ids: is XAPI_LRS_URL the store's xAPI endpoint?")
        return status

    return post


def _lists_ids(answer: bytes, ids: list[str]) -> bool:
    """True when a store's 200 lists the posted statements' ids, as xAPI 1.0.3 asks of POST /statements."""
    try:
        listed = json.loads(answer)
    except ValueError:
        return False
    return isinstance(listed, list) and {str(i).lower() for i in listed} >= {i.lower() for i in ids}


@dataclass(frozen=True)
class Pending:
    """A claimed statement, read out before the claim commits (no row is touched while the store is called)."""

    id: int
    statement_id: str
    payload: dict


@dataclass
class Outcome:
    """What the store said of a batch."""

    accepted: list[Pending]
    rejected: list[tuple[Pending, int]]


def _post(transport: Transport, batch: list[Pending], outcome: Outcome) -> None:
    """Post a batch; a refused batch is split to find the statement it refuses. Raises LrsUnavailable."""
    status = transport([item.payload for item in batch])
    if status in (200, 204):
        outcome.accepted.extend(batch)
    elif status in (400, 409, 413) and len(batch) > 1:
        for item in batch:  # one statement already stored (409) or invalid (400) refuses the whole batch
            _post(transport, [item], outcome)
    elif status == 409:  # the store has this id: an earlier post reached it, its answer did not reach us
        outcome.accepted.extend(batch)
        log.info("xAPI statement %s was already in the store", batch[0].statement_id)
    elif status in (400, 413):
        outcome.rejected.append((batch[0], status))
        log.error("the learning record store refused xAPI statement %s (HTTP %s)", batch[0].statement_id, status)
    else:
        raise LrsUnavailable(f"HTTP {status}")


def send_pending(transport: Transport, batch_size: int, lease: timedelta, clock: Callable[[], datetime] = utcnow,
                 commit: Callable[[], None] | None = None) -> int:
    """Send every waiting statement, batch after batch, committing each step; returns how many were sent.

    Raises LrsUnavailable (after recording what the store did accept) when the store fails, so the caller's
    job is retried; the statements it did not take wait for the next try.
    """
    commit = commit or db.session.commit
    sent = 0
    while True:
        batch = [Pending(row.id, row.statement_id, row.payload)
                 for row in outbox.claim_batch(batch_size, clock(), lease)]
        commit()  # the claim is visible to other senders; nothing is held while the store is called
        if not batch:
            return sent
        outcome, failure = Outcome([], []), None
        try:
            _post(transport, batch, outcome)
        except LrsUnavailable as error:
            failure = error
        now = clock()
        outbox.mark_sent([item.id for item in outcome.accepted], now)
        for item, status in outcome.rejected:
            outbox.mark_rejected(item.id, f"HTTP {status}", now)
        done = {item.id for item in outcome.accepted} | {item.id for item, _ in outcome.rejected}
        if failure is not None:
            outbox.release([item.id for item in batch if item.id not in done], str(failure))
        commit()
        sent += len(outcome.accepted)
        if failure is not None:
            log.warning("learning record store unavailable (%s): %s statement(s) wait", failure, len(batch) - len(done))
            raise failure


@handler(SEND_JOB)
def run_send_job(job: Job, progress) -> dict:
    """The background job: send what waits to the configured store."""
    settings = settings_from(current_app.config)
    db.session.commit()  # the runner's read of the job holds SQLite's write lock: let learners write meanwhile
    if settings is None:
        return {"sent": 0, "note": "XAPI_LRS_URL is not set"}
    sent = send_pending(http_transport(settings), current_app.config["XAPI_BATCH_SIZE"],
                        timedelta(minutes=current_app.config["XAPI_CLAIM_MINUTES"]))
    return {"sent": sent}


@periodic
def queue_statement_sending(now: datetime) -> Job | None:
    """The worker's tick: when statements wait, run the send job (one standing row, queued again each time, so a
    busy course or a long outage does not add a job row every five minutes); nothing while it is queued or running."""
    if settings_from(current_app.config) is None or not outbox.has_unsent(now):
        return None
    job = db.session.scalar(select(Job).where(Job.kind == SEND_JOB).order_by(Job.id.desc()).limit(1))
    if job is None:
        return submit(SEND_JOB, {}, None, now)
    if job.state in (JobState.QUEUED, JobState.RUNNING):
        return None  # on its way, or waiting for the queue's retry with backoff
    job.state, job.attempts, job.error, job.result = JobState.QUEUED, 0, None, None
    job.created_at, job.started_at, job.finished_at = now, None, None
    db.session.flush()
    remember(db.session(), job.id)  # handed to the queue when the tick commits
    return job
