"""The queue of written answers awaiting review, the grading page, and regrading an answer already graded."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.auth.access import staff_required
from lms.auth.forms import EmptyForm
from lms.auth.policy import grade_answers_or_403
from lms.cases.review import build_review
from lms.catalog.queries import list_modules_with_cases
from lms.cohorts.queries import list_cohorts_for, list_communes
from lms.database import utcnow
from lms.errors import render_error
from lms.extensions import db
from lms.i18n import fmt_number, fmt_score
from lms.models import Attempt, AttemptState
from lms.pagination import db_int, paginate
from lms.reviews import services
from lms.reviews.forms import RegradeForm

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
    attempt = grade_answers_or_403(current_user, db.get_or_404(Attempt, attempt_id))
    form, filters = EmptyForm(), services.ReviewFilters.from_args(request.args)
    if not form.validate_on_submit():
        return _render(attempt, form, filters)
    if attempt.state != AttemptState.AWAITING_REVIEW:
        return _conflict()
    try:
        scores, feedback = services.read_scores(attempt, request.form)
        services.grade_written(attempt, scores, feedback, request.form.get("version", -1, type=db_int),
                               current_user, utcnow())
    except (services.BadRubricScores, services.FeedbackTooLong) as error:
        return _refused(attempt, form, filters, error)
    except services.ReviewConflict:
        return _conflict()
    return _after_grading(attempt, filters)


@bp.route("/<int:attempt_id>/regrade", methods=["GET", "POST"])
@staff_required
def regrade(attempt_id: int):
    """Correct the grading of an answer already graded: the form comes filled as it was graded, a reason is
    required; the attempt is scored again, the module grade recorded when it changes, the learner told."""
    attempt = grade_answers_or_403(current_user, db.get_or_404(Attempt, attempt_id))
    if not attempt.is_review_graded:
        return render_error(409, _not_regradable(attempt))
    form, filters = RegradeForm(), services.ReviewFilters.from_args(request.args)
    if not form.validate_on_submit():
        return _render(attempt, form, filters, 400 if form.errors else 200, regrading=True)
    try:
        scores, feedback = services.read_scores(attempt, request.form)
        done = services.regrade_written(attempt, scores, feedback, form.reason.data,
                                        request.form.get("version", -1, type=db_int), current_user, utcnow())
    except (services.BadRubricScores, services.FeedbackTooLong) as error:
        return _refused(attempt, form, filters, error, regrading=True)
    except services.ReviewConflict:
        db.session.rollback()
        return render_error(409, _("Bài này vừa được giảng viên khác chấm lại. Hãy tải lại để xem kết quả."))
    flash(_("Đã chấm lại: điểm bài làm từ %(old)s thành %(new)s. Học viên được thông báo.",
            old=fmt_score(done.old_score), new=fmt_score(done.new_score)), "success")
    if done.override_in_force:
        flash(_("Điểm chuyên đề của học viên đang do giảng viên điều chỉnh: điểm điều chỉnh vẫn có hiệu lực; điểm "
                "tính từ bài làm được ghi vào lịch sử điểm."), "info")
    return redirect(url_for("reviews.grade", attempt_id=attempt.id, **filters.as_args()))


def _conflict():
    """Another grader saved first: nothing of this form is kept."""
    db.session.rollback()
    return render_error(409, _("Bài này vừa được giảng viên khác chấm. Hãy tải lại để xem kết quả."))


def _not_regradable(attempt: Attempt) -> str:
    """Why this attempt cannot be regraded."""
    if attempt.state == AttemptState.AWAITING_REVIEW:
        return _("Bài này chưa được chấm nên chưa thể chấm lại: hãy chấm bài từ danh sách bài chờ chấm.")
    return _("Chỉ chấm lại được bài tự luận đã được giảng viên chấm. Bài này chưa nộp, hoặc không có câu tự luận.")


def _refused(attempt, form, filters, error, regrading: bool = False):
    """The grading page again, with what was wrong and everything typed kept; nothing saved."""
    db.session.rollback()
    if isinstance(error, services.FeedbackTooLong):
        message = _("Nhận xét dài %(n)s ký tự, vượt giới hạn %(max)s ký tự; chưa chấm. Hãy rút gọn rồi gửi lại.",
                    n=fmt_number(error.length), max=fmt_number(services.MAX_FEEDBACK))
    elif error.problem == "not_a_level":
        message = _("Mức điểm đã gửi cho tiêu chí “%(c)s” không có trong thang chấm; chưa chấm. Hãy chọn lại một mức "
                    "có trong thang.", c=error.criterion)
    elif error.problem == "unknown_criterion":
        message = _("Biểu mẫu gửi điểm cho một tiêu chí không có trong thang chấm (“%(c)s”); chưa chấm. Hãy tải lại "
                    "trang rồi chấm lại.", c=error.criterion)
    else:
        message = _("Hãy chọn một mức điểm cho mọi tiêu chí.")
    flash(message, "error")
    return _render(attempt, form, filters, 400, regrading=regrading)


def _after_grading(attempt: Attempt, filters):
    """"Grade next" opens the next answer waiting under the same filters; otherwise back to the queue."""
    following, _left = services.next_waiting(current_user, filters, attempt)
    if request.form.get("then") == "next" and following is not None:
        flash(_("Đã chấm xong bài của %(name)s. Bài tiếp theo:", name=attempt.user.full_name), "success")
        return redirect(url_for("reviews.grade", attempt_id=following.id, **filters.as_args()))
    flash(_("Đã chấm xong. Điểm đã vào sổ điểm và học viên được thông báo.") if following is not None
          else _("Đã chấm xong. Không còn bài nào chờ chấm theo bộ lọc này."), "success")
    return redirect(url_for("reviews.queue", **filters.as_args()))


def _render(attempt, form, filters, status=200, regrading: bool = False):
    if request.method == "POST":  # kept on a refusal: the levels chosen and the feedback typed
        picked = {key: value for key, value in request.form.items() if key.startswith("r-")}
        typed = {key[2:]: value for key, value in request.form.items() if key.startswith("f-")}
    else:  # a regrade starts from the grading as it stands
        picked, typed = services.current_levels(attempt) if regrading else ({}, {})
    following, left = services.next_waiting(current_user, filters, attempt)
    return render_template("reviews/grade.html", attempt=attempt, form=form, typed=typed, picked=picked, filters=filters,
                           review=build_review(attempt, viewer_is_staff=True, now=utcnow()), left=left,
                           following=following, questions=services.written_questions(attempt), regrading=regrading,
                           overridden=regrading and services.override_in_force(attempt)), status
