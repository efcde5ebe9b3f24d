"""Load, reconciled: gunicorn (2 workers) with concurrent learners and an instructor grading, then every
acknowledged action checked against the database.

Each learner signs in and works through two cases of one chuyên đề: autosaves, saves, taps "Tiếp tục"
twice at once, autosaves again from a stale tab of the stage before, writes a rubric-graded answer and
submits. Meanwhile an instructor grades the written answers as they arrive, so the learner's last
submission and the instructor's grading of the same chuyên đề commit at the same time. Afterwards:

- lost answers: an answer the server acknowledged (2xx/3xx) that the database does not hold as last saved;
- lost grades: a module grade that the graded attempts give but the ledger lacks (`reconcile_grades`);
- duplicated: more than one submitted attempt per learner and case, or a review graded twice;
- 5xx and broken connections, and the latency of each kind of request beside a bare route's.

    python -m bench.load [--learners 50] [--database sqlite|postgresql|both]
"""
from __future__ import annotations

import argparse
import http.client
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "mat-khau-tai-thu-2026"
CASES = ("tranh-chap-loi-di", "tranh-chap-loi-di-2")
CSRF_RE = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


@dataclass
class Stats:
    """Every request's outcome, shared by the client threads."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    server_errors: list[str] = field(default_factory=list)
    broken: list[str] = field(default_factory=list)

    def add(self, label: str, status: int, seconds: float, path: str) -> None:
        """Count one answered request."""
        with self.lock:
            self.times[label].append(seconds)
            self.statuses[status] += 1
            if status >= 500:
                self.server_errors.append(f"{status} {label} {path}")


class Browser:
    """One visitor: a keep-alive connection and the cookies the server set."""

    def __init__(self, port: int, stats: Stats):
        self.port, self.stats, self.cookies = port, stats, {}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(self, method: str, path: str, label: str, fields=None, accept_json=False):
        """(status, headers, body text); a broken connection is counted and answered as status 0."""
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = urlencode(fields, doseq=True) if fields is not None else None
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if accept_json:
            headers["Accept"] = "application/json"
        start = time.perf_counter()
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            data = response.read().decode("utf-8", "replace")
        except (OSError, http.client.HTTPException) as error:
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            with self.stats.lock:
                self.stats.broken.append(f"{label} {path}: {error!r}")
            return 0, {}, ""
        self.stats.add(label, response.status, time.perf_counter() - start, path)
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, response.headers, data

    def close(self) -> None:
        """Hang up."""
        self.conn.close()

    def csrf(self, path: str, label: str) -> str:
        """A page's CSRF token."""
        _status, _headers, html = self.request("GET", path, label)
        match = CSRF_RE.search(html)
        if not match:
            raise RuntimeError(f"no CSRF token on {path}")
        return match.group(1)

    def start_attempt(self, slug: str) -> tuple[str, str]:
        """Start (or resume) an attempt at a case: its page's path and a CSRF token from it."""
        token = self.csrf(f"/cases/{slug}", "GET case")
        status, headers, _ = self.request("POST", f"/cases/{slug}/start", "POST start", {"csrf_token": token})
        if status != 302:
            raise RuntimeError(f"start {slug}: {status}")
        path = headers["Location"]
        return path, self.csrf(path, "GET attempt")

    def sign_in(self, username: str) -> None:
        """Through the real form."""
        token = self.csrf("/login", "GET /login")
        status, _h, _b = self.request("POST", "/login", "POST /login",
                                      {"identifier": username, "password": PASSWORD, "csrf_token": token})
        if status != 302:
            raise RuntimeError(f"{username} could not sign in: {status}")


@dataclass
class Acknowledged:
    """What the server said it saved, per (attempt, question): the last acknowledged state wins."""

    answers: dict[tuple[int, str], dict] = field(default_factory=dict)
    submitted: list[int] = field(default_factory=list)
    graded: list[int] = field(default_factory=list)
    actions: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def saved(self, attempt_id: int, states: dict[str, dict]) -> None:
        """The server acknowledged these answers."""
        with self.lock:
            self.actions += 1
            for question, state in states.items():
                self.answers[(attempt_id, question)] = state


