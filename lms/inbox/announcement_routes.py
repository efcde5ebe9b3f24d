"""Announcements: an instructor of the cohort or an administrator writes to the whole class (Markdown, sanitised);
learners see them on their home page and are told by their notification preferences."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from lms.auth.access import login_required, staff_required
from lms.auth.forms import EmptyForm
from lms.auth.policy import can_teach, teach_or_403
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
    page = paginate(select(Announcement).where(Announcement.cohort_id == cohort.id)
                    .order_by(Announcement.created_at.desc()), request.args.get("page", 1, type=db_int))
    return render_template("inbox/announcements.html", cohort=cohort, page=page,
                           can_post=can_teach(current_user, cohort.id) and current_user.is_staff)


PROBLEMS = {
    "title_missing": lambda p: _("Cần có tiêu đề."),
    "title_too_long": lambda p: _("Tiêu đề dài quá %(n)s ký tự.", n=p["max"]),
    "body_missing": lambda p: _("Cần có nội dung."),
    "body_too_long": lambda p: _("Nội dung dài %(n)s ký tự, quá giới hạn %(max)s ký tự.", n=p["n"], max=p["max"]),
}


@bp.route("/new", methods=["GET", "POST"])
@staff_required
def new(cohort_id: int):
    """Write an announcement; every learner of the cohort is notified."""
    cohort = db.get_or_404(Cohort, cohort_id)
    teach_or_403(current_user, cohort.id)
    form = EmptyForm()
    title, body = (request.form.get("title") or "").strip(), (request.form.get("body") or "").strip()
    found = announcements.problems(title, body) if form.is_submitted() else []
    if form.validate_on_submit() and not found:
        count = announcements.post(cohort, current_user, title, body,
                                   url_for("announcements.index", cohort_id=cohort.id), utcnow())
        flash(_("Đã đăng thông báo và báo cho %(n)s học viên.", n=count), "success")
        return redirect(url_for("announcements.index", cohort_id=cohort.id))
    return render_template("inbox/announcement_form.html", cohort=cohort, form=form, title=title, body=body,
                           problems=[PROBLEMS[code](params) for code, params in found]), 400 if form.is_submitted() else 200
