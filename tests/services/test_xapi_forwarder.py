"""Sending learning records to a learning record store that fails: a small LRS on 127.0.0.1 that refuses the
connection, answers 500, stores a batch but never answers (a timeout), then works. Every statement arrives
exactly once, none is lost, and a learner's request never waits for the store or fails because of it."""
from __future__ import annotations

import base64
import json
import socket
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from flask import current_app
from sqlalchemy import func, select

from lms.extensions import db
from lms.jobs.runner import execute, run_periodic
from lms.models import Job, JobState, Module, Role, XapiStatement
from lms.xapi import forwarder, outbox
from lms.xapi.validation import statement_problems
from tests.conftest import csrf_token
from tests.document_helpers import pass_module
from tests.services.conftest import add_lesson

KEY, SECRET = "lms-key", "bí-mật"


class StubStore:
    """A learning record store as the specification describes it (statements kept by id, a known id refused with
    409, a batch refused whole), that can be told how to misbehave on the next requests."""

    def __init__(self):
        self.stored: dict[str, dict] = {}
        self.deliveries: Counter[str] = Counter()  # how often each id was stored (must stay 1)
        self.posts = 0
        self.script: list[str] = []  # what the next requests do: "fail" (500) or "hang" (store, never answer)
        self.release = threading.Event()
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}/xapi"

    def _answer(self, statements: list[dict], headers) -> tuple[int, bytes]:
        with self.lock:
            self.posts += 1
            behaviour = self.script.pop(0) if self.script else "ok"
            expected = "Basic " + base64.b64encode(f"{KEY}:{SECRET}".encode()).decode()
            if headers.get("X-Experience-API-Version") != "1.0.3" or headers.get("Authorization") != expected:
                return (400 if headers.get("Authorization") == expected else 401), b""
            if behaviour in ("fail", "moved", "page"):  # a 500, a redirect, a web page that is not a store
                return {"fail": 500, "moved": 301, "page": 200}[behaviour], "<html>Trang chủ</html>".encode()
            if any(statement_problems(s) for s in statements) or len({s["id"] for s in statements}) < len(statements):
                return 400, b""
            if any(s["id"] in self.stored for s in statements):
                return 409, b""
            for statement in statements:
                self.stored[statement["id"]] = statement
                self.deliveries[statement["id"]] += 1
        if behaviour == "hang":  # stored, but the answer never comes back in time
            self.release.wait(10)
        return 200, json.dumps([s["id"] for s in statements]).encode()

    def _handler(self):
        store = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the http.server contract
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                status, answer = store._answer(body, self.headers) if self.path == "/xapi/statements" else (404, b"")
                try:
                    self.send_response(status)
                    if status == 301:
                        self.send_header("Location", "/xapi/statements")
                    self.send_header("Content-Length", str(len(answer)))
                    self.end_headers()
                    self.wfile.write(answer)
                except OSError:
                    pass  # the client gave up waiting

            def do_GET(self):  # noqa: N802 - listing statements: what a followed redirect of a POST would ask
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        return Handler

    def close(self):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def store(app, monkeypatch):
    """The stub store, configured as the app's LRS with small batches and a short timeout."""
    stub = StubStore()
    for name, value in (("XAPI_LRS_URL", stub.url), ("XAPI_LRS_KEY", KEY), ("XAPI_LRS_SECRET", SECRET),
                        ("XAPI_LRS_TIMEOUT", 0.5), ("XAPI_BATCH_SIZE", 4)):
        monkeypatch.setitem(current_app.config, name, value)
    yield stub
    stub.close()


