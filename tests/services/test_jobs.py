"""The job queue: sent only after the commit, run once however often delivered, retried, failures kept in view,
and a real worker (its own process) on Redis, as in production, and on huey's SQLite storage, as in `make run`."""
from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
import redis
from sqlalchemy import func, select

from config import TestConfig
from lms import create_app
from lms.database import utcnow
from lms.domain.roster import RosterRow
from lms.extensions import db
from lms.jobs import JobFailed, handler, submit
from lms.jobs.runner import execute, retry, run_periodic
from lms.models import Enrolment, Job, JobState, Role, User
from tests.conftest import csrf_token

RUNS: list[int] = []


@handler("test_count")
def _count(job, progress):
    progress.start(1)
    RUNS.append(job.id)
    progress.advance()
    return {"ran": True}


@handler("test_fail")
def _fail(job, progress):
    if job.params.get("refuse"):
        raise JobFailed("the cohort no longer exists")
    raise RuntimeError("disk full")


@pytest.fixture(autouse=True)
def _clear_runs():
    RUNS.clear()


def test_a_job_is_sent_only_when_its_transaction_commits(app, now):
    job = submit("test_count", {}, None, now)
    db.session.rollback()  # the request failed: nothing to run, nothing was sent
    assert RUNS == [] and db.session.get(Job, job.id) is None
    job = submit("test_count", {}, None, now)
    db.session.commit()  # "immediate" mode (the suite's default) runs it right after the commit
    assert RUNS == [job.id]
    assert db.session.get(Job, job.id).state == JobState.DONE and db.session.get(Job, job.id).result == {"ran": True}


def test_a_repeated_delivery_runs_the_job_once(app, now):
    job = submit("test_count", {}, None, now)
    db.session.commit()
    execute(app, job.id, retries_left=3)
    execute(app, job.id, retries_left=3)
    assert RUNS == [job.id] and db.session.get(Job, job.id).attempts == 1


def test_a_failing_job_is_retried_then_failed_with_its_error_in_view(app, now, login_as):
    job = Job(kind="test_fail", params={}, created_at=now, state=JobState.QUEUED)
    db.session.add(job)
    db.session.commit()
    with pytest.raises(RuntimeError):  # huey sees the error and schedules the retry (with backoff)
        execute(app, job.id, retries_left=2)
    db.session.rollback()
    assert (job.state, job.error) == (JobState.QUEUED, "RuntimeError: disk full")
    with pytest.raises(RuntimeError):
        execute(app, job.id, retries_left=0)
    db.session.rollback()
    assert job.state == JobState.FAILED and job.attempts == 2 and job.finished_at is not None

    admin = login_as(Role.ADMIN)
    listing = admin.get("/admin/jobs/?failed=1").get_data(as_text=True)
    assert f"/admin/jobs/{job.id}" in listing and "RuntimeError: disk full" in listing
    page = admin.get(f"/admin/jobs/{job.id}").get_data(as_text=True)
    assert "không hoàn tất sau 2 lần chạy" in page and "Chạy lại" in page
    again = admin.post(f"/admin/jobs/{job.id}/retry", data={"csrf_token": csrf_token(admin, f"/admin/jobs/{job.id}")})
    assert again.status_code == 302
    db.session.rollback()
    assert job.state == JobState.QUEUED and job.attempts == 1  # it ran again at once, failed, waits for its retry


def test_a_refusal_fails_at_once_without_retries(app, now):
    job = Job(kind="test_fail", params={"refuse": True}, created_at=now, state=JobState.QUEUED)
    db.session.add(job)
    db.session.commit()
    execute(app, job.id, retries_left=3)
    db.session.rollback()
    assert job.state == JobState.FAILED and job.error == "the cohort no longer exists"
    assert retry(job.id) and not retry(job.id)  # a queued job is not "retried" twice


def test_the_sweep_runs_a_job_whose_worker_died_and_resends_one_the_queue_lost(app):
    long_ago = utcnow() - timedelta(hours=2)
    died = Job(kind="test_count", params={}, created_at=long_ago, started_at=long_ago, state=JobState.RUNNING,
               attempts=1)
    lost = Job(kind="test_count", params={}, created_at=long_ago, state=JobState.QUEUED)
    busy = Job(kind="test_count", params={}, created_at=long_ago, started_at=utcnow(), state=JobState.RUNNING,
               attempts=1)
    db.session.add_all([died, lost, busy])
    db.session.commit()
    run_periodic(app)
    assert sorted(RUNS) == sorted([died.id, lost.id])  # the one still running is left to its worker
    db.session.rollback()
    assert died.state == lost.state == JobState.DONE and died.attempts == 2 and busy.state == JobState.RUNNING


