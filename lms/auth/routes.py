"""Sign-in, sign-out and password change."""
from __future__ import annotations

from datetime import timedelta

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from lms.auth import services
from lms.auth.access import login_required, redirect_next, safe_next
from lms.auth.forms import ChangePasswordForm, EmptyForm, LoginForm
from lms.database import utcnow
from lms.i18n import fmt_datetime
from lms.unit_of_work import keeps_work_on_error

bp = Blueprint("auth", __name__, template_folder="templates")


def throttle_settings() -> services.ThrottleSettings:
    """The configured sign-in throttle."""
    cfg = current_app.config
    return services.ThrottleSettings(timedelta(minutes=cfg["LOGIN_WINDOW_MINUTES"]),
                                     cfg["LOGIN_MAX_FAILURES_PER_ACCOUNT_ADDRESS"],
                                     cfg["LOGIN_MAX_FAILURES_PER_ACCOUNT"], cfg["LOGIN_MAX_FAILURES_PER_ADDRESS"])


@bp.route("/login", methods=["GET", "POST"])
@keeps_work_on_error  # a refused or throttled sign-in is still counted
def login():
    """Sign in by username or e-mail and password."""
    if current_user.is_authenticated:
        return redirect_next()
    form = LoginForm()
    if form.validate_on_submit():
        lifetime = current_app.config["REMEMBER_COOKIE_DURATION"]
        result = services.sign_in(form.identifier.data, form.password.data, request.remote_addr or "-",
                                  request.user_agent.string, utcnow(), throttle_settings(), lifetime)
        if result.user:
            session.clear()
            login_user(result.user, remember=form.remember.data)
            session.permanent = True
            return redirect(safe_next())
        if result.locked_until:
            flash(_("Đăng nhập sai quá nhiều lần. Đồng chí có thể thử lại lúc %(time)s.",
                    time=fmt_datetime(result.locked_until)), "error")
            return render_template("auth/login.html", form=form), 429
        flash(_("Tên đăng nhập hoặc mật khẩu không đúng."), "error")
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
def logout():
    """Sign out: the session ends on the server too."""
    response = redirect(url_for("auth.login"))
    if current_user.is_authenticated and EmptyForm().validate_on_submit():
        services.sign_out(current_user.get_id())
        logout_user()
        session.clear()
        flash(_("Đồng chí đã đăng xuất."), "info")
        response.headers["Clear-Site-Data"] = '"cache", "storage"'  # the pages kept for offline reading go too
    return response


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Change one's own password; other signed-in devices are signed out."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if services.change_password(current_user, form.current.data, form.new.data, utcnow(), current_user.get_id()):
            flash(_("Đã đổi mật khẩu. Các thiết bị khác đã được đăng xuất."), "success")
            return redirect(safe_next())
        form.current.errors.append(_("Mật khẩu hiện tại không đúng."))
    return render_template("auth/change_password.html", form=form)
