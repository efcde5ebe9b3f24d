"""Learners answer the questionnaire about a chuyên đề they passed and about the course; the cohort's staff read
the figures (and download them as CSV), never who said what."""
from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from lms.auth.access import roles_required, staff_required
from lms.auth.forms import EmptyForm
from lms.auth.policy import teach_or_403
from lms.catalog.outline import ModuleView, course_outline, outline_module
from lms.cohorts.queries import current_enrolment
from lms.database import utcnow
from lms.domain.feedback import ITEMS, MIN_RESPONSES_SHOWN, SUGGESTION_MAX_CHARS, read_answers
from lms.extensions import db
from lms.feedback import exports, queries, services, wording
from lms.models import Cohort, Role
from lms.schedule.services import local_zone

bp = Blueprint("feedback", __name__, template_folder="templates")


def _learner_cohort() -> Cohort:
    """The learner's current cohort (404 for a learner enrolled in none)."""
    enrolment = current_enrolment(current_user.id)
    if enrolment is None:
        abort(404)
    return enrolment.cohort


def _questionnaire(cohort: Cohort, module: ModuleView | None):
    """The form (or the thanks, or why not yet); a valid posted form is kept once and answered with thanks."""
    form, answers, problems, status = EmptyForm(), None, [], 200
    if form.validate_on_submit():
        answers, problems = read_answers(request.form)
        status = 400 if problems else 200
        if not problems:
            try:
                services.submit_feedback(current_user, cohort, module, answers, utcnow())
                flash(_("Cảm ơn đồng chí đã góp ý. Phiếu đã được ghi nhận, không kèm tên."), "success")
                return redirect(request.path)
            except services.FeedbackError as error:
                flash(wording.refusal_text(error), "error")
                status = error.status
    today = utcnow().astimezone(local_zone()).date()
    return render_template("feedback/form.html", cohort=cohort, module=module, form=form, items=ITEMS,
                           state=queries.subject_state(current_user.id, cohort, module, today),
                           answers=answers, problems=[wording.problem_text(code, p) for code, p in problems],
                           wording=wording, threshold=MIN_RESPONSES_SHOWN, max_chars=SUGGESTION_MAX_CHARS), status


@bp.route("/feedback/modules/<module_key>", methods=["GET", "POST"])
@roles_required(Role.LEARNER)
def module(module_key: str):
    """The anonymous questionnaire about a chuyên đề, once the learner has passed it."""
    module = outline_module(module_key)
    if module is None:
        abort(404)
    return _questionnaire(_learner_cohort(), module)


@bp.route("/feedback/course", methods=["GET", "POST"])
@roles_required(Role.LEARNER)
def course():
    """The anonymous questionnaire about the whole course, once every chuyên đề is passed or the cohort has ended."""
    return _questionnaire(_learner_cohort(), None)


def _report(cohort_id: int) -> tuple[Cohort, queries.CohortReport]:
    cohort = db.get_or_404(Cohort, cohort_id)
    teach_or_403(current_user, cohort.id)
    return cohort, queries.cohort_report(cohort.id, course_outline().modules)


@bp.get("/cohorts/<int:cohort_id>/feedback")
@staff_required
def report(cohort_id: int):
    """The cohort's feedback, per chuyên đề and for the course: response rate, means, distributions, suggestions."""
    cohort, report = _report(cohort_id)
    return render_template("feedback/report.html", cohort=cohort, report=report, wording=wording,
                           threshold=MIN_RESPONSES_SHOWN)


@bp.get("/cohorts/<int:cohort_id>/feedback.csv")
@staff_required
def export(cohort_id: int):
    """The report's aggregates as CSV (no individual response, no suggestion)."""
    cohort, report = _report(cohort_id)
    return Response(exports.report_csv(report), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f"attachment; filename=y-kien-hoc-vien-lop-{cohort.id}.csv"})
