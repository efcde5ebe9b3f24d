"""Instructors' gradebook, grade overrides with history, exports, regrading and cohort analytics."""
from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from lms.auth.access import staff_required
from lms.auth.policy import can_teach
from lms.catalog.queries import get_module, list_modules_with_cases
from lms.cohorts.queries import list_cohorts_for, list_communes
from lms.database import utcnow
from lms.extensions import db
from lms.grades import exports, ledger, queries
from lms.grades.forms import ClearOverrideForm, OverrideForm
from lms.models import Cohort, Enrolment, User
from lms.pagination import db_int, page_of_list

bp = Blueprint("grades", __name__, url_prefix="/instructor", template_folder="templates")
PER_PAGE = 50
CHOICES_PER_PAGE = 10  # questions of the class-choices section per page


def _cohort_for_staff(cohort_id: int | None) -> Cohort:
    """The requested cohort if the user teaches it; without one, the first cohort they teach."""
    if cohort_id is None:
        cohorts = list_cohorts_for(current_user)
        if not cohorts:
            abort(404)
        return cohorts[0][0]
    cohort = db.get_or_404(Cohort, cohort_id)
    if not can_teach(current_user, cohort.id):
        abort(403)
    return cohort


def _filters() -> dict:
    return {"commune": request.args.get("commune", ""), "status": request.args.get("status", ""),
            "sort": request.args.get("sort", "name")}


@bp.get("/gradebook")
@staff_required
def gradebook():
    """Learners x 18 modules for a cohort: grades and status, filters, sorting, pages."""
    cohort = _cohort_for_staff(request.args.get("cohort", type=db_int))
    page = queries.gradebook_page(cohort.id, request.args.get("page", 1, type=db_int), PER_PAGE, **_filters())
    return render_template("grades/gradebook.html", cohort=cohort, cohorts=list_cohorts_for(current_user),
                           rows=page.items, total=page.total, page=page.page, pages=page.pages,
                           modules=list_modules_with_cases(), communes=list_communes(cohort.id), filters=_filters())


@bp.get("/gradebook/<int:cohort_id>/export.<fmt>")
@staff_required
def export(cohort_id: int, fmt: str):
    """The filtered gradebook as CSV (UTF-8 with BOM) or XLSX."""
    cohort = _cohort_for_staff(cohort_id)
    rows, modules = queries.gradebook(cohort.id, **_filters()), list_modules_with_cases()
    if fmt == "csv":
        body, mimetype = exports.gradebook_csv(rows, modules), "text/csv; charset=utf-8"
    elif fmt == "xlsx":
        body, mimetype = exports.gradebook_xlsx(rows, modules), \
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        abort(404)
    return Response(body, mimetype=mimetype,
                    headers={"Content-Disposition": f"attachment; filename=bang-diem-lop-{cohort.id}.{fmt}"})


@bp.route("/gradebook/<int:cohort_id>/<int:user_id>/<module_key>", methods=["GET", "POST"])
@staff_required
def grade(cohort_id: int, user_id: int, module_key: str):
    """One learner's grade in one module: its history and the override form."""
    cohort, learner, module = _cohort_for_staff(cohort_id), db.get_or_404(User, user_id), get_module(module_key)
    if module is None or not db.session.scalar(db.select(Enrolment.id).filter_by(cohort_id=cohort.id, user_id=learner.id)):
        abort(404)
    form, clear = OverrideForm(), ClearOverrideForm(prefix="clear")
    target = clear if request.form.get("clear-reason") is not None else form
    if target.validate_on_submit():
        if target is form:
            ledger.override_grade(learner, module, cohort.id, float(form.score.data), form.reason.data, current_user, utcnow())
        else:
            ledger.clear_override(learner, module, cohort.id, clear.reason.data, current_user, utcnow())
        flash(_("Đã ghi điểm vào sổ điểm."), "success")
        return redirect(url_for("grades.grade", cohort_id=cohort.id, user_id=learner.id, module_key=module.key))
    entries = ledger.list_entries(learner.id, module.id, cohort.id)
    current = ledger.get_current_grade(learner.id, module.id, cohort.id)
    return render_template("grades/grade.html", cohort=cohort, learner=learner, module=module, entries=entries,
                           current=current, form=form, clear=clear, **queries.standing_of(learner.id, module, cohort.id)
                           ), 400 if (form.errors or clear.errors) else 200


@bp.get("/cohorts/<int:cohort_id>/analytics")
@staff_required
def analytics(cohort_id: int):
    """Completion and pass rate per module, inactive learners, choices versus the key, communes."""
    cohort = _cohort_for_staff(cohort_id)
    days = min(max(request.args.get("days", 14, type=db_int), 1), 365)
    module, case, commune = (request.args.get("module", type=db_int), request.args.get("case", type=db_int),
                             request.args.get("commune", "")[:200])
    rows, modules = queries.gradebook(cohort.id, commune=commune), list_modules_with_cases()
    chosen = next((m for m in modules if m.number == module), None)
    rates = [r for r in queries.module_rates(rows) if module is None or r.module_number == module]
    return render_template(
        "grades/analytics.html", cohort=cohort, days=days, rates=rates, learners=len(rows),
        idle=page_of_list(queries.inactive_learners(rows, days, utcnow()), request.args.get("idle_page", 1, type=db_int)),
        rollup=queries.commune_rollup(rows), cohorts=list_cohorts_for(current_user), modules=modules,
        cases=chosen.cases if chosen else [], communes=list_communes(cohort.id),
        filters={"module": module, "case": case, "commune": commune},
        choices=page_of_list(queries.option_choices(cohort.id, module, case, commune),
                             request.args.get("page", 1, type=db_int), CHOICES_PER_PAGE))
