"""Situation cases: overview, attempts stage by stage, review, and staff preview with the key."""
from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from lms.auth.access import login_required, roles_required, staff_required
from lms.auth.forms import EmptyForm
from lms.auth.policy import can_grade_answers, can_regrade, can_view_attempt, regrade_or_403
from lms.cases import services
from lms.cases.answers import AnswerTooLong, TamperedAnswer
from lms.cases.questions import ui_for
from lms.cases.regrade_job import submit_regrade
from lms.cases.review import build_review
from lms.cases.wording import (
    answer_error,
    attempt_error,
    effectiveness_label,
    question_type_label,
    review_timing_text,
    too_long_message,
)
from lms.catalog.queries import get_published_case
from lms.catalog.store import case_definition, review_policy_of
from lms.cohorts.queries import current_cohort_id
from lms.database import utcnow
from lms.domain.attempts import attempts_left
from lms.domain.presentation import shown
from lms.errors import render_error
from lms.extensions import db
from lms.models import Attempt, Case, Role
from lms.schedule.services import window_for
from lms.unit_of_work import keeps_work_on_error

bp = Blueprint("cases", __name__, template_folder="templates")


@bp.app_context_processor
def _labels():
    return {"answer_error": answer_error, "effectiveness_label": effectiveness_label,
            "question_type_label": question_type_label, "question_ui": ui_for, "shown": shown}


def _case_or_404(slug: str) -> Case:
    return get_published_case(slug) or abort(404)


def _own_attempt(attempt_id: int, writing: bool = False, stepping: bool = False) -> Attempt:
    attempt = (services.attempt_for_writing(attempt_id, stepping) if writing
               else db.session.get(Attempt, attempt_id))
    if attempt is None:
        abort(404)
    if attempt.user_id != current_user.id:
        abort(403)
    return attempt


@bp.get("/cases/<slug>")
@login_required
def show(slug: str):
    """A case's scenario and the learner's attempts at it."""
    case = _case_or_404(slug)
    attempts = db.session.scalars(select(Attempt).where(Attempt.user_id == current_user.id, Attempt.case_id == case.id)
                                  .order_by(Attempt.number)).all()
    used = services.count_finished(current_user, case)
    module = case.module
    timing = review_timing_text(review_policy_of(module), module.attempts_allowed, module.key_visible_from)
    window = window_for(current_user.id, current_cohort_id(current_user.id), module.id)
    return render_template("cases/show.html", case=case, version=case.current, attempts=attempts, form=EmptyForm(),
                           left=attempts_left(used, module.attempts_allowed), used=used, review_timing=timing,
                           window=window, window_state=window.state(utcnow()), attempt_error=attempt_error)


@bp.post("/cases/<slug>/start")
@roles_required(Role.LEARNER)
def start(slug: str):
    """Start a new attempt, or resume the one in progress."""
    case = _case_or_404(slug)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        attempt = services.start_attempt(current_user, case, utcnow())
    except services.AttemptError as error:
        flash(attempt_error(error.code), "error")
        return redirect(url_for("cases.show", slug=slug))
    return redirect(url_for("cases.attempt", attempt_id=attempt.id))


@bp.get("/attempts/<int:attempt_id>")
@login_required
def attempt(attempt_id: int):
    """The stage the learner is working on, with the answers saved so far."""
    attempt = _own_attempt(attempt_id)
    definition = services.definition_of(attempt)
    if attempt.is_open and services.finish_overdue(attempt, definition, utcnow()):
        flash(attempt_error("time_up" if attempt.timed_out else "module_closed_submitted"), "info")
    if not attempt.is_open:
        return redirect(url_for("cases.review", attempt_id=attempt.id))
    return _render_stage(attempt, definition, {})


def _render_stage(attempt, definition, errors, status=200, unsaved=None):
    states = {a.question_id: a.state for a in attempt.answers} | (unsaved or {})
    return render_template("cases/attempt.html", attempt=attempt, definition=definition,
                           rendered=attempt.case_version.rendered, stage=definition.stage(attempt.current_stage_id),
                           states=states, errors=errors,
                           is_final=services.is_final_stage(attempt, definition), form=EmptyForm()), status