def closed_port() -> str:
    """The address of a port nobody listens on: the connection is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}/xapi"


def snapshot(query) -> list:
    """The rows as they are now, detached, with no transaction left open: a test request may have left writing
    transactions on (SQLite's write lock), and the job under test runs in its own session."""
    db.session.rollback()
    found = list(db.session.scalars(query))
    db.session.expunge_all()
    db.session.rollback()
    return found


def rows() -> list[XapiStatement]:
    return snapshot(select(XapiStatement).order_by(XapiStatement.id))


def send_job() -> Job | None:
    jobs = snapshot(select(Job).where(Job.kind == forwarder.SEND_JOB).order_by(Job.id.desc()))
    return jobs[0] if jobs else None


def test_a_failing_store_loses_and_duplicates_nothing_and_never_fails_a_learner(app, store, login_as, make_cohort,
                                                                               make_case, now, monkeypatch):
    monkeypatch.setitem(current_app.config, "XAPI_LRS_URL", closed_port())
    learner = login_as(Role.LEARNER)
    make_cohort(learners=[learner.user])
    case = make_case()
    lesson, module_id = add_lesson(case.module, now), case.module.id
    url = f"/modules/{case.module.key}/lessons/{lesson.key}"
    assert learner.post(url + "/studied", data={"csrf_token": csrf_token(learner, url)}).status_code == 302
    pass_module(learner.user, case, now)  # the services of the case pages, in one unit of work
    written = rows()
    assert len(written) == 7 and all(row.sent_at is None for row in written)  # two batches of at most 4

    run_periodic(app)  # the worker's tick asks for a send job; the store refuses the connection
    job = send_job()
    assert job.state == JobState.QUEUED and "LrsUnavailable" in job.error
    assert all(row.sent_at is None and row.claim is None for row in rows())  # given back for the next try

    monkeypatch.setitem(current_app.config, "XAPI_LRS_URL", store.url)
    store.script = ["fail"]  # the queue's first retry: the store answers 500
    with pytest.raises(forwarder.LrsUnavailable):
        execute(app, job.id, retries_left=2)
    store.script = ["hang"]  # the second: the store keeps the first batch but its answer never comes
    with pytest.raises(forwarder.LrsUnavailable):
        execute(app, job.id, retries_left=1)
    assert len(store.stored) == 4 and all(row.sent_at is None for row in rows())

    execute(app, job.id, retries_left=0)  # the last retry: the store works again
    assert send_job().state == JobState.DONE
    sent = rows()
    assert all(row.sent_at is not None for row in sent)
    assert store.stored == {row.statement_id: row.payload for row in sent}  # none lost, content as stored here
    assert set(store.deliveries.values()) == {1}  # none stored twice

    posts = store.posts
    run_periodic(app)  # nothing waits: the job is not run again, nothing is posted again
    assert store.posts == posts and send_job().attempts == 4  # the first run and three retries

    assert learner.post(url + "/studied", data={"csrf_token": csrf_token(learner, url)}).status_code == 302  # again
    module = db.session.get(Module, module_id)
    url = f"/modules/{module.key}/lessons/{add_lesson(module, now, number=2, slug='bai-hai').key}"
    assert learner.post(url + "/studied", data={"csrf_token": csrf_token(learner, url)}).status_code == 302
    run_periodic(app)  # the same job row runs again and sends the new statement
    assert send_job().state == JobState.DONE and db.session.scalar(select(func.count()).select_from(Job)) == 1
    assert len(store.stored) == 8 and set(store.deliveries.values()) == {1}
    jobs_page = login_as(Role.ADMIN).get("/admin/jobs/").get_data(as_text=True)
    assert "Gửi hồ sơ học tập (xAPI) đến kho hồ sơ học tập" in jobs_page  # the administrators see the send job


def test_a_statement_the_store_refuses_as_invalid_is_set_aside_and_the_rest_go(app, store, make_user, make_cohort,
                                                                                make_case, now):
    learner = make_user(Role.LEARNER)
    make_cohort(learners=[learner])
    pass_module(learner, make_case(), now)
    bad = db.session.scalars(select(XapiStatement).order_by(XapiStatement.id)).all()[1]
    bad.payload = {**bad.payload, "verb": {"id": "not an IRI"}}
    db.session.commit()
    db.session.rollback()
    sent = forwarder.send_pending(forwarder.http_transport(forwarder.settings_from(current_app.config)), 4,
                                  lease=forwarder.timedelta(minutes=5))
    after = rows()
    assert sent == len(after) - 1 and set(store.stored) == {r.statement_id for r in after if r.statement_id != bad.statement_id}
    refused = next(r for r in after if r.id == bad.id)
    assert refused.sent_at is None and refused.rejected_at is not None and refused.last_error == "HTTP 400"
    assert outbox.counts() == {"sent": sent, "waiting": 0, "rejected": 1}


def test_two_senders_never_hold_the_same_statement(app, make_user, make_cohort, make_case, now):
    learner = make_user(Role.LEARNER)
    make_cohort(learners=[learner])
    pass_module(learner, make_case(), now)
    total = len(rows())
    lease = forwarder.timedelta(minutes=5)
    db.session.rollback()
    first = [r.id for r in outbox.claim_batch(3, now, lease)]
    second = [r.id for r in outbox.claim_batch(100, now, lease)]
    db.session.commit()
    assert len(first) == 3 and len(second) == total - 3 and not set(first) & set(second)
    assert outbox.claim_batch(100, now, lease) == []  # all held
    assert len(outbox.claim_batch(100, now + lease + forwarder.timedelta(seconds=1), lease)) == total  # a dead sender's hold ends


def test_without_a_store_statements_are_kept_and_no_job_is_asked_for(app, make_user, make_cohort, make_case, now,
                                                                     monkeypatch):
    monkeypatch.setitem(current_app.config, "XAPI_LRS_URL", None)
    learner = make_user(Role.LEARNER)
    make_cohort(learners=[learner])
    pass_module(learner, make_case(), now)
    run_periodic(app)
    assert send_job() is None and rows() and all(row.sent_at is None for row in rows())


def test_on_postgresql_a_second_sender_passes_over_the_rows_another_holds(app, database, make_user, make_cohort,
                                                                          make_case, now):
    if database != "postgresql":
        pytest.skip("SQLite writers take turns: a second claim waits for the first to commit")
    learner = make_user(Role.LEARNER)
    make_cohort(learners=[learner])
    pass_module(learner, make_case(), now)
    total = len(rows())
    lease = forwarder.timedelta(minutes=5)
    first = [r.id for r in outbox.claim_batch(3, now, lease)]  # not committed: its rows stay locked
    with app.app_context():  # another sender, its own session and connection
        second = [r.id for r in outbox.claim_batch(100, now, lease)]
        db.session.commit()
    db.session.commit()
    assert len(first) == 3 and len(second) == total - 3 and not set(first) & set(second)


@pytest.mark.parametrize(("behaviour", "error"), [
    ("moved", "HTTP 301"),  # followed, the POST would turn into a GET of the list, answered 200
    ("page", "HTTP 200 without the statement ids"),  # a web page, not the store's xAPI endpoint
])
def test_a_redirect_or_a_page_that_is_not_a_store_is_not_taken_for_a_delivery(app, store, make_user, make_cohort,
                                                                              make_case, now, behaviour, error):
    learner = make_user(Role.LEARNER)
    make_cohort(learners=[learner])
    pass_module(learner, make_case(), now)
    store.script = [behaviour]
    with pytest.raises(forwarder.LrsUnavailable, match=error):
        forwarder.send_pending(forwarder.http_transport(forwarder.settings_from(current_app.config)), 4,
                               lease=forwarder.timedelta(minutes=5))
    assert store.stored == {} and all(row.sent_at is None for row in rows())
