"""The instructor's voice and moderation in case discussions: the reports queue, hiding and restoring posts (with
a reason, audited, the author told), exemplary posts, the pinned note, closing, and the CSV export for the
school's records."""
from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.auth.access import admin_required, staff_required
from lms.auth.forms import EmptyForm
from lms.auth.policy import can_moderate_discussion
from lms.database import utcnow
from lms.discussions import queries, services
from lms.discussions.routes import case_or_404, discussion_or_404, post_url
from lms.discussions.wording import discussion_error
from lms.domain.errors import DomainError
from lms.extensions import db
from lms.models import DiscussionPost
from lms.pagination import db_int
from lms.spreadsheets import csv_text

bp = Blueprint("moderation", __name__, template_folder="templates")



def _export_header() -> tuple[str, ...]:
    return (_("Mã bài"), _("Thuộc chủ đề"), _("Tiêu đề"), _("Tên đăng nhập"), _("Họ và tên"), _("Thời điểm đăng (UTC)"),
            _("Thời điểm sửa (UTC)"), _("Bài tiêu biểu"), _("Thời điểm ẩn (UTC)"), _("Lý do ẩn"), _("Nội dung (Markdown)"))


def _index_url(discussion) -> str:
    return url_for("discussions.index", cohort_id=discussion.cohort_id, slug=discussion.case.slug)


@bp.get("/instructor/discussions/reports")
@staff_required
def reports():
    """Reported posts waiting for a decision, in the cohorts the instructor teaches."""
    page = queries.reports_queue(current_user, request.args.get("page", 1, type=db_int))
    return render_template("discussions/reports.html", page=page, form=EmptyForm(), post_url=post_url)


@bp.post("/discussion/posts/<int:post_id>/moderate")
@staff_required
def moderate(post_id: int):
    """Hide or restore a post (with a reason), keep it (dismiss its reports), or mark it exemplary."""
    post = db.session.get(DiscussionPost, post_id)
    if post is None:
        abort(404)
    if not can_moderate_discussion(current_user, post.discussion.cohort_id):
        abort(403)
    if not EmptyForm().validate_on_submit():
        abort(400)
    action, reason, now = request.form.get("action", ""), request.form.get("reason", ""), utcnow()
    url = url_for("discussions.thread", thread_id=post.thread_id or post.id)
    actions = {"hide": lambda: services.hide(post, current_user, reason, now, url),
               "restore": lambda: services.restore(post, current_user, reason, now, url),
               "dismiss": lambda: services.dismiss_reports(post, current_user, now),
               "exemplary": lambda: services.set_exemplary(post, current_user, True, now),
               "not_exemplary": lambda: services.set_exemplary(post, current_user, False, now)}
    if action not in actions:
        abort(400)
    try:
        actions[action]()
        flash(_("Đã cập nhật bài viết."), "success")
    except DomainError as error:
        flash(discussion_error(error), "error")
    return redirect(request.form.get("back") == "reports" and url_for("moderation.reports") or post_url(post))


def _moderated_discussion(cohort_id: int, slug: str):
    """The case's discussion in the cohort, created if need be, for its moderators only."""
    case = case_or_404(slug)
    if not can_moderate_discussion(current_user, cohort_id):
        abort(403)
    if not EmptyForm().validate_on_submit():
        abort(400)
    return services.discussion_for(case, cohort_id, utcnow())


@bp.post("/cohorts/<int:cohort_id>/cases/<slug>/discussion/note")
@staff_required
def note(cohort_id: int, slug: str):
    """Pin, replace or remove the instructor's expert note; readers are told of a new note."""
    discussion = _moderated_discussion(cohort_id, slug)
    try:
        told = services.set_note(discussion, current_user, request.form.get("note", ""), utcnow(),
                                 _index_url(discussion))
        flash(_("Đã gỡ ghi chú của giảng viên.") if not discussion.note_md else
              _("Đã lưu ghi chú của giảng viên và báo cho %(n)s học viên.", n=told) if told else
              _("Đã lưu ghi chú của giảng viên; chưa học viên nào của lớp được đọc thảo luận này nên chưa ai được "
                "báo."), "success")
    except DomainError as error:
        flash(discussion_error(error), "error")
    return redirect(_index_url(discussion))


@bp.post("/cohorts/<int:cohort_id>/cases/<slug>/discussion/close")
@staff_required
def close(cohort_id: int, slug: str):
    """Close the discussion (read only) or open it again."""
    discussion = _moderated_discussion(cohort_id, slug)
    closed = request.form.get("closed") == "1"
    services.set_closed(discussion, current_user, closed, utcnow())
    flash(_("Đã đóng thảo luận.") if closed else _("Đã mở lại thảo luận."), "success")
    return redirect(_index_url(discussion))


@bp.get("/admin/discussions/<int:discussion_id>.csv")
@admin_required
def export(discussion_id: int):
    """Every post of the discussion as CSV, hidden ones included with their reasons."""
    discussion = discussion_or_404(discussion_id)
    name = f"thao-luan-{discussion.case.slug}-lop-{discussion.cohort_id}.csv"
    return Response(csv_text(_export_header(), queries.export_rows(discussion)), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