@bp.post("/attempts/<int:attempt_id>")
@roles_required(Role.LEARNER)
def answer(attempt_id: int):
    """Save the current stage's answers; then stay, continue to the next stage, or submit."""
    action = request.form.get("action", "save")
    attempt = _own_attempt(attempt_id, writing=True, stepping=action != "save")
    if not EmptyForm().validate_on_submit():
        abort(400)
    now = utcnow()
    try:
        errors = services.answer_stage(attempt, services.read_answers(attempt, request.form), action, now)
    except TamperedAnswer:
        db.session.rollback()
        return render_error(400)
    except AnswerTooLong as error:  # nothing of this form is saved; the text comes back for the learner to trim
        db.session.rollback()
        flash(too_long_message(error.length), "error")
        return _render_stage(attempt, services.definition_of(attempt), {error.question_id: "too_long"}, 422,
                             unsaved={error.question_id: error.posted})
    except services.AttemptError as error:
        flash(attempt_error(error.code), "error")
        if error.code == "stale_stage":  # the page was of another stage: show the current one, change nothing
            return _render_stage(attempt, services.definition_of(attempt), {}, 409)
        return redirect(url_for("cases.attempt", attempt_id=attempt.id))
    if errors and "_stage" not in errors:
        return _render_stage(attempt, services.definition_of(attempt), errors, 422)
    if action == "save":
        flash(_("Đã lưu câu trả lời. Đồng chí có thể quay lại làm tiếp bất cứ lúc nào."), "success")
    return redirect(url_for("cases.attempt", attempt_id=attempt.id) + ("#stage" if attempt.is_open else ""))


@bp.post("/attempts/<int:attempt_id>/autosave")
@roles_required(Role.LEARNER)
@keeps_work_on_error  # an attempt found overdue is submitted with what was saved, then refused
def autosave(attempt_id: int):
    """Background save from the page script; answers JSON."""
    attempt = _own_attempt(attempt_id, writing=True)
    try:
        services.save_answers(attempt, services.read_answers(attempt, request.form), utcnow())
    except TamperedAnswer:
        db.session.rollback()
        return jsonify(saved=False, error="invalid"), 400
    except AnswerTooLong as error:
        db.session.rollback()
        return jsonify(saved=False, error="too_long", message=too_long_message(error.length)), 422
    except services.AttemptError as error:
        return jsonify(saved=False, error=error.code), 409
    return jsonify(saved=True, saved_at=attempt.saved_at.isoformat())


@bp.get("/attempts/<int:attempt_id>/review")
@login_required
def review(attempt_id: int):
    """A submitted attempt beside the expert key, with the path taken, points and debrief."""
    attempt = db.get_or_404(Attempt, attempt_id)
    if not can_view_attempt(current_user, attempt):
        abort(403)
    if attempt.is_open:
        return redirect(url_for("cases.attempt", attempt_id=attempt.id))
    return render_template("cases/review.html", attempt=attempt,
                           review=build_review(attempt, viewer_is_staff=current_user.is_staff, now=utcnow()),
                           may_regrade=attempt.is_review_graded and can_grade_answers(current_user, attempt))


@bp.get("/cases/<slug>/preview")
@staff_required
def preview(slug: str):
    """Instructors see the whole case with the key, every stage and the debrief; no attempt is created."""
    case = _case_or_404(slug)
    definition = case_definition(case.current, case.slug)
    return render_template("cases/preview.html", case=case, version=case.current, definition=definition,
                           rendered=case.current.rendered, may_regrade=can_regrade(current_user, case.module))


@bp.route("/instructor/cases/<slug>/regrade", methods=["GET", "POST"])
@staff_required
def regrade(slug: str):
    """Confirm, then regrade every submitted attempt of a case against its current (corrected) version."""
    case = _case_or_404(slug)
    regrade_or_403(current_user, case.module)
    form = EmptyForm()
    if form.validate_on_submit():  # in the worker: thousands of attempts outlast a request
        job = submit_regrade(case, current_user, utcnow())
        flash(_("Đang chấm lại các bài làm theo phiên bản %(v)s trong nền; điểm mới vào sổ điểm khi xong, thường "
                "trong vài phút.", v=case.current.version), "success")
        return redirect(url_for("jobs.show", job_id=job.id))
    return render_template("confirm.html", form=form, cancel=url_for("cases.preview", slug=slug),
                           question=_("Chấm lại %(n)s bài đã nộp của tình huống “%(t)s” theo phiên bản hiện tại (%(v)s)? "
                                      "Điểm mới được ghi thêm vào sổ điểm; điểm cũ vẫn còn trong lịch sử.",
                                      n=services.regradable_count(case), t=case.current.title, v=case.current.version))
