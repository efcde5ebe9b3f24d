"""The final essay: the learner's page (brief, eligibility, submission, grade) and the instructors' grading."""
from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_from_directory, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.auth.access import login_required, roles_required, staff_required
from lms.auth.forms import EmptyForm
from lms.auth.policy import can_see_learner_work, teach_or_403
from lms.catalog.essay import current_essay
from lms.cohorts.queries import current_cohort_id
from lms.database import utcnow
from lms.domain.errors import DomainError
from lms.domain.responses import InvalidResponse
from lms.essays import queries, services
from lms.essays.wording import essay_error
from lms.extensions import db
from lms.models import Cohort, EssaySubmission, Role
from lms.pagination import db_int, paginate

bp = Blueprint("essays", __name__, template_folder="templates")


def _essay_and_cohort():
    essay, cohort_id = current_essay(), current_cohort_id(current_user.id)
    if essay is None or cohort_id is None:
        abort(404)
    return essay, db.session.get(Cohort, cohort_id)


@bp.route("/essay", methods=["GET", "POST"])
@roles_required(Role.LEARNER)
def mine():
    """The brief, whether the learner may submit yet, and the submission with its grade once graded."""
    essay, cohort = _essay_and_cohort()
    form, text, status = EmptyForm(), None, 200
    if form.validate_on_submit():
        text = request.form.get("text", "")
        upload = request.files.get("file")
        data = (upload.filename or "essay", upload.read()) if upload and upload.filename else None
        try:
            services.submit_essay(current_user, cohort, essay, text, data, utcnow(),
                                  Path(current_app.config["ESSAY_UPLOAD_DIR"]))
            flash(_("Đã nộp bài thu hoạch. Đồng chí có thể sửa và nộp lại cho đến khi giảng viên chấm."), "success")
            return redirect(url_for("essays.mine"))
        except DomainError as error:
            flash(essay_error(error), "error")
            status = error.status
    return render_template("essays/mine.html", essay=essay, cohort=cohort, form=form, typed=text,
                           missing=services.modules_not_passed(current_user, cohort),
                           submission=services.submission_of(current_user, cohort)), status


@bp.get("/instructor/essays")
@staff_required
def queue():
    """Essays of the cohorts the instructor teaches, waiting ones first."""
    page = paginate(queries.essays_for(current_user), request.args.get("page", 1, type=db_int))
    return render_template("essays/queue.html", page=page)


@bp.route("/instructor/essays/<int:submission_id>", methods=["GET", "POST"])
@staff_required
def grade(submission_id: int):
    """An essay beside the rubric; saving records the score and tells the learner."""
    submission, essay = db.get_or_404(EssaySubmission, submission_id), current_essay() or abort(404)
    teach_or_403(current_user, submission.cohort_id)
    form, status, typed = EmptyForm(), 200, None
    if form.validate_on_submit():
        try:
            scores = queries.posted_scores(essay, request.form)
            services.grade_essay(submission, essay, scores, request.form.get("feedback", ""),
                                 request.form.get("version", -1, type=db_int), current_user, utcnow())
            flash(_("Đã chấm bài thu hoạch."), "success")
            return redirect(url_for("essays.queue"))
        except (DomainError, InvalidResponse, ValueError) as error:
            db.session.rollback()
            flash(essay_error(error), "error")
            status = getattr(error, "status", 400)
            typed = request.form  # the levels and the feedback come back as the instructor left them
    return render_template("essays/grade.html", submission=submission, essay=essay, form=form, typed=typed), status


@bp.get("/essays/<int:submission_id>/file")
@login_required
def attachment(submission_id: int):
    """The attached file, for its author and the staff who teach the cohort."""
    submission = db.get_or_404(EssaySubmission, submission_id)
    if not can_see_learner_work(current_user, submission.user_id, submission.cohort_id):
        abort(403)
    if not submission.stored_name:
        abort(404)
    return send_from_directory(current_app.config["ESSAY_UPLOAD_DIR"], submission.stored_name, as_attachment=True,
                               download_name=submission.file_name or submission.stored_name)
