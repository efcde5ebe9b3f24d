"""The activity log as CSV: streamed in the request while it is short, written by the worker when it is long (an
integration calling the API leaves thousands of events a day; at 500,000 events the export takes longer than
gunicorn lets a request live)."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict
from datetime import date, datetime

from flask_babel import force_locale, format_datetime
from flask_babel import gettext as _

import lms.audit as audit
from lms.admin import audit_queries as queries
from lms.admin.audit_wording import action_label, details_text, target_type_label
from lms.database import read_only_transactions, utcnow
from lms.extensions import db
from lms.i18n import current_language
from lms.jobs import Progress, handler, submit, write_job_file
from lms.models import Job, User
from lms.spreadsheets import csv_chunks

IN_REQUEST_ROWS = 20_000  # about 2 s of streaming on SQLite (bench/audit_log.py); more goes to the worker
JOB_KIND = "audit_log_export"
FILE_NAME = "nhat-ky-thao-tac.csv"


def _header() -> tuple[str, ...]:
    return (_("Thời gian"), _("Tên đăng nhập"), _("Người thực hiện"), _("Thao tác"), _("Mã thao tác"),
            _("Loại đối tượng"), _("Mã đối tượng"), _("Chi tiết"))


def _row(row) -> tuple:
    return (format_datetime(row.created_at, "yyyy-MM-dd HH:mm:ss"), row.actor_username or "",
            row.actor_name or _("Hệ thống"), action_label(row.action), row.action, target_type_label(row.target_type),
            row.target_id or "", details_text(row.details))


def csv_pieces(filters: queries.AuditFilters, between_batches=None) -> Iterator[str]:
    """The filtered log as CSV text, piece by piece, in the current language."""
    return csv_chunks(_header(), (_row(row) for row in queries.iter_events(filters, between_batches=between_batches)))


def submit_export(filters: queries.AuditFilters, actor: User, now: datetime) -> Job:
    """Ask the worker for the filtered log as a CSV file (the request is in the log too)."""
    params = {key: value.isoformat() if isinstance(value, date) else value for key, value in asdict(filters).items()}
    job = submit(JOB_KIND, {"filters": params, "locale": current_language()}, actor, now)
    audit.record(actor, "audit_log.export_requested", "job", job.id, now,
                 **{key: value for key, value in params.items() if value})
    return job


def _filters(params: dict) -> queries.AuditFilters:
    dates = {key: date.fromisoformat(params[key]) if params.get(key) else None for key in ("date_from", "date_to")}
    return queries.AuditFilters(action=params.get("action") or "", actor=params.get("actor") or "",
                                target_type=params.get("target_type") or "", api_calls=bool(params.get("api_calls")),
                                **dates)


@handler(JOB_KIND)
def run_export(job: Job, progress: Progress) -> dict:
    """Write the file, reading the log a batch at a time in read-only transactions ended between batches: on
    SQLite a job's transaction otherwise takes the write lock, and learners' saves would wait for the export."""
    filters, job_id = _filters(job.params["filters"]), job.id
    total = queries.count_events(filters)
    db.session.rollback()
    progress.start(total)
    token = read_only_transactions.set(True)
    written, reading = 0, True

    def between_batches(rows: int) -> None:
        nonlocal written
        written += rows
        db.session.rollback()
        progress.advance(rows)

    def stop_reading() -> None:
        nonlocal reading
        if reading:
            db.session.rollback()
            read_only_transactions.reset(token)  # the job's own row is written with the write lock, as usual
            reading = False

    def write(out) -> None:
        try:
            for piece in csv_pieces(filters, between_batches):
                out.write(piece.encode("utf-8"))
        finally:
            stop_reading()

    try:
        with force_locale(job.params.get("locale", "vi")):
            write_job_file(db.session.get(Job, job_id), FILE_NAME, write, utcnow())
    finally:
        stop_reading()  # also when the file could not even be opened
    return {"rows": written}
