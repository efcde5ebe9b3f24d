"""Learner pages under gunicorn (2 workers) driven by wrk (16 connections), each against a bare route measured in
the same run: requests per second and their ratio to /healthz, p50 and p99, and the server's CPU time per
request (steadier than requests per second on a noisy machine). Each page runs in rounds of two seconds, each
round just after the bare route's own; the row shows the round with the median ratio.

    python -m bench.pages [--seconds 5] [--database sqlite|postgresql]

Needs Debian's `wrk` (`apt-get install wrk`; `make bench` installs it when it may). Issue #20 sets the targets:
learner pages at 0.35 of the bare route or better, p99 under 50 ms.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.load import ROOT, Browser, Stats, _free_port, database_url, fresh_app, start_gunicorn

ROUND_SECONDS = 2
BARE = "bare /healthz"
PAGES = {BARE: "/healthz", "catalogue": "/modules", "dashboard": "/", "progress": "/progress",
         "module": "/modules/18-phuong-phap-xu-ly-tinh-huong",
         "lesson": "/modules/18-phuong-phap-xu-ly-tinh-huong/lessons/02-quy-trinh-6-buoc"}
UNITS = {"us": 1e-6, "ms": 1e-3, "s": 1.0}


def seed(url: str) -> None:
    """A fresh schema, the shipped course and the demo accounts and cohort (no simulated progress)."""

    from lms.catalog.store import import_course
    from lms.catalog.urls import resolver_factory
    from lms.content.loader import load_course
    from lms.database import utcnow
    from lms.demo import seed_demo
    from lms.extensions import db

    app = fresh_app(url)
    with app.app_context():
        course, problems = load_course(ROOT / "content" / "modules")
        assert not problems, problems[:3]
        import_course(course, utcnow(), resolver_factory(app))
        seed_demo(utcnow(), with_progress=False)
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


def _seconds(value: str, unit: str) -> float:
    return float(value) * UNITS[unit]


def wrk(port: int, path: str, cookie: str, seconds: int, script: Path | None = None) -> dict:
    """One wrk run (with a Lua script that builds the requests, when given): requests per second, p50 and p99
    (seconds), non-2xx/3xx responses. A script that sends a fixed list of requests and stops prints
    "sent N in T s" (wrk itself waits out the whole duration): then the rate is N / T."""
    extra = (["-H", f"Cookie: {cookie}"] if cookie else []) + (["-s", str(script)] if script else [])
    done = subprocess.run(["wrk", "-t2", "-c16", f"-d{seconds}s", "--latency", *extra,
                           f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True, check=True)
    if done.stderr.strip():  # wrk reports a broken script here and runs on without it
        raise RuntimeError(f"wrk: {done.stderr.strip()[:500]}")
    out = done.stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)\b", out)
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", out)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    total = int(re.search(r"(\d+) requests in", out).group(1))
    if "not all sent" in out:
        raise RuntimeError(f"wrk did not have every listed request answered within {seconds} s")
    if listed := re.search(r"sent (\d+) in ([\d.]+) s", out):
        total = int(listed.group(1))
        rate = total / float(listed.group(2))
    return {"rate": rate, "p50": _seconds(*p50.groups()), "p99": _seconds(*p99.groups()),
            "errors": int(errors.group(1)) if errors else 0, "requests": total}


def paired(server, label: str, run, bare, rounds: int) -> dict:
    """The figures of `run` in the round whose ratio to the bare route is the median, the bare route measured just
    before it in each round: the machine's speed drifts within a run (the bare route alone moved by a third within a
    minute here), and a ratio to a ceiling measured minutes earlier would carry that drift. CPU per request is over
    every round of `run`."""
    taken, cpu, requests = [], 0.0, 0
    for _ in range(rounds):
        bare_rate = bare()["rate"]
        before = cpu_seconds(server.pid)
        result = run()
        cpu += cpu_seconds(server.pid) - before
        requests += result["requests"]
        taken.append({**result, "bare_rate": bare_rate})
    median = sorted(taken, key=lambda row: row["rate"] / row["bare_rate"])[len(taken) // 2]
    return {**median, "name": label, "cpu_ms": 1000 * cpu / max(requests, 1)}


def cpu_seconds(master: int) -> float:
    """User and system CPU time of gunicorn's workers (the children of the master), in seconds."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master:  # ppid
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def run_pages(database: str, seconds: int) -> list[dict]:
    """Seed, serve, sign a learner in, and measure every page paired with the bare route, in rounds of
    ROUND_SECONDS that add up to about `seconds` for the page."""
    rounds = max(1, round(seconds / ROUND_SECONDS))
    directory = Path(tempfile.mkdtemp(prefix="lms-pages-"))
    url = database_url(database, directory)
    seed(url)
    port = _free_port()
    server = start_gunicorn(url, directory, port, "immediate")
    rows = []
    try:
        visitor = Browser(port, Stats())
        token = visitor.csrf("/login", "login")
        status, _h, _b = visitor.request("POST", "/login", "login",
                                         {"identifier": "hocvien", "password": "demo1234", "csrf_token": token})
        assert status == 302, status
        cookie = "; ".join(f"{k}={v}" for k, v in visitor.cookies.items())
        for label, path in PAGES.items():
            assert visitor.request("GET", path, label)[0] == 200, path
        visitor.close()
        for label, path in PAGES.items():
            wrk(port, path, cookie, 1)  # warm both workers
            rows.append(paired(server, label, lambda p=path: wrk(port, p, cookie, ROUND_SECONDS),
                               lambda: wrk(port, PAGES[BARE], cookie, ROUND_SECONDS), rounds))
    finally:
        server.terminate()
        server.wait(timeout=30)
    return rows


def rate_table(heading: str, column: str, rows: list[dict]) -> None:
    """A table of rates, every one also as a ratio to the bare route (the first row) measured just before it in
    the same run (the row's bare_rate), and the range of those bare rates."""
    print(f"\n-- {heading} --")
    print(f"{column:16} {'req/s':>8} {'ratio':>6} {'p50 ms':>7} {'p99 ms':>7} {'CPU ms/req':>11} {'errors':>7}")
    for row in rows:
        print(f"{row['name']:16} {row['rate']:8.0f} {row['rate'] / row['bare_rate']:6.2f} {row['p50'] * 1000:7.1f} "
              f"{row['p99'] * 1000:7.1f} {row['cpu_ms']:11.2f} {row['errors']:7}")
    bare_rates = [row["bare_rate"] for row in rows]
    print(f"each row is its round with the median ratio to {rows[0]['name']} measured just before it; the bare "
          f"route ran at {min(bare_rates):.0f}-{max(bare_rates):.0f} req/s in those rounds")


def report(database: str, rows: list[dict]) -> None:
    """The learner pages' table."""
    rate_table(f"{database}: gunicorn 2 workers, wrk 16 connections", "page", rows)


def run(seconds: int = 5, databases=("sqlite", "postgresql")) -> None:
    """The run `make bench` does."""
    if shutil.which("wrk") is None:
        print("wrk is not installed (apt-get install wrk): page figures skipped")
        return
    for database in databases:
        report(database, run_pages(database, seconds))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    args = parser.parse_args()
    run(args.seconds, ("sqlite", "postgresql") if args.database == "both" else (args.database,))
    return 0


if __name__ == "__main__":
    sys.exit(main())
