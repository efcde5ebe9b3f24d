"""Shared fixtures: the app on every configured database, clients, users and a query counter.

Every test that asks for `app` (or anything built on it) runs once per database: SQLite always,
PostgreSQL too when TEST_DATABASE_URL is set (`make test` sets it when PostgreSQL answers).
"""
from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import event, text
from werkzeug.datastructures import MultiDict

from config import TestConfig
from lms import create_app
from lms.auth import accounts
from lms.cohorts import services as cohort_services
from lms.database import read_only_transactions
from lms.extensions import db
from lms.models import Role, User

PASSWORD = "correct horse battery"
DATABASES = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])
FROZEN_NOW = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)


def pytest_configure(config):
    """CI demands PostgreSQL: a run that would silently skip it fails instead.

    Under pytest-xdist each worker gets a PostgreSQL database of its own (test_gw0, test_gw1, ...), since the
    tests drop and truncate every table; everything else a test touches is already its own (tmp_path, free ports,
    a Redis queue named per test)."""
    if os.environ.get("TEST_REQUIRE_POSTGRES") and not os.environ.get("TEST_DATABASE_URL"):
        raise pytest.UsageError("TEST_REQUIRE_POSTGRES is set but TEST_DATABASE_URL is not: PostgreSQL is unreachable")
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker and os.environ.get("TEST_DATABASE_URL") and not os.environ.get("LMS_TEST_WORKER_DATABASE"):
        os.environ["TEST_DATABASE_URL"] = sibling_database(os.environ["TEST_DATABASE_URL"], worker)
        os.environ["LMS_TEST_WORKER_DATABASE"] = worker  # once per process, whatever calls configure again


def sibling_database(url: str, suffix: str) -> str:
    """The URL of the PostgreSQL database named like url's with _suffix, created when missing."""
    import psycopg

    name = re.search(r"/([^/?]+)(\?|$)", url.split("://", 1)[1]).group(1) + f"_{suffix}"
    with psycopg.connect(url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    return re.sub(r"/[^/?]+(\?|$)", rf"/{name}\1", url, count=1)


def database_url(kind: str, tmp_dir, suffix: str | None = None) -> str:
    """The URL of a scratch database of this kind (on PostgreSQL, the test database or its _suffix sibling)."""
    if kind == "sqlite":
        return f"sqlite:///{tmp_dir / 'test.sqlite3'}"
    url = os.environ["TEST_DATABASE_URL"]
    if suffix:
        url = sibling_database(url, suffix)
    return re.sub(r"^postgres(ql)?://", "postgresql+psycopg://", url)


def reset_schema(app) -> None:
    """Drop every table (including Alembic's) and rebuild the schema through the migrations."""
    with app.app_context():
        with db.engine.begin() as conn:
            if db.engine.dialect.name == "postgresql":
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
            else:
                db.metadata.drop_all(conn)
                conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        upgrade()


def wipe_rows(app) -> None:
    """Delete every row between tests, keeping the schema."""
    with app.app_context():
        db.session.remove()
        tables = [t.name for t in db.metadata.sorted_tables]
        with db.engine.begin() as conn:
            if db.engine.dialect.name == "postgresql":
                conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
            else:
                for name in reversed(tables):
                    conn.execute(text(f"DELETE FROM {name}"))
            conn.execute(text("DELETE FROM search_index"))  # the search index (migration 0014) is not a model


class FreshContextClient(FlaskClient):
    """A test client whose every request gets its own app context (own `g`, own DB session), as in production."""

    def open(self, *args, **kwargs):
        # End the test's own transaction first, so the request and the test's later reads see fresh data.
        db.session.commit()
        # A streamed body (stream_with_context) is read inside the request's own context, as a server would.
        kwargs.setdefault("buffered", True)
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture(scope="session", params=DATABASES)
def database(request, tmp_path_factory) -> str:
    """The kind of database this test runs on: 'sqlite' or 'postgresql'."""
    return request.param


@pytest.fixture(scope="session")
def session_app(database, tmp_path_factory):
    """One app per database, its schema built by the migrations."""
    url = database_url(database, tmp_path_factory.mktemp(database))
    app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": url,
                                  "SIGNING_KEYS_DIR": str(tmp_path_factory.mktemp(f"keys-{database}")),
                                  "JOB_FILES_DIR": str(tmp_path_factory.mktemp(f"job-files-{database}"))})
    app.test_client_class = FreshContextClient
    reset_schema(app)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def app(session_app) -> Iterator:
    """The app with an application context pushed and empty tables afterwards.

    The test's own session reads in deferred transactions, like a GET request, so an object it
    refreshes does not hold SQLite's write lock while the requests under test write.
    """
    token = read_only_transactions.set(True)
    with session_app.app_context():
        yield session_app
    read_only_transactions.reset(token)
    wipe_rows(session_app)


@pytest.fixture
def client(app):
    """A test client for the app."""
    return app.test_client()


@pytest.fixture
def now() -> datetime:
    """A frozen 'now' to pass to services."""
    return FROZEN_NOW


