"""Saving answers and submitting cases under gunicorn (2 workers), each beside a bare route that inserts one row,
measured in the same run: requests per second and their ratio, p50 and p99, the server's CPU time per request,
and a reconciliation of every acknowledged save and submission against the database. As in bench.pages, the
bare insert runs just before each figure (in rounds, the median shown; the submissions once, as each learner
submits once).

    python -m bench.writes [--seconds 5] [--learners 96] [--database sqlite|postgresql|both]

- bare insert: POST /bench/insert adds one row in one transaction (this bench's app only; the product has no such
  route), driven by wrk with 16 connections;
- save: the attempt page's autosave (what a phone sends while the learner types) over every learner's open
  attempt in turn, driven by wrk with 16 connections;
- submit: every learner submits once, 16 at a time (grading, the ledger and the module grade included).

Issue #20's targets: save and submit at 0.25 of the bare insert route or better on each database.
"""
from __future__ import annotations

import argparse
import json
import queue
import shutil
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

from bench.load import CASES, Browser, Stats, _free_port, _percentile, database_url, seed, start_gunicorn
from bench.pages import ROUND_SECONDS, paired, rate_table, wrk

STAGE_TWO = {"stage": "s2a", "path_length": "2", "q-q2-shown": "1", "q-q3-shown": "1",
             "q-q2-rank-a": "1", "q-q2-rank-b": "2", "q-q2-rank-c": "3", "q-q3": ["a", "b"]}


def bare_insert_app():
    """The product's app plus one route that inserts a row: the ceiling a write can reach on this set-up."""
    from lms.database import utcnow
    from lms.extensions import csrf, db
    from lms.models import RateLimitHit
    from wsgi import app

    @app.post("/bench/insert")
    @csrf.exempt
    def bench_insert():
        db.session.add(RateLimitHit(bucket="bench", key="insert", at=utcnow()))
        return "", 204

    return app


class Learner:
    """A signed-in learner on stage two of an attempt: what wrk and the submitting threads replay."""

    def __init__(self, port: int, username: str, stats: Stats):
        browser = Browser(port, stats)
        browser.sign_in(username)
        self.path, self.token = browser.start_attempt(CASES[0])
        status, _h, _b = browser.request("POST", self.path, "continue", {
            "csrf_token": self.token, "action": "continue", "stage": "s1", "path_length": "1", "q-q1-shown": "1",
            "q-q1": "a"})
        if status != 302:
            raise RuntimeError(f"{username}: continue answered {status}")
        self.attempt_id = int(self.path.rstrip("/").rsplit("/", 1)[-1])
        self.cookie = "; ".join(f"{k}={v}" for k, v in browser.cookies.items())
        self.browser = browser


def prepare(port: int, learners: int) -> list[Learner]:
    """Every learner signed in and on stage two, eight at a time."""
    stats = Stats()
    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(lambda n: Learner(port, f"hv-tai-{n:03d}", stats), range(learners)))


def autosave_script(learners: list[Learner], directory: Path) -> Path:
    """A wrk script that sends each learner's autosave in turn, with their cookie and CSRF token."""
    rows = [{"path": f"{item.path}/autosave", "cookie": item.cookie,
             "body": urlencode({"csrf_token": item.token, **STAGE_TWO}, doseq=True)} for item in learners]
    script = directory / "autosave.lua"
    script.write_text("local rows = " + _lua(rows) + """
local i = 0
request = function()
  i = i % #rows + 1
  local row = rows[i]
  return wrk.format("POST", row.path, {["Cookie"] = row.cookie, ["Accept"] = "application/json",
    ["Content-Type"] = "application/x-www-form-urlencoded"}, row.body)
end
""")
    return script


def _lua(rows: list[dict]) -> str:
    """A Lua table of tables of strings (ASCII only: JSON's escapes are Lua's)."""
    items = ["{" + ", ".join(f"{key} = {json.dumps(value)}" for key, value in row.items()) + "}" for row in rows]
    return "{\n" + ",\n".join(items) + "\n}"


