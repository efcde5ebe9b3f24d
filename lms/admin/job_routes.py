"""Background jobs as administrators see them: progress while running, the result and its file, failures."""
from __future__ import annotations

import csv
import io
from itertools import islice

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

import lms.audit as audit
from lms.admin.roster_errors import field_label, row_error_message
from lms.auth.access import admin_required, staff_required
from lms.auth.forms import EmptyForm
from lms.auth.policy import can_see_job
from lms.database import utcnow
from lms.domain.jobs import stalled_minutes
from lms.domain.roster import RowError
from lms.extensions import db
from lms.jobs import delete_job_file, job_file_path
from lms.jobs.runner import retry
from lms.models import Cohort, Job, JobState
from lms.pagination import db_int, paginate
from lms.unit_of_work import writes_on_get

bp = Blueprint("jobs", __name__, url_prefix="/admin/jobs", template_folder="templates")

REFRESH_SECONDS = 3  # a running job's page reloads itself: a progress bar without JavaScript


def _job_or_404(job_id: int) -> Job:
    job = db.get_or_404(Job, job_id)
    if not can_see_job(current_user, job):
        abort(403)
    return job


@bp.get("/")
@admin_required
def index():
    """Every job, newest first; `?failed=1` shows only those that failed for good."""
    failed = request.args.get("failed") == "1"
    query = select(Job).order_by(Job.id.desc())
    if failed:
        query = query.where(Job.state == JobState.FAILED)
    page = paginate(query, request.args.get("page", 1, type=db_int), per_page=50)
    return render_template("admin/jobs/index.html", page=page, failed=failed)


@bp.get("/<int:job_id>")
@staff_required
def show(job_id: int):
    """The job's progress (the page refreshes itself until it finishes), then its result: for administrators, and
    for the staff member who asked for it (a module author's regrade)."""
    job = _job_or_404(job_id)
    cohort = db.session.get(Cohort, job.cohort_id) if job.cohort_id else None
    path = job_file_path(job)
    extra = roster_result(job, path) if job.kind == "roster_import" and job.state == JobState.DONE else {}
    return render_template("admin/jobs/show.html", job=job, cohort=cohort, has_file=path is not None,
                           refresh=None if job.finished else REFRESH_SECONDS, form=EmptyForm(),
                           stalled=stalled_minutes(job.state == JobState.QUEUED, job.attempts > 0, job.created_at, utcnow()), **extra)


SHOWN_CREDENTIALS = 200  # the rest are in the downloadable file


def roster_result(job: Job, path) -> dict:
    """A finished import's row errors, or the first new accounts with their temporary passwords."""
    errors = [RowError(**e) for e in (job.result or {}).get("errors", [])]
    credentials = []
    if path is not None and not errors:
        with open(path, encoding="utf-8-sig", newline="") as f:
            rows = islice(csv.reader(f), 1, SHOWN_CREDENTIALS + 1)  # after the heading row
            credentials = [{"full_name": r[0], "username": r[1], "temporary_password": r[2]} for r in rows]
    notes = [RowError(**n) for n in (job.result or {}).get("notes", [])]
    return {"row_errors": errors, "row_notes": notes, "credentials": credentials, "field_label": field_label,
            "row_error_message": row_error_message}


ONE_DOWNLOAD = frozenset({"roster_import"})  # temporary passwords: handed over once, then deleted


@bp.get("/<int:job_id>/file")
@admin_required
@writes_on_get
def download(job_id: int):
    """The file the job produced, while it is kept; a list of temporary passwords only once (audited)."""
    job = _job_or_404(job_id)
    path = job_file_path(job)
    if path is None:
        abort(404)
    audit.record(current_user, "job.file_downloaded", "job", job.id, utcnow(), file=job.file_name, kind=job.kind)
    if job.kind not in ONE_DOWNLOAD:
        return send_file(path, as_attachment=True, download_name=job.file_name, max_age=0)
    data = path.read_bytes()
    delete_job_file(job)
    return send_file(io.BytesIO(data), as_attachment=True, download_name=job.file_name, max_age=0,
                     mimetype="text/csv")


@bp.post("/<int:job_id>/file/delete")
@admin_required
def delete_file(job_id: int):
    """Delete the job's file now, before it expires (the temporary passwords once handed out)."""
    job = _job_or_404(job_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if request.form.get("confirm") != "1":
        flash(_("Hãy đánh dấu ô xác nhận trước khi xóa: sau khi xóa không tải lại được danh sách."), "error")
        return redirect(url_for("jobs.show", job_id=job.id), 303)
    if delete_job_file(job):
        audit.record(current_user, "job.file_deleted", "job", job.id, utcnow(), file=job.file_name, kind=job.kind)
        flash(_("Đã xóa tệp của công việc #%(id)s.", id=job.id), "success")
    return redirect(url_for("jobs.show", job_id=job.id))


@bp.post("/<int:job_id>/retry")
@admin_required
def retry_job(job_id: int):
    """Run a failed job again."""
    job = _job_or_404(job_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if retry(job.id):
        flash(_("Đã xếp lại công việc #%(id)s vào hàng đợi.", id=job.id), "success")
    else:
        flash(_("Công việc #%(id)s không ở trạng thái lỗi: không cần chạy lại.", id=job.id), "info")
    return redirect(url_for("jobs.show", job_id=job.id))
