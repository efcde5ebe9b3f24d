"""Administrators read the audit log: who did what, when, to which record; filtered, paged, exported as CSV."""
from __future__ import annotations

from functools import partial

from flask import Blueprint, Response, redirect, render_template, request, stream_with_context, url_for
from flask_login import current_user

from lms.admin import audit_export
from lms.admin import audit_queries as queries
from lms.admin.audit_wording import DETAIL_MAX, action_label, details_text, target_type_label, target_url
from lms.admin.forms import AuditFilterForm
from lms.auth.access import admin_required
from lms.auth.forms import EmptyForm
from lms.database import utcnow
from lms.pagination import db_int

bp = Blueprint("audit_log", __name__, url_prefix="/admin/audit-log", template_folder="templates")


@bp.context_processor
def _wording():
    return {"action_label": action_label, "target_type_label": target_type_label, "target_url": target_url,
            "short_details": partial(details_text, limit=DETAIL_MAX)}


def _refused(form: AuditFilterForm):
    """The page with the filters as typed and what is wrong with them; no events are read."""
    return render_template("admin/audit_log.html", form=form, page=None), 400


@bp.get("/")
@admin_required
def index():
    """The log, newest first, 50 a page, filtered by action, actor, target type and dates."""
    form = AuditFilterForm(request.args)
    if not form.validate():
        return _refused(form)
    page = queries.paginate_events(form.filters(), request.args.get("page", 1, type=db_int))
    return render_template("admin/audit_log.html", form=form, page=page)


@bp.get("/export.csv")
@admin_required
def export():
    """The filtered log as CSV (UTF-8 with a byte-order mark), streamed in batches; a log too long to stream
    within a request asks first, then goes to the worker."""
    form = AuditFilterForm(request.args)
    if not form.validate():
        return _refused(form)
    total = queries.count_events(form.filters())
    if total > audit_export.IN_REQUEST_ROWS:
        return render_template("admin/audit_export_confirm.html", form=form, total=total, csrf=EmptyForm(),
                               limit=audit_export.IN_REQUEST_ROWS)
    return Response(stream_with_context(audit_export.csv_pieces(form.filters())), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{audit_export.FILE_NAME}"'})


@bp.post("/export")
@admin_required
def export_job():
    """Have the worker write the filtered log to a file; its page shows the progress, then the download."""
    form = AuditFilterForm(request.form)
    if not EmptyForm().validate_on_submit() or not form.validate():
        return _refused(form)
    job = audit_export.submit_export(form.filters(), current_user, utcnow())
    return redirect(url_for("jobs.show", job_id=job.id), 303)
