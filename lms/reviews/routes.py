"""The queue of written answers awaiting review, and the grading page."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.auth.access import staff_required
from lms.auth.forms import EmptyForm
from lms.auth.policy import can_view_attempt
from lms.cases.review import build_review
from lms.catalog.queries import list_modules_with_cases
from lms.cohorts.queries import list_cohorts_for, list_communes
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
    """Written answers waiting for this instructor (or graded), filtered by cohort, chuyên đề, case, commune,
    late submissions and learner; each opens with the filters kept, for grading one after another."""
    filters = services.ReviewFilters.from_args(request.args)
    page = paginate(services.awaiting_review(current_user, filters=filters), request.args.get("page", 1, type=db_int))
    essay_count, essays = services.essays_waiting(current_user, filters.cohort)
    modules = list_modules_with_cases()
    chosen = next((m for m in modules if m.number == filters.module), None)
    return render_template("reviews/queue.html", page=page, cohorts=list_cohorts_for(current_user), filters=filters,
                           modules=modules, cases=chosen.cases if chosen else [], essay_count=essay_count,
                           essays=essays, communes=list_communes(filters.cohort) if filters.cohort else [])


@bp.route("/<int:attempt_id>", methods=["GET", "POST"])
@staff_required
def grade(attempt_id: int):
    """Score each rubric criterion and write feedback; a concurrent grader gets a conflict, not an overwrite."""
    attempt = db.get_or_404(Attempt, attempt_id)
    if current_user.id == attempt.user_id or not can_view_attempt(current_user, attempt):
        abort(403)
    form, filters = EmptyForm(), services.ReviewFilters.from_args(request.args)
    if not form.validate_on_submit():
        return _render(attempt, form, filters)
    if attempt.state != AttemptState.AWAITING_REVIEW:
        return render_error(409, _("Bài này vừa được giảng viên khác chấm. Hãy tải lại để xem kết quả."))
    try:
        scores, feedback = services.read_scores(attempt, request.form)
        services.grade_written(attempt, scores, feedback, request.form.get("version", -1, type=db_int),
                               current_user, utcnow())
    except services.BadRubricScores:
        db.session.rollback()
        flash(_("Hãy chọn một mức điểm cho mọi tiêu chí."), "error")
        return _render(attempt, form, filters, 400)
    except services.FeedbackTooLong as error:
        db.session.rollback()
        flash(_("Nhận xét dài %(n)s ký tự, vượt giới hạn %(max)s ký tự; chưa chấm. Hãy rút gọn rồi gửi lại.",
                n=fmt_number(error.length), max=fmt_number(services.MAX_FEEDBACK)), "error")
        return _render(attempt, form, filters, 400)
    except services.ReviewConflict:
        db.session.rollback()
        return render_error(409, _("Bài này vừa được giảng viên khác chấm. Hãy tải lại để xem kết quả."))
    return _after_grading(attempt, filters)


def _after_grading(attempt: Attempt, filters):
    """"Grade next" opens the next answer waiting under the same filters; otherwise back to the queue."""
    following, _left = services.next_waiting(current_user, filters, attempt)
    if request.form.get("then") == "next" and following is not None:
        flash(_("Đã chấm xong bài của %(name)s. Bài tiếp theo:", name=attempt.user.full_name), "success")
        return redirect(url_for("reviews.grade", attempt_id=following.id, **filters.as_args()))
    flash(_("Đã chấm xong. Điểm đã vào sổ điểm và học viên được thông báo.") if following is not None
          else _("Đã chấm xong. Không còn bài nào chờ chấm theo bộ lọc này."), "success")
    return redirect(url_for("reviews.queue", **filters.as_args()))


def _render(attempt, form, filters, status=200):
    typed = {key[2:]: value for key, value in request.form.items() if key.startswith("f-")}  # kept on a refusal
    picked = {key: value for key, value in request.form.items() if key.startswith("r-")}  # the levels chosen
    following, left = services.next_waiting(current_user, filters, attempt)
    return render_template("reviews/grade.html", attempt=attempt, form=form, typed=typed, picked=picked, filters=filters,
                           review=build_review(attempt, viewer_is_staff=True, now=utcnow()), left=left,
                           following=following, questions=services.written_questions(attempt)), status
