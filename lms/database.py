"""Database engine set-up: SQLite pragmas and immediate write transactions; a UTC datetime type."""
from __future__ import annotations

import functools
import sqlite3
import time
from contextvars import ContextVar
from datetime import UTC, datetime

from sqlalchemy import DateTime, event, select
from sqlalchemy.engine import Engine
from sqlalchemy.types import TypeDecorator

from lms.domain.text import fold, sort_key
from lms.extensions import db

# Requests that only read (GET/HEAD) begin deferred transactions; everything else (POST, CLI, tests)
# begins IMMEDIATE so a writer takes SQLite's write lock up front and waits on busy_timeout
# instead of failing with "database is locked" when it upgrades a read lock.
read_only_transactions: ContextVar[bool] = ContextVar("read_only_transactions", default=False)

SQLITE_BUSY_TIMEOUT_MS = 15000


def engine_options(uri: str, base: dict, connect_timeout: int, statement_timeout_ms: int, pool_timeout: int) -> dict:
    """Engine options with the limits that keep a gone or hung database from holding a worker.

    PostgreSQL: a connection attempt gives up after `connect_timeout` seconds, and a statement (or a wait for a
    lock) after `statement_timeout_ms`, below gunicorn's 30-second request limit; a request waiting for a pooled
    connection gives up after `pool_timeout`. SQLite waits on its busy timeout instead.
    """
    options = dict(base)
    if uri.startswith("postgresql"):
        options.setdefault("pool_timeout", pool_timeout)
        connect_args = dict(options.get("connect_args", {}))
        connect_args.setdefault("connect_timeout", connect_timeout)
        connect_args.setdefault("options", f"-c statement_timeout={statement_timeout_ms}")
        options["connect_args"] = connect_args
    return options


VIETNAMESE = "lms_vi"


@functools.lru_cache(maxsize=65536)
def _vietnamese_key(text: str) -> tuple:
    return sort_key(text)  # once per name, not once per comparison: a page of 3,000 accounts compares 35,000 times


def _compare_vietnamese(a: str, b: str) -> int:
    left, right = _vietnamese_key(a), _vietnamese_key(b)
    return (left > right) - (left < right)


def vietnamese(column):
    """The column in Vietnamese dictionary order for ORDER BY (Đặng before Vũ, Ngô before Nguyễn), on either
    database: SQLite's collation comes from the app on every connection, PostgreSQL's from migration 0020."""
    return column.collate(VIETNAMESE)


def configure_engine(engine: Engine) -> None:
    """Install per-dialect connection settings on a freshly created engine."""
    if engine.dialect.name != "sqlite":
        return
    is_memory = engine.url.database in (None, "", ":memory:")

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # pragma: no cover - exercised via every SQLite test
        dbapi_connection.isolation_level = None  # let SQLAlchemy's begin event emit BEGIN itself
        cursor = dbapi_connection.cursor()
        if not is_memory:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()
        # what PostgreSQL's lms_fold (migration 0018, over unaccent) does: names found with or without accents
        dbapi_connection.create_function("lms_fold", 1, lambda text: None if text is None else fold(text),
                                         deterministic=True)
        # what PostgreSQL's lms_vi collation (migration 0020, over ICU's Vietnamese) does: dictionary order
        dbapi_connection.create_collation(VIETNAMESE, _compare_vietnamese)

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        if read_only_transactions.get():
            connection.exec_driver_sql("BEGIN")
        else:
            begin_immediate(connection.connection.dbapi_connection, SQLITE_BUSY_TIMEOUT_MS / 1000)


WRITER_POLL_SECONDS = 0.001


def begin_immediate(dbapi_connection, timeout: float) -> None:
    """Take SQLite's write lock, asking again every millisecond while another writer holds it.

    SQLite's own busy handler backs off (1, 2, 5, 10 ... 25, 50, 100 ms between tries), so under a stream of
    writes from two workers the waiting one sleeps past many releases while the other takes the lock again:
    autosaves queued 200 ms and more at the 99th percentile. Asking every millisecond finds the lock free
    within a millisecond of its release. Statements inside the transaction keep the busy timeout.
    """
    deadline = time.monotonic() + timeout
    dbapi_connection.execute("PRAGMA busy_timeout=0")
    try:
        while True:
            try:
                dbapi_connection.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) or time.monotonic() >= deadline:
                    raise
                time.sleep(WRITER_POLL_SECONDS)
    finally:
        dbapi_connection.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")


class UTCDateTime(TypeDecorator):
    """A timezone-aware UTC timestamp on every database (SQLite stores it naive, in UTC)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        """Store aware datetimes converted to UTC; reject naive ones."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect):
        """Always hand back an aware UTC datetime."""
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)


def upsert(model, keys: dict, fields: dict):
    """The row of `model` with these key columns, created or updated with `fields` (flushed; the caller commits)."""
    row = db.session.scalar(select(model).filter_by(**keys))
    if row is None:
        row = model(**keys, **fields)
        db.session.add(row)
    else:
        for name, value in fields.items():
            setattr(row, name, value)
    db.session.flush()
    return row
