"""Saving answers and submitting cases under gunicorn (2 workers), each beside a bare route that inserts one row,
measured in the same run: requests per second and their ratio, p50 and p99, the server's CPU time per request,
and a reconciliation of every acknowledged save and submission against the database. As in bench.pages, every
figure is measured in rounds, each just after a round of the bare insert, and the round with the median ratio is
shown. Every request is sent by wrk, so the client costs the same little CPU for every row.

    python -m bench.writes [--seconds 6] [--learners 192] [--database sqlite|postgresql|both]

- bare insert: POST /bench/insert adds one row in one transaction (this bench's app only; the product has no such
  route), driven by wrk with 16 connections;
- save: the attempt page's autosave (what a phone sends while the learner types) over every learner's open
  attempt in turn, driven by wrk with 16 connections;
- submit: each learner submits both cases once, 16 at a time: grading, the ledger and the learning records, and
  on the second case the chuyên đề's grade and result. A round submits a fresh share of the learners' attempts
  and its rate is those submissions over the time they took.

Issue #20's targets: save and submit at 0.25 of the bare insert route or better on each database.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

from bench.load import CASES, Browser, Stats, _free_port, database_url, seed, start_gunicorn
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
    """A signed-in learner on stage two of an attempt at each of the two cases: what wrk replays. The first
    attempt's autosaves are the save figure; submitting both, the second settles the chuyên đề's grade."""

    def __init__(self, port: int, username: str, stats: Stats):
        browser = Browser(port, stats)
        browser.sign_in(username)
        self.attempts = []  # (path, CSRF token, attempt id) per case
        for slug in CASES:
            path, token = browser.start_attempt(slug)
            status, _h, _b = browser.request("POST", path, "continue", {
                "csrf_token": token, "action": "continue", "stage": "s1", "path_length": "1", "q-q1-shown": "1",
                "q-q1": "a"})
            if status != 302:
                raise RuntimeError(f"{username}: continue answered {status}")
            self.attempts.append((path, token, int(path.rstrip("/").rsplit("/", 1)[-1])))
        self.cookie = "; ".join(f"{k}={v}" for k, v in browser.cookies.items())
        browser.close()


def prepare(port: int, learners: int) -> list[Learner]:
    """Every learner signed in and on stage two of both cases, eight at a time."""
    stats = Stats()
    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(lambda n: Learner(port, f"hv-tai-{n:03d}", stats), range(learners)))


def autosave_script(learners: list[Learner], directory: Path) -> Path:
    """A wrk script that sends each learner's autosave in turn, with their cookie and CSRF token."""
    rows = [{"path": f"{path}/autosave", "cookie": item.cookie,
             "body": urlencode({"csrf_token": token, **STAGE_TWO}, doseq=True)}
            for item in learners for path, token, _id in item.attempts[:1]]
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


# Lua for a fixed list of requests, shared out between wrk's two threads; each thread stops when its share is
# answered and keeps the monotonic times of its first request and last answer (LuaJIT's FFI: wrk's Lua has no wall
# clock), so the rate is the requests over the time they took, not over wrk's whole duration.
LISTED = r"""
local ffi = require("ffi")
ffi.cdef[[ typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
           int clock_gettime(int, bench_timespec *); ]]
local function now()
  local t = ffi.new("bench_timespec"); ffi.C.clock_gettime(1, t)
  return tonumber(t.tv_sec) + tonumber(t.tv_nsec) * 1e-9
end
local THREADS, threads = 2, {}  -- bench.pages.wrk runs two threads
function setup(thread) thread:set("tid", #threads); threads[#threads + 1] = thread end
local mine, sent, answered = {}, 0, 0
local verifying = false
function init(args)
  for i = tid + 1, #rows, THREADS do mine[#mine + 1] = rows[i] end
  verifying = tid == 0  -- wrk calls the first thread's request() once to check it, before sending anything
end
local function post(row)
  return wrk.format("POST", row.path, {["Cookie"] = row.cookie,
    ["Content-Type"] = "application/x-www-form-urlencoded"}, row.body)
end
request = function()
  if verifying then verifying = false; return post(mine[1]) end
  sent = sent + 1
  if sent == 1 then started = now() end
  if sent > #mine then return wrk.format("GET", "/healthz") end  -- what a free connection sends meanwhile
  return post(mine[sent])
end
response = function(status, headers, body)
  if status == 200 then return end  -- /healthz, sent once the share is out; a submission answers 302 (or fails)
  answered = answered + 1
  if answered == #mine then finished = now(); wrk.thread:stop() end
end
function done(summary, latency, requests)
  local first, last = math.huge, 0
  for _, t in ipairs(threads) do
    if t:get("finished") == nil then io.write("not all sent\n"); return end
    first = math.min(first, t:get("started")); last = math.max(last, t:get("finished"))
  end
  io.write(string.format("sent %d in %.6f s\n", #rows, last - first))
end
"""


