"""Announcements: an instructor of the cohort or an administrator writes to the whole class (Markdown, sanitised);
learners see them on their home page and are told by their notification preferences."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from lms.auth.access import login_required, staff_required
from lms.auth.forms import EmptyForm
from lms.auth.policy import can_edit_announcement, can_teach, edit_announcement_or_403, teach_or_403
from lms.cohorts.queries import has_learners
from lms.database import utcnow
from lms.extensions import db
from lms.models import Announcement, Cohort, Enrolment
from lms.notifications import announcements
from lms.pagination import db_int, paginate

bp = Blueprint("announcements", __name__, url_prefix="/cohorts/<int:cohort_id>/announcements",
               template_folder="templates")

@bp.get("/")
@login_required
def index(cohort_id: int):
    """The cohort's announcements, newest first: for its learners and the staff who teach it."""
    cohort = db.get_or_404(Cohort, cohort_id)
    member = db.session.scalar(select(Enrolment.id).filter_by(cohort_id=cohort.id, user_id=current_user.id))
    if not (member or can_teach(current_user, cohort.id)):
        abort(403)
    page = paginate(select(Announcement).where(Announcement.cohort_id == cohort.id, Announcement.withdrawn_at.is_(None))
                    .order_by(Announcement.created_at.desc()), request.args.get("page", 1, type=db_int))
    teaches = can_teach(current_user, cohort.id)
    return render_template("inbox/announcements.html", cohort=cohort, page=page,
                           can_post=teaches and current_user.is_staff,
                           may_edit=lambda a: can_edit_announcement(current_user, a, teaches))


PROBLEMS = {
    "title_missing": lambda p: _("Cần có tiêu đề."),
    "title_too_long": lambda p: _("Tiêu đề dài quá %(n)s ký tự.", n=p["max"]),
    "body_missing": lambda p: _("Cần có nội dung."),
    "body_too_long": lambda p: _("Nội dung dài %(n)s ký tự, quá giới hạn %(max)s ký tự.", n=p["n"], max=p["max"]),
}


def _draft() -> tuple[EmptyForm, str, str, list]:
    """The form, the typed title and text, and what is wrong with them once submitted (posting and correcting)."""
    form = EmptyForm()
    title, body = (request.form.get("title") or "").strip(), (request.form.get("body") or "").strip()
    return form, title, body, announcements.problems(title, body) if form.is_submitted() else []


def _form_page(cohort: Cohort, form: EmptyForm, title: str, body: str, found: list, announcement=None):
    """The writing form again, with what was typed and what is wrong (400 after a submission)."""
    return render_template("inbox/announcement_form.html", cohort=cohort, form=form, title=title, body=body,
                           announcement=announcement, problems=[PROBLEMS[code](params) for code, params in found],
                           notify_again=bool(request.form.get("notify_again")),
                           no_learners=not has_learners(cohort.id)), 400 if form.is_submitted() else 200


def _editable(cohort_id: int, announcement_id: int) -> Announcement:
    """The cohort's announcement, not withdrawn (404), if the current user may correct it (403)."""
    announcement = db.first_or_404(select(Announcement).filter_by(id=announcement_id, cohort_id=cohort_id,
                                                                  withdrawn_at=None))
    return edit_announcement_or_403(current_user, announcement)


@bp.route("/new", methods=["GET", "POST"])
@staff_required
def new(cohort_id: int):
    """Write an announcement; every learner of the cohort is notified."""
    cohort = db.get_or_404(Cohort, cohort_id)
    teach_or_403(current_user, cohort.id)
    form, title, body, found = _draft()
    if form.validate_on_submit() and not found:
        count = announcements.post(cohort, current_user, title, body,
                                   url_for("announcements.index", cohort_id=cohort.id), utcnow())
        flash(_("Đã đăng thông báo và báo cho %(n)s học viên.", n=count) if count else
              _("Đã đăng thông báo; lớp chưa có học viên nào nên chưa ai được báo."), "success")
        return redirect(url_for("announcements.index", cohort_id=cohort.id))
    return _form_page(cohort, form, title, body, found)


@bp.route("/<int:announcement_id>/edit", methods=["GET", "POST"])
@staff_required
def edit(cohort_id: int, announcement_id: int):
    """Correct the title and text; learners are told again only when asked to."""
    announcement = _editable(cohort_id, announcement_id)
    form, title, body, found = _draft()
    if form.validate_on_submit() and not found:
        count = announcements.edit(announcement, current_user, title, body, url_for(
            "announcements.index", cohort_id=cohort_id), utcnow(), notify_again=bool(request.form.get("notify_again")))
        flash(_("Không có gì thay đổi.") if count is None else
              _("Đã sửa thông báo và báo lại cho %(n)s học viên.", n=count) if count else
              _("Đã sửa thông báo; học viên thấy nội dung mới, không được báo lại."), "success")
        return redirect(url_for("announcements.index", cohort_id=cohort_id))
    if not form.is_submitted():
        title, body = announcement.title, announcement.body_md
    return _form_page(announcement.cohort, form, title, body, found, announcement)


@bp.route("/<int:announcement_id>/withdraw", methods=["GET", "POST"])
@staff_required
def withdraw(cohort_id: int, announcement_id: int):
    """Confirm (saying how many learners were told, and that e-mails cannot be recalled), then withdraw."""
    announcement = _editable(cohort_id, announcement_id)
    form, back = EmptyForm(), url_for("announcements.index", cohort_id=cohort_id)
    if form.validate_on_submit():
        announcements.withdraw(announcement, current_user, utcnow())
        flash(_("Đã gỡ thông báo «%(t)s».", t=announcement.title), "success")
        return redirect(back)
    told, emailed = announcements.reach(announcement)
    question = _("Gỡ thông báo «%(t)s»? Thông báo đã báo cho %(n)s học viên; nó sẽ biến mất khỏi trang của lớp, "
                 "trang chủ và mục Thông báo của họ.", t=announcement.title, n=told)
    if emailed:
        question += " " + _("%(m)s email đã gửi đi thì không thu hồi được.", m=emailed)
    return render_template("confirm.html", form=form, cancel=back, question=question)
