"""A 5,000-row roster uploaded in the browser under gunicorn's defaults, while learners keep saving.

gunicorn (2 workers, default 30-second timeout) and `flask jobs worker` run as in production: SQLite with
huey's SQLite queue, and PostgreSQL with Redis. An administrator uploads the file; the request only checks
the rows and queues the job. Meanwhile ten learners autosave in a loop. Printed: the upload request's time,
the job's time to done, the learners' save latency before and during the import, and any 5xx.

    python -m bench.roster_import [--rows 5000] [--database sqlite|postgresql|both]
"""
from __future__ import annotations

import argparse
import re
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

from bench.load import Browser, Stats, _free_port, _percentile, database_url, seed, server_env, spawn, start_gunicorn

LEARNERS = 10


def roster_csv(rows: int) -> bytes:
    """A roster of `rows` new learners in the template's columns."""
    lines = ["Họ và tên,Tên đăng nhập hoặc email,\"Xã, phường\",Số điện thoại"]
    lines += [f"Nguyễn Văn Học {n},hocvien{n:05d}@xa.hanoi.gov.vn,Xã Sóc Sơn,0912 000 {n % 1000:03d}" for n in range(rows)]
    return ("\n".join(lines) + "\n").encode("utf-8")


def upload(browser: Browser, path: str, token: str, data: bytes) -> tuple[int, str, float]:
    """POST the file as multipart/form-data; (status, Location, seconds)."""
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{token}\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"danh-sach.csv\"\r\n"
            f"Content-Type: text/csv\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in browser.cookies.items()),
               "Content-Type": f"multipart/form-data; boundary={boundary}"}
    start = time.perf_counter()
    browser.conn.request("POST", path, body=body, headers=headers)
    response = browser.conn.getresponse()
    response.read()
    return response.status, response.headers.get("Location", ""), time.perf_counter() - start


def keep_saving(port: int, username: str, stats: Stats, stop: threading.Event) -> None:
    """A learner autosaving the first stage of a case every 0.2 s until told to stop."""
    browser = Browser(port, stats)
    try:
        browser.sign_in(username)
        path, token = browser.start_attempt("tranh-chap-loi-di")
        n = 0
        while not stop.is_set():
            n += 1
            browser.request("POST", f"{path}/autosave", stats.phase,
                            {"csrf_token": token, "stage": "s1", "path_length": "1", "q-q1-shown": "1",
                             "q-q1": "abc"[n % 3]}, accept_json=True)
            time.sleep(0.2)
    finally:
        browser.close()


def run_import(database: str, rows: int) -> dict:
    """Serve, upload, wait for the job, and measure the learners around it."""
    directory = Path(tempfile.mkdtemp(prefix="lms-roster-"))
    url = database_url(database, directory)
    seed(url, LEARNERS)
    jobs_url = f"sqlite:///{directory / 'jobs.sqlite3'}" if database == "sqlite" else "redis://127.0.0.1:6379/14"
    port = _free_port()
    server = start_gunicorn(url, directory, port, jobs_url)
    worker = spawn([sys.executable, "-m", "flask", "jobs", "worker"], server_env(url, directory, jobs_url),
                   directory / "worker.log")
    stats, stop = Stats(), threading.Event()
    stats.phase = "save before"
    learners = [threading.Thread(target=keep_saving, args=(port, f"hv-tai-{n:03d}", stats, stop))
                for n in range(LEARNERS)]
    try:
        for thread in learners:
            thread.start()
        time.sleep(3)
        admin = Browser(port, stats)
        admin.sign_in("quantri-tai")
        path = "/admin/cohorts/1/import"
        token = admin.csrf(path, "GET import")
        stats.phase = "save during import"
        status, location, upload_seconds = upload(admin, path, token, roster_csv(rows))
        started = time.perf_counter()
        job_page, state = location, ""
        while time.perf_counter() - started < 3600:
            _s, _h, page = admin.request("GET", job_page, "GET job")
            state = "done" if "Hoàn tất" in page else "failed" if "không hoàn tất" in page else ""
            if state:
                break
            time.sleep(1)
        job_seconds = time.perf_counter() - started
        summary = re.search(r"Đã ghi danh (\d+) học viên", page)
        admin.close()
    finally:
        stop.set()
        for thread in learners:
            thread.join()
        worker.terminate()
        server.terminate()
        worker.wait(timeout=30)
        server.wait(timeout=30)
    return {"database": database, "rows": rows, "upload_status": status, "upload_seconds": upload_seconds,
            "job_state": state, "job_seconds": job_seconds, "enrolled": int(summary.group(1)) if summary else 0,
            "before": stats.times.get("save before", []), "during": stats.times.get("save during import", []),
            "server_errors": len(stats.server_errors), "broken": len(stats.broken)}


def report(r: dict) -> None:
    """Print one run's figures."""
    print(f"\n-- {r['database']}: {r['rows']} rows, gunicorn 2 workers (timeout 30 s) + 1 job worker --")
    print(f"upload request {r['upload_status']} in {r['upload_seconds']:.2f} s; job {r['job_state'] or 'unfinished'} "
          f"after {r['job_seconds']:.1f} s; enrolled {r['enrolled']}; 5xx {r['server_errors']}; broken {r['broken']}")
    for label in ("before", "during"):
        times = r[label]
        if times:
            print(f"  learners' autosave {label:6} import: {len(times):5} saves  p50 {_percentile(times, 50) * 1000:5.0f} ms"
                  f"  p99 {_percentile(times, 99) * 1000:5.0f} ms  max {max(times) * 1000:5.0f} ms")


def run(rows: int = 5000, databases=("sqlite", "postgresql")) -> None:
    """For `make bench`."""
    for database in databases:
        report(run_import(database, rows))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    args = parser.parse_args()
    run(args.rows, ("sqlite", "postgresql") if args.database == "both" else (args.database,))
    return 0


if __name__ == "__main__":
    sys.exit(main())
