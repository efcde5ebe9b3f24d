"""SQLite writers ask for the write lock every millisecond (lms.database.begin_immediate) rather than through
SQLite's backing-off busy handler: the lock is found soon after its release, and a writer still gives up at its
timeout with SQLite's own error."""
from __future__ import annotations

import sqlite3
import threading
import time

import pytest

from lms.database import SQLITE_BUSY_TIMEOUT_MS, begin_immediate


def _connect(path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    return connection


def test_a_writer_takes_the_lock_soon_after_the_other_releases_it(tmp_path):
    path = tmp_path / "w.sqlite3"
    holder, waiter = _connect(path), _connect(path)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN IMMEDIATE")

    def release():
        time.sleep(0.06)
        holder.execute("INSERT INTO t VALUES (1)")
        holder.execute("COMMIT")

    threading.Thread(target=release).start()
    begin_immediate(waiter, timeout=5)
    assert waiter.execute("SELECT count(*) FROM t").fetchone()[0] == 1  # it waited for the holder's commit
    waiter.execute("INSERT INTO t VALUES (2)")
    waiter.execute("COMMIT")
    assert waiter.execute("SELECT count(*) FROM t").fetchone()[0] == 2
    assert waiter.execute("PRAGMA busy_timeout").fetchone()[0] == SQLITE_BUSY_TIMEOUT_MS  # restored


def test_a_writer_gives_up_at_its_timeout_with_sqlites_error(tmp_path):
    path = tmp_path / "w.sqlite3"
    holder, waiter = _connect(path), _connect(path)
    holder.execute("BEGIN IMMEDIATE")
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        begin_immediate(waiter, timeout=0.1)
    assert waiter.execute("PRAGMA busy_timeout").fetchone()[0] == SQLITE_BUSY_TIMEOUT_MS
    holder.execute("ROLLBACK")
    begin_immediate(waiter, timeout=0.1)  # and takes it once it is free
    waiter.execute("ROLLBACK")
