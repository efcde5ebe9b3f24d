"""Administrators read the audit log: who did what, when, to which record; filtered, paged, exported as CSV."""
from __future__ import annotations

from functools import partial

from flask import Blueprint, Response, render_template, request, stream_with_context
from flask_babel import format_datetime
from flask_babel import gettext as _

from lms.admin import audit_queries as queries
from lms.admin.audit_wording import DETAIL_MAX, action_label, details_text, target_type_label, target_url
from lms.admin.forms import AuditFilterForm
from lms.auth.access import admin_required
from lms.pagination import db_int
from lms.spreadsheets import csv_chunks

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


def _export_header() -> tuple[str, ...]:
    return (_("Thời gian"), _("Tên đăng nhập"), _("Người thực hiện"), _("Thao tác"), _("Mã thao tác"),
            _("Loại đối tượng"), _("Mã đối tượng"), _("Chi tiết"))


def _export_row(row) -> tuple:
    return (format_datetime(row.created_at, "yyyy-MM-dd HH:mm:ss"), row.actor_username or "",
            row.actor_name or _("Hệ thống"), action_label(row.action), row.action, target_type_label(row.target_type),
            row.target_id or "", details_text(row.details))


@bp.get("/export.csv")
@admin_required
def export():
    """The filtered log as CSV (UTF-8 with a byte-order mark), streamed in batches however long it is."""
    form = AuditFilterForm(request.args)
    if not form.validate():
        return _refused(form)
    rows = (_export_row(row) for row in queries.iter_events(form.filters()))
    return Response(stream_with_context(csv_chunks(_export_header(), rows)), mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="nhat-ky-thao-tac.csv"'})