def _stage_fields(stage: str, path_length: int, shown: tuple[str, ...]) -> dict:
    return {"stage": stage, "path_length": str(path_length), **{f"q-{q}-shown": "1" for q in shown}}


SIGN_IN = ("GET /login", "POST /login")


def learner_journey(port: int, username: str, stats: Stats, ack: Acknowledged, errors: list[str],
                    ready: threading.Barrier) -> None:
    """Two cases: the first down the branch with a written answer (awaits grading), the second auto-graded.
    Everyone signs in first (argon2 by design costs a fraction of a second each); the work starts together."""
    browser = Browser(port, stats)
    try:
        try:
            browser.sign_in(username)
        finally:
            ready.wait()
        for index, slug in enumerate(CASES):
            path, token = browser.start_attempt(slug)
            attempt_id = int(path.rstrip("/").rsplit("/", 1)[-1])
            stage_one = _stage_fields("s1", 1, ("q1",))
            status, _h, _b = browser.request("POST", f"{path}/autosave", "POST autosave",
                                             {"csrf_token": token, **stage_one, "q-q1": "c"}, accept_json=True)
            if status == 200:
                ack.saved(attempt_id, {"q1": {"choice": "c"}})
            first = "b" if index == 0 else "a"
            status, _h, _b = browser.request("POST", path, "POST save",
                                             {"csrf_token": token, "action": "save", **stage_one, "q-q1": first})
            if status == 302:
                ack.saved(attempt_id, {"q1": {"choice": first}})
            # "Tiếp tục" tapped twice: the two posts race; one moves on, the other must change nothing.
            results = []

            def tap(other: Browser) -> None:
                other.cookies.update(browser.cookies)
                results.append(other.request("POST", path, "POST continue", {
                    "csrf_token": token, "action": "continue", **stage_one, "q-q1": first})[0])
                other.close()

            taps = [threading.Thread(target=tap, args=(Browser(port, stats),)) for _ in range(2)]
            for thread in taps:
                thread.start()
            for thread in taps:
                thread.join()
            if 302 in results:
                ack.saved(attempt_id, {"q1": {"choice": first}})
            # A stale tab still on stage 1 autosaves another choice: 409, nothing overwritten.
            browser.request("POST", f"{path}/autosave", "POST stale autosave",
                            {"csrf_token": token, **stage_one, "q-q1": "a" if first != "a" else "c"}, accept_json=True)
            if index == 0:
                fields = {"q-q4-best": "a", "q-q4-worst": "b",
                          "q-q5-text": f"Phương án của {username}: mời hai bên đối thoại, lập biên bản, báo cáo."}
                stage_two = _stage_fields("s2b", 2, ("q4", "q5"))
                states = {"q4": {"best": "a", "worst": "b"}, "q5": {"text": fields["q-q5-text"]}}
            else:
                fields = {"q-q2-rank-a": "1", "q-q2-rank-b": "2", "q-q2-rank-c": "3", "q-q3": ["a", "b"]}
                stage_two = _stage_fields("s2a", 2, ("q2", "q3"))
                states = {"q2": {"positions": {"a": 1, "b": 2, "c": 3}}, "q3": {"choices": ["a", "b"]}}
            token = browser.csrf(path, "GET attempt")
            status, _h, _b = browser.request("POST", f"{path}/autosave", "POST autosave",
                                             {"csrf_token": token, **stage_two, **fields}, accept_json=True)
            status, _h, _b = browser.request("POST", path, "POST submit",
                                             {"csrf_token": token, "action": "submit", **stage_two, **fields})
            if status == 302:
                ack.saved(attempt_id, states)
                with ack.lock:
                    ack.submitted.append(attempt_id)
    except Exception as error:  # noqa: BLE001 (reported, and counted as a failure of the run)
        errors.append(f"{username}: {error!r}")
    finally:
        browser.close()