def submit_all(learners: list[Learner], port: int) -> dict:
    """Every learner submits once, 16 at a time: rate, p50, p99 and statuses."""
    work: queue.Queue[Learner] = queue.Queue()
    for item in learners:
        work.put(item)
    times, statuses, lock = [], {}, threading.Lock()

    def worker() -> None:
        while True:
            try:
                item = work.get_nowait()
            except queue.Empty:
                return
            browser = Browser(port, Stats())
            browser.cookies.update(item.browser.cookies)
            start = time.perf_counter()
            status, _h, _b = browser.request("POST", item.path, "submit",
                                             {"csrf_token": item.token, "action": "submit", **STAGE_TWO})
            elapsed = time.perf_counter() - start
            browser.close()
            with lock:
                times.append(elapsed)
                statuses[status] = statuses.get(status, 0) + 1

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    errors = sum(n for status, n in statuses.items() if status != 302)
    return {"rate": len(times) / elapsed, "p50": _percentile(times, 50), "p99": _percentile(times, 99),
            "requests": len(times), "errors": errors, "statuses": statuses}


def reconcile(url: str, learners: list[Learner]) -> dict:
    """Each learner's attempt submitted exactly once with the answers sent; no second attempt."""
    from sqlalchemy import func, select

    from config import TestConfig
    from lms import create_app
    from lms.extensions import db
    from lms.models import Attempt, AttemptAnswer, AttemptState

    app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        ids = [item.attempt_id for item in learners]
        states = dict(db.session.execute(select(Attempt.id, Attempt.state).where(Attempt.id.in_(ids))).all())
        per_learner = db.session.execute(select(Attempt.user_id, func.count()).group_by(Attempt.user_id)).all()
        answers = {(a.attempt_id, a.question_id): a.state for a in db.session.scalars(
            select(AttemptAnswer).where(AttemptAnswer.attempt_id.in_(ids)))}
        db.session.remove()
        db.engine.dispose()
    expected = {"q2": {"positions": {"a": 1, "b": 2, "c": 3}}, "q3": {"choices": ["a", "b"]}}
    lost = sum(1 for i in ids for q, state in expected.items() if answers.get((i, q)) != state)
    not_submitted = sum(1 for i in ids if states.get(i) != AttemptState.GRADED)
    duplicated = sum(n - 1 for _user, n in per_learner if n > 1)
    return {"lost_answers": lost, "not_submitted": not_submitted, "duplicated": duplicated}


def run_writes(database: str, seconds: int, learners: int) -> tuple[list[dict], dict]:
    """Seed, serve, prepare the learners, measure the bare insert, the saves and the submissions, reconcile."""
    directory = Path(tempfile.mkdtemp(prefix="lms-writes-"))
    url = database_url(database, directory)
    seed(url, learners)
    port = _free_port()
    server = start_gunicorn(url, directory, port, "immediate", target="bench.writes:app")
    try:
        people = prepare(port, learners)
        script = autosave_script(people, directory)
        insert_script = directory / "insert.lua"
        insert_script.write_text('wrk.method = "POST"\n')
        wrk(port, "/bench/insert", "", 1, insert_script)  # warm both workers

        def bare() -> dict:
            return wrk(port, "/bench/insert", "", ROUND_SECONDS, insert_script)

        rounds = max(1, round(seconds / ROUND_SECONDS))
        rows = [paired(server, "bare insert", bare, bare, rounds),
                paired(server, "save (autosave)", lambda: wrk(port, "/", "", ROUND_SECONDS, script), bare, rounds),
                paired(server, "submit", lambda: submit_all(people, port), bare, 1)]  # each learner submits once
        for item in people:
            item.browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    return rows, reconcile(url, people)


def report(database: str, rows: list[dict], checks: dict, learners: int) -> None:
    """The table, every rate also as a ratio to the bare insert of the same run."""
    rate_table(f"{database}: gunicorn 2 workers, 16 connections, {learners} learners", "write", rows)
    print(f"reconciled: lost answers {checks['lost_answers']}, not submitted {checks['not_submitted']}, "
          f"duplicated attempts {checks['duplicated']}")


def run(seconds: int = 5, learners: int = 96, databases=("sqlite", "postgresql")) -> None:
    """The run `make bench` does."""
    if shutil.which("wrk") is None:
        print("wrk is not installed (apt-get install wrk): write figures skipped")
        return
    for database in databases:
        rows, checks = run_writes(database, seconds, learners)
        report(database, rows, checks, learners)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--learners", type=int, default=96)
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    args = parser.parse_args()
    run(args.seconds, args.learners, ("sqlite", "postgresql") if args.database == "both" else (args.database,))
    return 0


def __getattr__(name: str):
    if name == "app":  # gunicorn's target "bench.writes:app", built only when gunicorn asks for it
        return bare_insert_app()
    raise AttributeError(name)


if __name__ == "__main__":
    sys.exit(main())