def submit_script(learners: list[Learner], directory: Path, name: str) -> Path:
    """A wrk script that submits each learner's two attempts once (the first case's, then the second's)."""
    rows = [{"path": path, "cookie": item.cookie,
             "body": urlencode({"csrf_token": token, "action": "submit", **STAGE_TWO}, doseq=True)}
            for case in range(len(CASES)) for item in learners for path, token, _id in [item.attempts[case]]]
    script = directory / f"{name}.lua"
    script.write_text("local rows = " + _lua(rows) + LISTED)
    return script


def submit_rounds(port: int, learners: list[Learner], directory: Path, rounds: int):
    """One wrk run per round, each submitting a fresh share of the learners' attempts (every learner's in one)."""
    scripts = iter([submit_script(learners[n::rounds], directory, f"submit-{n}") for n in range(rounds)])
    return lambda: wrk(port, "/", "", 10 + len(learners) // rounds // 10, next(scripts))


def reconcile(url: str, learners: list[Learner]) -> dict:
    """Each attempt submitted exactly once with the answers sent, no second attempt at a case, and every chuyên
    đề grade that the graded attempts give in the ledger."""
    from sqlalchemy import func, select

    from config import TestConfig
    from lms import create_app
    from lms.database import utcnow
    from lms.extensions import db
    from lms.grades.ledger import reconcile_grades
    from lms.models import Attempt, AttemptAnswer, AttemptState

    app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        ids = [attempt_id for item in learners for _path, _token, attempt_id in item.attempts]
        states = dict(db.session.execute(select(Attempt.id, Attempt.state).where(Attempt.id.in_(ids))).all())
        per_case = db.session.execute(select(Attempt.user_id, Attempt.case_id, func.count())
                                      .group_by(Attempt.user_id, Attempt.case_id)).all()
        answers = {(a.attempt_id, a.question_id): a.state for a in db.session.scalars(
            select(AttemptAnswer).where(AttemptAnswer.attempt_id.in_(ids)))}
        grades = reconcile_grades(None, utcnow(), repair=False)
        db.session.rollback()
        db.session.remove()
        db.engine.dispose()
    expected = {"q2": {"positions": {"a": 1, "b": 2, "c": 3}}, "q3": {"choices": ["a", "b"]}}
    lost = sum(1 for i in ids for q, state in expected.items() if answers.get((i, q)) != state)
    not_submitted = sum(1 for i in ids if states.get(i) != AttemptState.GRADED)
    duplicated = sum(n - 1 for _user, _case, n in per_case if n > 1)
    return {"lost_answers": lost, "not_submitted": not_submitted, "duplicated": duplicated,
            "lost_grades": len(grades)}


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
                paired(server, "submit", submit_rounds(port, people, directory, rounds), bare, rounds)]
    finally:
        server.terminate()
        server.wait(timeout=30)
    return rows, reconcile(url, people)


def report(database: str, rows: list[dict], checks: dict, learners: int) -> None:
    """The table, every rate also as a ratio to the bare insert of the same run."""
    rate_table(f"{database}: gunicorn 2 workers, 16 connections, {learners} learners", "write", rows)
    print(f"reconciled: lost answers {checks['lost_answers']}, not submitted {checks['not_submitted']}, "
          f"duplicated attempts {checks['duplicated']}, chuyên đề grades missing {checks['lost_grades']}")


def run(seconds: int = 6, learners: int = 192, databases=("sqlite", "postgresql")) -> None:
    """The run `make bench` does."""
    if shutil.which("wrk") is None:
        print("wrk is not installed (apt-get install wrk): write figures skipped")
        return
    for database in databases:
        rows, checks = run_writes(database, seconds, learners)
        report(database, rows, checks, learners)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=6)
    parser.add_argument("--learners", type=int, default=192)
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
