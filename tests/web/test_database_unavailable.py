"""When the database goes away or hangs: a friendly 503 with Retry-After, nothing half-written, and the saved
answers intact once it is back (issue #15)."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import event, select, text
from sqlalchemy.exc import OperationalError

from config import TestConfig
from lms import create_app
from lms.extensions import db
from lms.models import AttemptAnswer, Role
from tests.conftest import csrf_token, sign_in
from tests.db_proxy import DatabaseRelay
from tests.web.test_cases import start

UNAVAILABLE = "Hệ thống tạm thời gián đoạn"


def refuse_connections(engine):
    """Every new connection fails as a stopped server's would; returns the function that lets them through."""

    def refuse(dialect, _record, _args, _params):
        raise dialect.loaded_dbapi.OperationalError("connection refused (the test stopped the database)")

    event.listen(engine, "do_connect", refuse)
    engine.dispose()  # the pooled connections die with the server
    return lambda: event.remove(engine, "do_connect", refuse)


def assert_unavailable(response) -> None:
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "120" and response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    assert UNAVAILABLE in page and "vẫn còn nguyên" in page and "Traceback" not in page


def test_a_signed_in_learner_gets_a_friendly_503_and_keeps_the_saved_answer(learner, case):
    path = start(learner, case)
    token = csrf_token(learner, path)
    assert learner.post(path, data={"csrf_token": token, "action": "save", "q-q1": "a"}).status_code == 302
    restore = refuse_connections(db.engine)
    try:
        assert_unavailable(learner.get(path))
        assert_unavailable(learner.post(path, data={"csrf_token": token, "action": "save", "q-q1": "b"}))
        problem = learner.post(f"{path}/autosave", data={"csrf_token": token, "q-q1": "b"},
                               headers={"Accept": "application/json"})
        assert problem.status_code == 503 and problem.mimetype == "application/problem+json"
        assert problem.get_json()["code"] == "database_unavailable"
        english = learner.get("/", headers={"Accept-Language": "en"})
        assert english.status_code == 503
    finally:
        restore()
    assert db.session.scalars(select(AttemptAnswer.state)).all() == [{"choice": "a"}]
    page = learner.get(path)
    assert page.status_code == 200 and re.search(r'value="a"[^>]*checked', page.get_data(as_text=True))


@pytest.fixture
def relayed(app, database, tmp_path):
    """A second app reaching the test PostgreSQL through a relay the test can stop or freeze."""
    if database != "postgresql":
        pytest.skip("SQLite is a file in the app's own process: there is no server to stop")
    relay = DatabaseRelay("127.0.0.1", 5432)
    url = re.sub(r"@[^/]+/", f"@127.0.0.1:{relay.port}/", app.config["SQLALCHEMY_DATABASE_URI"], count=1)
    relayed_app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": url, "SIGNING_KEYS_DIR": str(tmp_path),
                                          "DB_CONNECT_TIMEOUT": 2, "DB_STATEMENT_TIMEOUT_MS": 1000})
    yield relayed_app, relay
    relay.resume()
    with relayed_app.app_context():
        db.engine.dispose()
    relay.stop()


def test_a_stopped_or_hung_postgresql_answers_503_and_loses_nothing(relayed, make_user, case):
    relayed_app, relay = relayed
    make_user(Role.LEARNER, username="bithu")
    db.session.commit()
    client = relayed_app.test_client()
    assert sign_in(client, "bithu").status_code == 302
    path = start(client, case)
    token = csrf_token(client, path)
    assert client.post(path, data={"csrf_token": token, "action": "save", "q-q1": "a"}).status_code == 302

    relay.stop()  # the server is gone: connections refused, the open ones dropped
    assert_unavailable(client.get(path))
    assert_unavailable(client.post(path, data={"csrf_token": token, "action": "save", "q-q1": "b"}))

    relay.resume()
    relay.hang()  # the server (or the network) hangs: the connect timeout answers, not gunicorn's kill
    assert_unavailable(client.get(path))

    relay.resume()
    page = client.get(path)
    assert page.status_code == 200 and re.search(r'value="a"[^>]*checked', page.get_data(as_text=True))
    assert db.session.scalars(select(AttemptAnswer.state)).all() == [{"choice": "a"}]
    with relayed_app.app_context(), pytest.raises(OperationalError, match="statement timeout"):
        db.session.execute(text("SELECT pg_sleep(5)"))  # a statement past DB_STATEMENT_TIMEOUT_MS is cancelled
