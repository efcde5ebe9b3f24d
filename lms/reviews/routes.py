"""The queue of written answers awaiting review, and the grading page."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.auth.access import staff_required
from lms.auth.forms import EmptyForm
from lms.auth.policy import can_view_attempt
from lms.cases.review import build_review
from lms.cohorts.queries import list_cohorts_for
from lms.database import utcnow
from lms.errors import render_error
from lms.extensions import db
from lms.i18n import fmt_number
from lms.models import Attempt, AttemptState
from lms.pagination import db_int, paginate
from lms.reviews import services

bp = Blueprint("reviews", __name__, url_prefix="/instructor/reviews", template_folder="templates")


@bp.get("/")
@staff_required
def queue():
    """Attempts whose written answers wait for this instructor, filterable by cohort and case."""
    stmt = services.awaiting_review(current_user, request.args.get("cohort", type=db_int), request.args.get("case", type=db_int))
    page = paginate(stmt, request.args.get("page", 1, type=db_int))
    essay_count, essays = services.essays_waiting(current_user, request.args.get("cohort", type=db_int))
    return render_template("reviews/queue.html", page=page, cohorts=list_cohorts_for(current_user),
                           essay_count=essay_count, essays=essays)


@bp.route("/<int:attempt_id>", methods=["GET", "POST"])
@staff_required
def grade(attempt_id: int):
    """Score each rubric criterion and write feedback; a concurrent grader gets a conflict, not an overwrite."""
    attempt = db.get_or_404(Attempt, attempt_id)
    if current_user.id == attempt.user_id or not can_view_attempt(current_user, attempt):
        abort(403)
    form = EmptyForm()
    if form.validate_on_submit():
        if attempt.state != AttemptState.AWAITING_REVIEW:
            return render_error(409, _("Bài này vừa được giảng viên khác chấm. Hãy tải lại để xem kết quả."))
        try:
            scores, feedback = services.read_scores(attempt, request.form)
            services.grade_written(attempt, scores, feedback, request.form.get("version", -1, type=db_int),
                                   current_user, utcnow())
        except services.BadRubricScores:
            db.session.rollback()
            flash(_("Hãy chọn một mức điểm cho mọi tiêu chí."), "error")
            return _render(attempt, form, 400)
        except services.FeedbackTooLong as error:
            db.session.rollback()
            flash(_("Nhận xét dài %(n)s ký tự, vượt giới hạn %(max)s ký tự; chưa chấm. Hãy rút gọn rồi gửi lại.",
                    n=fmt_number(error.length), max=fmt_number(services.MAX_FEEDBACK)), "error")
            return _render(attempt, form, 400)
        except services.ReviewConflict:
            db.session.rollback()
            return render_error(409, _("Bài này vừa được giảng viên khác chấm. Hãy tải lại để xem kết quả."))
        flash(_("Đã chấm xong. Điểm đã vào sổ điểm và học viên được thông báo."), "success")
        return redirect(url_for("reviews.queue"))
    return _render(attempt, form)


def _render(attempt, form, status=200):
    typed = {key[2:]: value for key, value in request.form.items() if key.startswith("f-")}  # kept on a refusal
    return render_template("reviews/grade.html", attempt=attempt, form=form, typed=typed,
                           review=build_review(attempt, viewer_is_staff=True, now=utcnow()),
                           questions=services.written_questions(attempt)), status
