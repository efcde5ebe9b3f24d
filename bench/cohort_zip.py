"""The cohort ZIP of 579 transcripts as a background job under gunicorn's defaults.

Before: one streamed request, 133 s for 579 transcripts, killed by gunicorn's 30-second worker timeout. Now the
request queues a job and answers at once; `flask jobs worker` issues each learner's transcript (one commit each)
and writes the ZIP to a file; the job page shows progress, then the download. Printed: the request's time, the
job's time to done and per PDF (issuing included), the ZIP's size and PDF count, and the job worker's peak resident
memory, on SQLite (SQLite queue) and PostgreSQL (Redis); run it at two cohort sizes to see that memory stays flat.

    python -m bench.cohort_zip [--learners 579] [--database sqlite|postgresql|both]
"""
from __future__ import annotations

import argparse
import io
import re
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from bench.load import Browser, Stats, _free_port, database_url, seed, server_env, spawn, start_gunicorn


def _peak_rss(pid: int) -> int:
    """A running process's peak resident memory in bytes (Linux)."""
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        return 1024 * int(next(line for line in status if line.startswith("VmHWM:")).split()[1])


def run_zip(database: str, learners: int) -> dict:
    """Serve with gunicorn and a job worker, ask for the ZIP, wait for the job, download and count."""
    directory = Path(tempfile.mkdtemp(prefix="lms-zip-"))
    url = database_url(database, directory)
    seed(url, learners)
    jobs_url = f"sqlite:///{directory / 'jobs.sqlite3'}" if database == "sqlite" else "redis://127.0.0.1:6379/13"
    port = _free_port()
    server = start_gunicorn(url, directory, port, jobs_url)
    worker = spawn([sys.executable, "-m", "flask", "jobs", "worker"], server_env(url, directory, jobs_url),
                   directory / "worker.log")
    stats = Stats()
    try:
        admin = Browser(port, stats)
        admin.sign_in("quantri-tai")
        token = admin.csrf("/admin/cohorts/1/documents", "GET documents")
        start = time.perf_counter()
        status, headers, _ = admin.request("POST", "/admin/cohorts/1/documents/transcript.zip", "POST zip",
                                           {"csrf_token": token})
        request_seconds = time.perf_counter() - start
        job_page, page, percents = headers.get("Location", ""), "", []
        while time.perf_counter() - start < 1800:
            _s, _h, page = admin.request("GET", job_page, "GET job")
            progress = re.search(r'<progress max="100" value="(\d+)"', page)
            if progress:
                percents.append(int(progress.group(1)))
            if "Hoàn tất" in page or "không hoàn tất" in page:
                break
            time.sleep(1)
        job_seconds = time.perf_counter() - start
        admin.conn.request("GET", job_page + "/file", headers={"Cookie": "; ".join(
            f"{k}={v}" for k, v in admin.cookies.items())})
        response = admin.conn.getresponse()
        data = response.read()
        with zipfile.ZipFile(io.BytesIO(data)) as bundle:
            pdfs = sum(name.endswith(".pdf") for name in bundle.namelist())
        admin.close()
        worker_peak = _peak_rss(worker.pid)
    finally:
        worker.terminate()
        server.terminate()
        worker.wait(timeout=30)
        server.wait(timeout=30)
    return {"database": database, "learners": learners, "status": status, "request_seconds": request_seconds,
            "job_seconds": job_seconds, "done": "Hoàn tất" in page, "pdfs": pdfs, "zip_bytes": len(data),
            "worker_peak": worker_peak,
            "progress_seen": sorted(set(percents)), "server_errors": len(stats.server_errors)}


def report(r: dict) -> None:
    """Print one run's figures."""
    print(f"\n-- {r['database']}: cohort ZIP of {r['learners']} transcripts, gunicorn 2 workers (timeout 30 s) "
          f"+ 1 job worker --")
    print(f"request answered {r['status']} in {r['request_seconds']:.2f} s; job {'done' if r['done'] else 'NOT done'} "
          f"after {r['job_seconds']:.0f} s ({1000 * r['job_seconds'] / max(r['pdfs'], 1):.0f} ms per PDF); "
          f"{r['pdfs']} PDFs, {r['zip_bytes'] / 1048576:.1f} MiB; worker peak RSS {r['worker_peak'] / 1048576:.0f} MiB; "
          f"progress seen {r['progress_seen'][:3]}…{r['progress_seen'][-2:]}; 5xx {r['server_errors']}")


def run(learners: int = 579, databases=("sqlite", "postgresql")) -> None:
    """For `make bench`."""
    for database in databases:
        report(run_zip(database, learners))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=579)
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    args = parser.parse_args()
    run(args.learners, ("sqlite", "postgresql") if args.database == "both" else (args.database,))
    return 0


if __name__ == "__main__":
    sys.exit(main())
