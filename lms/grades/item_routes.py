"""Item analysis for authors and instructors: which questions are too easy, do not discriminate, or may
have a wrong key; paged, filtered by cohort, chuyên đề and commune/ward, exported as CSV or XLSX."""
from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request
from flask_login import current_user

from lms.auth.access import staff_required
from lms.auth.policy import teach_or_403
from lms.cohorts.queries import list_cohorts_for, list_communes
from lms.grades import exports
from lms.grades.item_queries import ItemFilters, item_rows
from lms.pagination import db_int, page_of_list

bp = Blueprint("items", __name__, url_prefix="/instructor/items", template_folder="templates")


def _filters() -> ItemFilters:
    """The filters asked for; a cohort the user teaches, or every cohort for an administrator."""
    cohort_id = request.args.get("cohort", type=db_int)
    if cohort_id is None and not current_user.is_admin:
        cohorts = list_cohorts_for(current_user)
        if not cohorts:
            abort(404)
        cohort_id = cohorts[0][0].id
    if cohort_id is not None:
        teach_or_403(current_user, cohort_id)
    return ItemFilters(cohort_id, request.args.get("module", type=db_int), request.args.get("commune", ""))


@bp.get("")
@staff_required
def index():
    """The questions with their facility, discrimination, options and flags, a page at a time."""
    filters = _filters()
    page = page_of_list(item_rows(filters), request.args.get("page", 1, type=db_int))
    return render_template("grades/items.html", page=page, filters=filters, cohorts=list_cohorts_for(current_user),
                           communes=list_communes(filters.cohort_id) if filters.cohort_id else [])


@bp.get("/export.<fmt>")
@staff_required
def export(fmt: str):
    """Every question of the filtered analysis as CSV (UTF-8 with BOM) or XLSX."""
    if fmt not in ("csv", "xlsx"):
        abort(404)
    rows = item_rows(_filters())
    body = exports.items_csv(rows) if fmt == "csv" else exports.items_xlsx(rows)
    mimetype = "text/csv" if fmt == "csv" else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f"attachment; filename=items.{fmt}"})