def instructor_grading(port: int, stats: Stats, ack: Acknowledged, expected: int, stop: threading.Event,
                       errors: list[str], ready: threading.Barrier) -> None:
    """Grade written answers as they arrive, until every one expected is graded or the learners are done."""
    browser = Browser(port, stats)
    try:
        try:
            browser.sign_in("giangvien-tai")
        finally:
            ready.wait()
        graded: set[int] = set()
        while len(graded) < expected:
            _s, _h, html = browser.request("GET", "/instructor/reviews/", "GET review queue")
            waiting = [int(i) for i in re.findall(r'href="/instructor/reviews/(\d+)"', html) if int(i) not in graded]
            if not waiting:
                if stop.is_set():
                    _s, _h, html = browser.request("GET", "/instructor/reviews/", "GET review queue")
                    if not re.findall(r'href="/instructor/reviews/(\d+)"', html):
                        break
                time.sleep(0.05)
                continue
            for attempt_id in waiting:
                path = f"/instructor/reviews/{attempt_id}"
                _s, _h, page = browser.request("GET", path, "GET review")
                version = re.search(r'name="version" value="(\d+)"', page)
                token = CSRF_RE.search(page)
                if not (version and token):
                    continue
                status, _h, _b = browser.request("POST", path, "POST grade", {
                    "csrf_token": token.group(1), "version": version.group(1), "r-q5-basis": "2", "r-q5-plan": "1",
                    "f-q5": "Có căn cứ; kế hoạch cần cụ thể hơn."})
                if status == 302:
                    graded.add(attempt_id)
                    with ack.lock:
                        ack.graded.append(attempt_id)
                        ack.actions += 1
    except Exception as error:  # noqa: BLE001
        errors.append(f"instructor: {error!r}")
    finally:
        browser.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fresh_app(database_url: str):
    """The app on this database with an empty schema built by the migrations (PostgreSQL's dropped first)."""
    from flask_migrate import upgrade
    from sqlalchemy import text

    from config import TestConfig
    from lms import create_app
    from lms.extensions import db

    app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        with db.engine.begin() as conn:
            if db.engine.dialect.name == "postgresql":
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        upgrade()
    return app


def seed(database_url: str, learners: int) -> None:
    """A fresh schema, one chuyên đề with the two cases, a cohort with its instructor and learners."""

    from lms.auth.accounts import create_user
    from lms.auth.passwords import hash_password
    from lms.catalog.store import new_case_version
    from lms.catalog.urls import resolver_factory
    from lms.cohorts import services as cohorts
    from lms.content.validate_case import parse_case_text
    from lms.database import utcnow
    from lms.extensions import db
    from lms.models import Case, Enrolment, Module, Role

    app = fresh_app(database_url)
    with app.app_context():
        now = utcnow()
        module = Module(number=1, slug="tai-thu", title="Chuyên đề tải thử", summary="Tải thử", group=3, hours=4,
                        objectives=["a", "b"], references=[], content_hash="x", updated_at=now)
        db.session.add(module)
        db.session.flush()
        source = (ROOT / "tests" / "case_fixture.md").read_text(encoding="utf-8")
        for position, slug in enumerate(CASES, start=1):
            definition, problems = parse_case_text(source, slug)
            assert not problems, problems
            case = Case(module=module, slug=slug, position=position)
            db.session.add(case)
            db.session.flush()
            new_case_version(case, definition, resolver_factory(app)(module.key), now)
        cohort = cohorts.create_cohort("Lớp tải thử", None, None, None, now)
        teacher = create_user("giangvien-tai", "Giảng viên tải thử", Role.INSTRUCTOR, PASSWORD, now)
        create_user("quantri-tai", "Quản trị tải thử", Role.ADMIN, PASSWORD, now)
        cohorts.assign_instructor(cohort, teacher, None, now)
        hashed = hash_password(PASSWORD)  # one hash for every learner: argon2 takes about 50 ms a hash
        for n in range(learners):
            user = create_user(f"hv-tai-{n:03d}", f"Học viên {n}", Role.LEARNER, None, now, password_hash=hashed)
            db.session.add(Enrolment(cohort=cohort, user=user, commune="Xã Sóc Sơn", enrolled_at=now))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


