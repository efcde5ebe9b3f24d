"""Background jobs: long work (imports, document ZIPs, e-mail, reminders) runs in a worker, never in a request.

A feature registers a handler for a kind of job with `@handler("kind")` and asks for one with `submit(...)`
inside its unit of work; the job is handed to the queue only once that work commits, so the worker never
looks for a row that is not there yet. The queue is huey: Redis in production, a SQLite file for `make run`,
or "immediate" (run in-process right after the commit) for the test suite and single-process set-ups.
"""
from lms.jobs.files import delete_job_file, job_file_path, write_job_file
from lms.jobs.queue import init_app, queue_for
from lms.jobs.runner import JobFailed, Progress, handler, submit

__all__ = ["JobFailed", "Progress", "delete_job_file", "handler", "init_app", "job_file_path", "queue_for", "submit", "write_job_file"]