@pytest.fixture
def make_user(app, now) -> Callable[..., User]:
    """Build and commit a user: make_user(role=Role.LEARNER, username=None, **fields)."""
    counter = iter(range(1, 10_000))

    def make(role: Role = Role.LEARNER, username: str | None = None, password: str = PASSWORD, **fields) -> User:
        username = username or f"{role.value}{next(counter)}"
        user = accounts.create_user(username, fields.pop("full_name", f"Người dùng {username}"), role,
                                          password, now, **fields)
        db.session.commit()
        return user

    return make


@pytest.fixture
def make_cohort(app, now):
    """Build and commit a cohort, optionally with instructors and learners."""
    counter = iter(range(1, 10_000))

    def make(name: str | None = None, instructors=(), learners=(), commune: str = "Phường Ba Đình"):
        from lms.models import Enrolment

        cohort = cohort_services.create_cohort(name or f"Lớp thử {next(counter)}", None, None, None, now)
        for instructor in instructors:
            cohort_services.assign_instructor(cohort, instructor, None, now)
        for learner in learners:
            db.session.add(Enrolment(cohort=cohort, user=learner, commune=commune, enrolled_at=now))
        db.session.commit()
        return cohort

    return make


def play_attempt(learner, case, forms, now, attempt=None, commit: bool = True):
    """Answer an attempt (a new one unless given) stage after stage through the services and submit it at the
    last form; each step must be accepted."""
    from lms.cases import services as attempts

    attempt = attempt or attempts.start_attempt(learner, case, now)
    for index, form in enumerate(forms):
        attempts.save_answers(attempt, attempts.read_answers(attempt, form), now)
        errors = attempts.submit_attempt(attempt, now) if index == len(forms) - 1 else attempts.advance(attempt, now)
        assert errors in ({}, {"_stage": "not_final"}), errors
    if commit:
        db.session.commit()
    return attempt


def csrf_token(client, path: str = "/login") -> str:
    """Fetch a page and return the CSRF token it carries."""
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def sign_in(client, identifier: str, password: str = PASSWORD):
    """Sign in through the real form, CSRF token included."""
    return client.post("/login", data={"identifier": identifier, "password": password,
                                       "csrf_token": csrf_token(client)})


@pytest.fixture
def login_as(app, make_user):
    """login_as(role_or_user) -> a test client signed in as a new user of that role (or that user)."""

    def login(who) -> tuple:
        user = who if isinstance(who, User) else make_user(Role(who))
        client = app.test_client()
        response = sign_in(client, user.username)
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        client.user = user
        return client

    return login


@pytest.fixture
def count_queries(app):
    """Context manager counting the SQL statements run inside it: `with count_queries() as n: ...; n()`; given a
    list, it also keeps their text there."""

    @contextmanager
    def counting(statements: list[str] | None = None):
        statements = [] if statements is None else statements

        def record(conn, cursor, statement, *args):
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", record)
        try:
            yield lambda: len(statements)
        finally:
            event.remove(db.engine, "before_cursor_execute", record)

    return counting


CASE_FIXTURE = Path(__file__).with_name("case_fixture.md")
# The fixture case's expert path, stage by stage, as the attempt page posts it: 3/3 points, a score of 10.0.
EXPERT_PATH = [MultiDict({"q-q1": "a"}),
               MultiDict([("q-q2-rank-a", "1"), ("q-q2-rank-b", "2"), ("q-q2-rank-c", "3"), ("q-q3", "a"), ("q-q3", "b")])]


@pytest.fixture
def outbox(app):
    """The e-mails sent from here on (the suite's in-memory mail backend)."""
    box = app.extensions["mailman"].outbox = []
    return box


@pytest.fixture
def make_case(app, now):
    """Import a module holding one branching case (tests/case_fixture.md): make_case(slug=..., **policy)."""
    from lms.catalog.store import new_case_version
    from lms.catalog.urls import resolver_factory
    from lms.content.validate_case import parse_case_text
    from lms.models import Case, Module

    counter = iter(range(1, 100))

    def make(slug: str = "tranh-chap-loi-di", text: str | None = None, **policy):
        number = next(counter)
        module = Module(number=number, slug=f"mo-dun-{number}", title=f"Chuyên đề thử {number}", summary="Tóm tắt",
                        group=3, hours=4, objectives=["a", "b"], references=[], content_hash="x", updated_at=now,
                        **policy)
        db.session.add(module)
        db.session.flush()
        definition, problems = parse_case_text(text or CASE_FIXTURE.read_text(encoding="utf-8"), slug)
        assert not problems, problems
        case = Case(module=module, slug=slug, position=1)
        db.session.add(case)
        db.session.flush()
        new_case_version(case, definition, resolver_factory(app)(module.key), now)
        db.session.commit()
        return case

    return make


@pytest.fixture
def case(make_case):
    """The branching test case (tests/case_fixture.md) in a module of its own."""
    return make_case()


@pytest.fixture
def counted_seeds(monkeypatch):
    """Attempts started in this test draw their option order and question variants from the seeds 1, 2, 3 ...
    instead of random ones, so a test about drawing is not left to chance (seeds 1-8 draw both versions of the
    fixture's varied question q3)."""
    import itertools
    from types import SimpleNamespace

    from lms.cases import services

    seeds = itertools.count(1)
    monkeypatch.setattr(services, "secrets", SimpleNamespace(randbits=lambda _bits: next(seeds)))