def reconcile(database_url: str, ack: Acknowledged, learners: int) -> dict:
    """Compare what the server acknowledged with what the database holds."""
    from sqlalchemy import func, select

    from config import TestConfig
    from lms import create_app
    from lms.database import utcnow
    from lms.extensions import db
    from lms.grades.ledger import reconcile_grades
    from lms.models import Attempt, AttemptAnswer, AttemptState, GradeEntry

    app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        stored = {(a.attempt_id, a.question_id): a.state for a in db.session.scalars(select(AttemptAnswer))}
        lost_answers = [key for key, state in ack.answers.items() if stored.get(key) != state]
        if os.environ.get("LOAD_DEBUG"):
            for key in lost_answers[:5]:
                print("acknowledged", key, ack.answers[key], "stored", stored.get(key))
        per_case = db.session.execute(select(Attempt.user_id, Attempt.case_id, func.count())
                                      .where(Attempt.state != AttemptState.IN_PROGRESS)
                                      .group_by(Attempt.user_id, Attempt.case_id)).all()
        duplicated_attempts = sum(n - 1 for _u, _c, n in per_case if n > 1)
        not_submitted = [a for a in ack.submitted
                         if db.session.get(Attempt, a).state not in (AttemptState.GRADED, AttemptState.AWAITING_REVIEW)]
        differences = reconcile_grades(None, utcnow(), repair=False)
        entries = db.session.execute(select(GradeEntry.user_id, GradeEntry.module_id, GradeEntry.score,
                                            GradeEntry.source).order_by(GradeEntry.id)).all()
        duplicated_grades = sum(1 for prev, cur in zip(entries, entries[1:], strict=False)
                                if prev[:2] == cur[:2] and prev[2:] == cur[2:])
        graded_attempts = db.session.scalar(select(func.count()).select_from(Attempt)
                                            .where(Attempt.state == AttemptState.GRADED))
        module_grades = len({(u, m) for u, m, _s, _src in entries})
        db.session.remove()
        db.engine.dispose()
    return {"lost_answers": len(lost_answers), "lost_grades": len(differences) + len(not_submitted),
            "duplicated": duplicated_attempts + duplicated_grades + (len(ack.graded) - len(set(ack.graded))),
            "graded_attempts": graded_attempts, "module_grades": module_grades, "expected_learners": learners}


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] if ordered else 0.0


def database_url(database: str, directory: Path) -> str:
    """A scratch SQLite file, or the test_load PostgreSQL database (created if missing)."""
    if database == "sqlite":
        return f"sqlite:///{directory / 'load.sqlite3'}"
    import psycopg

    pg_url = os.environ.get("PG_URL", "postgresql://postgres@127.0.0.1:5432/test")
    with psycopg.connect(pg_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = 'test_load'").fetchone():
            conn.execute('CREATE DATABASE "test_load"')
    return re.sub(r"/[^/?]+$", "/test_load", pg_url.replace("postgresql://", "postgresql+psycopg://"))


def server_env(url: str, directory: Path, jobs_url: str) -> dict:
    """The environment of the served app and its worker: development settings on this database."""
    return {**os.environ, "LMS_CONFIG": "development", "DATABASE_URL": url, "LMS_INSTANCE_DIR": str(directory),
            "JOBS_URL": jobs_url, "JOBS_QUEUE_NAME": f"lms-bench-{directory.name}",
            "SIGNING_KEYS_DIR": str(directory / "keys"), "JOB_FILES_DIR": str(directory / "job-files"),
            "FLASK_APP": "wsgi"}


def spawn(command: list[str], env: dict, log: Path) -> subprocess.Popen:
    """Start a process whose output goes to a file (a pipe nobody reads fills up and stalls the process)."""
    with open(log, "w") as out:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)


def start_gunicorn(url: str, directory: Path, port: int, jobs_url: str, target: str = "wsgi:app") -> subprocess.Popen:
    """gunicorn with 2 workers and its default 30-second timeout, answering /healthz."""
    server = spawn([sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}", "--log-level", "warning",
                    target], server_env(url, directory, jobs_url), directory / "server.log")
    deadline = time.monotonic() + 60
    while True:
        probe = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        try:
            probe.request("GET", "/healthz")
            probe.getresponse().read()
            return server
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                raise RuntimeError("gunicorn did not start") from None
            time.sleep(0.2)
        finally:
            probe.close()


