"""The huey queue of an app: built from JOBS_URL, fed only after the unit of work that asked commits."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask
from huey import Huey, RedisHuey, SqliteHuey, crontab


def make_queue(url: str, name: str) -> Huey:
    """A huey for JOBS_URL: "immediate", "sqlite:///path/jobs.sqlite3" or "redis://host:port/db"."""
    if url == "immediate":
        return Huey(name, immediate=True, results=False)
    scheme = urlsplit(url).scheme
    if scheme == "sqlite":
        return SqliteHuey(name, filename=url.removeprefix("sqlite:///"), results=False)
    if scheme in ("redis", "rediss", "unix"):
        return RedisHuey(name, url=url, results=False)
    raise RuntimeError(f"JOBS_URL must be 'immediate', sqlite:///… or redis://…, not {url!r}")


def init_app(app: Flask) -> Huey:
    """Give the app its queue with the job runner and the periodic tasks registered on it."""
    from lms.jobs import runner

    queue = make_queue(app.config["JOBS_URL"], app.config["JOBS_QUEUE_NAME"])

    @queue.task(retries=app.config["JOB_RETRIES"], retry_delay=app.config["JOB_RETRY_DELAY"], retry_backoff=2,
                context=True, name="run_job")
    def run_job(job_id: int, task=None) -> None:
        runner.execute(app, job_id, retries_left=task.retries if task else 0)

    @queue.periodic_task(crontab(minute="*/5"), name="periodic")
    def periodic() -> None:
        runner.run_periodic(app)

    app.extensions["jobs"] = {"queue": queue, "run_job": run_job, "periodic": periodic}
    return queue


def queue_for(app: Flask) -> Huey:
    """The app's huey (the worker command runs its consumer)."""
    return app.extensions["jobs"]["queue"]
