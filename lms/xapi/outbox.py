"""The outbox of statements: written in the unit of work of the event, read back for export and for sending.
Flush only; the sending job commits between its steps."""
from __future__ import annotations

import secrets
from collections.abc import Iterator
from datetime import datetime, timedelta

from sqlalchemy import func, insert, or_, select, update

from lms.domain.xapi import LearningEvent, build_statement
from lms.extensions import db
from lms.models import XapiStatement

STATEMENTS_INSERT = insert(XapiStatement.__table__)


def record(home_page: str, events: list[LearningEvent], user_id: int | None, cohort_id: int | None,
           now: datetime) -> int:
    """Write the statements of learning events (sent later, if a learning record store is configured) in one
    INSERT, past the unit of work (nothing here needs the rows back); returns how many."""
    rows = []
    for event in events:
        payload = build_statement(home_page, event)
        rows.append({"statement_id": payload["id"], "user_id": user_id, "cohort_id": cohort_id,
                     "verb": payload["verb"]["id"], "object_id": payload["object"]["id"], "stored_at": now,
                     "payload": payload, "attempts": 0})
    if rows:  # a Core INSERT on the session's connection: the ORM's bulk path costs more than the statement
        db.session.connection().execute(STATEMENTS_INSERT, rows)
    return len(rows)


def latest_about(user_id: int, cohort_id: int | None, object_id: str, verbs: tuple[str, ...]) -> XapiStatement | None:
    """The learner's latest statement with one of these verbs about this activity (to say a result only once)."""
    in_cohort = XapiStatement.cohort_id.is_(None) if cohort_id is None else XapiStatement.cohort_id == cohort_id
    return db.session.scalar(select(XapiStatement).where(
        XapiStatement.user_id == user_id, in_cohort, XapiStatement.object_id == object_id,
        XapiStatement.verb.in_(verbs)).order_by(XapiStatement.id.desc()).limit(1))


def iter_statements(since: datetime | None, until: datetime | None, cohort_id: int | None,
                    chunk: int = 500) -> Iterator[XapiStatement]:
    """Statements stored in [since, until), of one cohort or all, oldest first, read in chunks."""
    query = select(XapiStatement).order_by(XapiStatement.id)
    if since is not None:
        query = query.where(XapiStatement.stored_at >= since)
    if until is not None:
        query = query.where(XapiStatement.stored_at < until)
    if cohort_id is not None:
        query = query.where(XapiStatement.cohort_id == cohort_id)
    last = 0
    while True:
        rows = db.session.scalars(query.where(XapiStatement.id > last).limit(chunk)).all()
        yield from rows
        for row in rows:  # a long export keeps one chunk in memory, not the whole table
            db.session.expunge(row)
        if len(rows) < chunk:
            return
        last = rows[-1].id


def _sendable(now: datetime):
    return (XapiStatement.sent_at.is_(None), XapiStatement.rejected_at.is_(None),
            or_(XapiStatement.claimed_until.is_(None), XapiStatement.claimed_until < now))


def has_unsent(now: datetime) -> bool:
    """True when some statement waits to be sent (and no sender holds it)."""
    return db.session.scalar(select(XapiStatement.id).where(*_sendable(now)).limit(1)) is not None


def claim_batch(size: int, now: datetime, lease: timedelta) -> list[XapiStatement]:
    """Take up to `size` unsent statements, oldest first, for one sender until `now + lease`.

    The rows are picked with FOR UPDATE SKIP LOCKED on PostgreSQL (a second sender passes over them) and the UPDATE
    checks the conditions again, so two senders never hold the same statement; SQLite writers take turns.
    """
    token = secrets.token_hex(16)
    candidates = select(XapiStatement.id).where(*_sendable(now)).order_by(XapiStatement.id).limit(size)
    if db.session.get_bind().dialect.name == "postgresql":
        candidates = candidates.with_for_update(skip_locked=True)  # locked until this claim commits
    ids = list(db.session.scalars(candidates))
    if not ids:
        return []
    db.session.execute(update(XapiStatement).where(XapiStatement.id.in_(ids), *_sendable(now))
                       .values(claim=token, claimed_until=now + lease).execution_options(synchronize_session=False))
    return list(db.session.scalars(select(XapiStatement).where(XapiStatement.claim == token)
                                   .order_by(XapiStatement.id).execution_options(populate_existing=True)))


def mark_sent(ids: list[int], now: datetime) -> None:
    """The store accepted these statements: never send them again."""
    if ids:
        db.session.execute(update(XapiStatement).where(XapiStatement.id.in_(ids)).values(
            sent_at=now, claim=None, claimed_until=None, last_error=None).execution_options(synchronize_session=False))


def mark_rejected(statement_row_id: int, error: str, now: datetime) -> None:
    """The store refused this statement as invalid: keep it (it is still exported), stop sending it."""
    db.session.execute(update(XapiStatement).where(XapiStatement.id == statement_row_id).values(
        rejected_at=now, claim=None, claimed_until=None, attempts=XapiStatement.attempts + 1, last_error=error[:2000])
        .execution_options(synchronize_session=False))


def release(ids: list[int], error: str) -> None:
    """The store could not be reached or failed: give the statements back for the next try."""
    if ids:
        db.session.execute(update(XapiStatement).where(XapiStatement.id.in_(ids)).values(
            claim=None, claimed_until=None, attempts=XapiStatement.attempts + 1, last_error=error[:2000])
            .execution_options(synchronize_session=False))


def counts() -> dict[str, int]:
    """How many statements are sent, waiting, and refused by the store."""
    def count(*conditions) -> int:
        return db.session.scalar(select(func.count()).select_from(XapiStatement).where(*conditions))

    return {"sent": count(XapiStatement.sent_at.is_not(None)),
            "waiting": count(XapiStatement.sent_at.is_(None), XapiStatement.rejected_at.is_(None)),
            "rejected": count(XapiStatement.sent_at.is_(None), XapiStatement.rejected_at.is_not(None))}