def run_load(database: str, learners: int) -> dict:
    """Seed, serve with gunicorn (2 workers), drive the learners and the instructor, reconcile."""
    directory = Path(tempfile.mkdtemp(prefix="lms-load-"))
    url = database_url(database, directory)
    seed(url, learners)
    port = _free_port()
    server = start_gunicorn(url, directory, port, "immediate")
    try:
        stats, ack, errors = Stats(), Acknowledged(), []
        bare = Browser(port, Stats())
        bare_times = []
        for _ in range(20):  # both workers warm
            bare.request("GET", "/healthz", "bare")
        for _ in range(100):
            start = time.perf_counter()
            bare.request("GET", "/healthz", "bare")
            bare_times.append(time.perf_counter() - start)
        bare.close()
        stop, ready = threading.Event(), threading.Barrier(learners + 2)
        grader = threading.Thread(target=instructor_grading, args=(port, stats, ack, learners, stop, errors, ready))
        grader.start()
        threads = [threading.Thread(target=learner_journey, args=(port, f"hv-tai-{n:03d}", stats, ack, errors, ready))
                   for n in range(learners)]
        for thread in threads:
            thread.start()
        ready.wait()  # every one signed in: the work starts now
        started = time.perf_counter()
        for thread in threads:
            thread.join()
        stop.set()
        grader.join(timeout=120)
        elapsed = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=30)
        log = (directory / "server.log").read_text(errors="replace")
    result = reconcile(url, ack, learners)
    all_times = [t for label, times in stats.times.items() if label not in SIGN_IN for t in times]
    writes = [t for label, times in stats.times.items() if label.startswith("POST") and label not in SIGN_IN
              for t in times]
    result.update({
        "database": database, "learners": learners, "requests": len(all_times), "actions": ack.actions,
        "seconds": elapsed, "server_errors": len(stats.server_errors), "broken": len(stats.broken),
        "client_errors": errors, "p50": _percentile(all_times, 50), "p99": _percentile(all_times, 99),
        "writes_p99": _percentile(writes, 99), "max": max(all_times),
        "bare_p99": _percentile(bare_times, 99),
        "by_route": {label: (len(t), _percentile(t, 50), _percentile(t, 99)) for label, t in sorted(stats.times.items())},
        "statuses": dict(stats.statuses), "server_error_samples": stats.server_errors[:5] + stats.broken[:5],
        "server_log_tail": log[-2000:] if stats.server_errors else "",
    })
    return result


def report(result: dict) -> None:
    """Print the figures of one run."""
    print(f"\n-- {result['database']}: {result['learners']} learners + 1 instructor, gunicorn 2 workers, "
          f"{result['seconds']:.1f} s --")
    print(f"acknowledged actions {result['actions']}  requests {result['requests']}  "
          f"lost answers {result['lost_answers']}  lost grades {result['lost_grades']}  "
          f"duplicated {result['duplicated']}  5xx {result['server_errors']}  broken {result['broken']}")
    print(f"graded attempts {result['graded_attempts']}  learner-module grades {result['module_grades']}  "
          f"statuses {result['statuses']}")
    print(f"after sign-in: latency p50 {result['p50'] * 1000:.0f} ms  p99 {result['p99'] * 1000:.0f} ms  "
          f"max {result['max'] * 1000:.0f} ms  saves and submissions p99 {result['writes_p99'] * 1000:.0f} ms  "
          f"(bare /healthz p99 {result['bare_p99'] * 1000:.1f} ms, ratio {result['p99'] / result['bare_p99']:.0f}x)")
    for label, (count, p50, p99) in result["by_route"].items():
        print(f"  {label:22} {count:5}  p50 {p50 * 1000:6.0f} ms  p99 {p99 * 1000:6.0f} ms")
    for line in result["client_errors"][:5] + result["server_error_samples"]:
        print("  !", line)


def run(learners: int = 50, databases=("sqlite", "postgresql")) -> list[dict]:
    """The full run for `make bench`."""
    results = []
    for database in databases:
        result = run_load(database, learners)
        report(result)
        results.append(result)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=50)
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    args = parser.parse_args()
    databases = ("sqlite", "postgresql") if args.database == "both" else (args.database,)
    results = run(args.learners, databases)
    bad = [r for r in results if r["lost_answers"] or r["lost_grades"] or r["duplicated"] or r["server_errors"]
           or r["broken"] or r["client_errors"]]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
