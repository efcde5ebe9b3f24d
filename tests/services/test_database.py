"""Database set-up: SQLite pragmas, immediate write transactions, and concurrent writers."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select, text

from lms.auth import accounts as services
from lms.extensions import db
from lms.models import Role, User


def test_connection_settings(app, database):
    """SQLite: WAL, foreign keys, busy timeout. PostgreSQL: read committed, which the conditional updates rely on."""
    with db.engine.connect() as conn:
        if database == "postgresql":
            assert conn.execute(text("SHOW default_transaction_isolation")).scalar() == "read committed"
            return
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 5000


def test_concurrent_writers_never_see_database_is_locked(app, now):
    errors, barrier = [], threading.Barrier(6)

    def writer(n: int):
        barrier.wait(timeout=10)
        try:
            with app.app_context():
                for i in range(5):
                    services.create_user(f"w{n}-{i}", f"Người viết {n}", Role.LEARNER, "mat-khau-dai", now)
                    db.session.commit()
                db.session.remove()
        except Exception as error:  # the point is to collect any failure from the threads
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(User)) == 30


def test_foreign_keys_are_enforced(app, now):
    from sqlalchemy.exc import IntegrityError

    from lms.models import Enrolment

    db.session.add(Enrolment(cohort_id=999, user_id=999, commune="x", enrolled_at=now))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
