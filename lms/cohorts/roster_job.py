"""The roster import as a background job: passwords are made before the one short write transaction.

Hashing is the slow part of enrolling new learners; done inside a request it ran past gunicorn's timeout
at about a hundred accounts and, on SQLite, held the write lock so every learner's save waited. Here the
rows were checked in the request that asked; the job looks for conflicts, prepares every temporary password
with no transaction open, then writes all rows or none, and keeps the password list as a file for the
administrator who asked.
"""
from __future__ import annotations

from dataclasses import asdict

from lms.auth.accounts import temporary_credentials
from lms.cohorts import services
from lms.database import utcnow
from lms.domain.roster import RosterRow
from lms.extensions import db
from lms.jobs import JobFailed, Progress, handler, submit, write_job_file
from lms.models import Cohort, Job, User
from lms.spreadsheets import csv_text

KIND = "roster_import"


def submit_import(cohort: Cohort, rows: list[RosterRow], actor: User, now) -> Job:
    """Ask the worker to enrol these checked rows; the job starts when the caller's unit of work commits."""
    return submit(KIND, {"cohort_id": cohort.id, "rows": [asdict(r) for r in rows]}, actor, now, cohort.id)


@handler(KIND)
def run_import(job: Job, progress: Progress) -> dict:
    """Enrol the job's rows; the result counts what happened or lists the rows that stopped it."""
    cohort = db.session.get(Cohort, job.params["cohort_id"])
    if cohort is None:
        raise JobFailed("the cohort no longer exists")
    rows = [RosterRow(**r) for r in job.params["rows"]]
    conflicts = services.roster_conflicts(rows)
    if conflicts:
        return {"errors": [asdict(e) for e in conflicts]}
    new = services.rows_needing_accounts(rows)
    db.session.rollback()  # no transaction stays open while passwords are hashed
    progress.start(len(new))
    made = temporary_credentials(len(new), on_each=progress.advance)
    credentials = {row.identifier: pair for row, pair in zip(new, made, strict=True)}
    now = utcnow()
    actor = db.session.get(User, job.created_by_id) if job.created_by_id else None
    result = services.import_roster(db.session.get(Cohort, job.params["cohort_id"]), rows, actor, now,
                                    credentials=credentials)
    if not result.ok:  # a staff account appeared meanwhile: nothing written
        db.session.rollback()
        return {"errors": [asdict(e) for e in result.errors]}
    if result.created:
        text = csv_text(["Họ và tên", "Tên đăng nhập", "Mật khẩu tạm thời", "Xã, phường"],
                        [(u.full_name, u.username, p, u.commune or "") for u, p in result.created])
        write_job_file(job, f"mat-khau-tam-thoi-lop-{cohort.id}-job-{job.id}.csv",
                       lambda out: out.write(text.encode("utf-8")), now)
    summary = {"enrolled": result.enrolled, "created": len(result.created), "unchanged": result.unchanged}
    if result.notes:  # a locked account enrolled, a name the file gave differently
        summary["notes"] = [asdict(n) for n in result.notes]
    return summary
