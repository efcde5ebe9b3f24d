"""Notifications: the list with mark-read, the e-mail preferences, and the unsubscribe link of every e-mail."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from lms.auth.access import login_required
from lms.auth.forms import EmptyForm
from lms.database import utcnow
from lms.extensions import csrf, db
from lms.mail.tokens import read_unsubscribe_token
from lms.models import Delivery, Event, Notification, User
from lms.notifications import messages, services
from lms.pagination import db_int, paginate

bp = Blueprint("inbox", __name__, template_folder="templates")


@bp.app_context_processor
def _bell() -> dict:
    """The unread count for the header's bell (one small query per signed-in page)."""
    def unread() -> int:
        return services.unread_count(current_user.id) if current_user.is_authenticated else 0

    return {"unread_notifications": unread}


@bp.get("/notifications")
@login_required
def index():
    """Newest first, unread ones marked; kept 90 days."""
    page = paginate(select(Notification).where(Notification.user_id == current_user.id)
                    .order_by(Notification.created_at.desc(), Notification.id.desc()),
                    request.args.get("page", 1, type=db_int))
    return render_template("inbox/index.html", page=page, form=EmptyForm(), title=messages.title,
                           detail=messages.detail)


@bp.post("/notifications/read")
@login_required
def mark_read():
    """Mark one notification (`id`) or all of them read; then follow its link if it has one."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    notification_id = request.form.get("id", type=db_int)
    services.mark_read(current_user.id, utcnow(), notification_id)
    if notification_id:
        notification = db.session.get(Notification, notification_id)
        if notification and notification.user_id == current_user.id and notification.url:
            return redirect(notification.url)
    return redirect(url_for("inbox.index"))


@bp.route("/notifications/preferences", methods=["GET", "POST"])
@login_required
def preferences():
    """For each kind: e-mail at once, in a daily digest, or not at all (always shown in the app)."""
    form = EmptyForm()
    if form.validate_on_submit():
        for event in Event:
            choice = request.form.get(event.value)
            if choice in set(Delivery):
                services.set_preference(current_user.id, event.value, choice)
        flash(_("Đã lưu cách nhận thông báo."), "success")
        return redirect(url_for("inbox.preferences"))
    return render_template("inbox/preferences.html", form=form, chosen=services.preferences(current_user.id),
                           events=list(Event), label=messages.event_label, has_email=bool(current_user.email))


@bp.route("/unsubscribe/<ticket>", methods=["GET", "POST"])
@csrf.exempt  # the signed token is the proof; mail clients' one-click unsubscribe posts without a form
def unsubscribe(ticket: str):
    """The link in every e-mail: confirm (GET), then stop that kind of e-mail (POST, also mail clients' one-click);
    works without signing in."""
    found = read_unsubscribe_token(ticket)
    user = db.session.get(User, found[0]) if found else None
    if user is None or found[1] not in set(Event):
        abort(404)
    if request.method == "POST":
        services.set_preference(user.id, found[1], Delivery.OFF)
        return render_template("inbox/unsubscribed.html", label=messages.event_label(found[1]), done=True)
    return render_template("inbox/unsubscribed.html", label=messages.event_label(found[1]), done=False, ticket=ticket)