ROWS = 40


def _roster(count: int) -> list[RosterRow]:
    return [RosterRow(line=i + 2, full_name=f"Học viên {i}", identifier=f"hv{i:04d}", commune="Xã Sóc Sơn")
            for i in range(count)]


def _wait_until_done(job_id: int, seconds: float = 60) -> Job:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        db.session.rollback()
        job = db.session.get(Job, job_id)
        if job.finished:
            return job
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} did not finish in {seconds} s")


@pytest.fixture(params=["redis", "sqlite-queue"])
def worker(request, app, tmp_path):
    """`flask jobs worker` in its own process, on the test's database, with a queue of its own."""
    name = f"lms-test-{uuid.uuid4().hex[:8]}"
    if request.param == "redis":
        try:
            redis.Redis.from_url("redis://127.0.0.1:6379/15", socket_connect_timeout=2).ping()
        except redis.exceptions.ConnectionError:
            if os.environ.get("TEST_REQUIRE_POSTGRES"):  # CI: the services must be there
                raise
            pytest.skip("Redis is not running on 127.0.0.1:6379")
        url = "redis://127.0.0.1:6379/15"
    else:
        url = f"sqlite:///{tmp_path / 'jobs.sqlite3'}"
    database = app.config["SQLALCHEMY_DATABASE_URI"]
    env = {**os.environ, "LMS_CONFIG": "development", "DATABASE_URL": database, "JOBS_URL": url,
           "JOBS_QUEUE_NAME": name, "LMS_INSTANCE_DIR": str(tmp_path), "JOB_FILES_DIR": app.config["JOB_FILES_DIR"],
           "SIGNING_KEYS_DIR": app.config["SIGNING_KEYS_DIR"], "FLASK_APP": "wsgi"}
    log = tmp_path / "worker.log"  # a file, not a pipe: a full pipe nobody reads would stall the worker
    with open(log, "w") as out:
        process = subprocess.Popen([sys.executable, "-m", "flask", "jobs", "worker", "--workers", "2"], env=env,
                                   cwd=Path(__file__).resolve().parents[2], stdout=out, stderr=subprocess.STDOUT)
    sender = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": database, "JOBS_URL": url, "JOBS_QUEUE_NAME": name,
                                     "JOB_FILES_DIR": app.config["JOB_FILES_DIR"]})
    yield {"process": process, "sender": sender}
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    output = log.read_text(errors="replace")
    with sender.app_context():
        db.engine.dispose()
    if request.param == "redis":
        queue = redis.Redis.from_url(url)
        for key in queue.scan_iter(f"*{name}*"):
            queue.delete(key)
    print(output)


def test_a_real_worker_runs_a_roster_import_sent_through_the_queue(app, worker, make_cohort, make_user):
    from lms.cohorts.roster_job import submit_import

    cohort = make_cohort()
    admin = make_user(Role.ADMIN)
    with worker["sender"].app_context():
        job = submit_import(db.session.get(type(cohort), cohort.id), _roster(ROWS), db.session.get(User, admin.id),
                            utcnow())
        job_id = job.id
        db.session.commit()  # reaches the worker's queue now
    assert worker["process"].poll() is None, "the worker stopped"
    job = _wait_until_done(job_id)
    assert job.state == JobState.DONE, job.error
    assert job.result == {"enrolled": ROWS, "created": ROWS, "unchanged": 0} and job.done == job.total == ROWS
    assert db.session.scalar(select(func.count()).select_from(Enrolment).where(Enrolment.cohort_id == cohort.id)) == ROWS


def test_jobs_wait_for_the_outer_transaction_not_a_savepoint(app, now):
    job = submit("test_count", {}, None, now)
    with db.session.begin_nested():  # e.g. a guarded insert inside the same unit of work
        pass
    assert RUNS == []  # releasing the savepoint sent nothing
    try:
        with db.session.begin_nested():
            raise ValueError("a refused insert")
    except ValueError:
        pass
    db.session.commit()
    assert RUNS == [job.id]  # the savepoint's rollback did not forget the job
