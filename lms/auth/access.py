"""Who may see what: Flask-Login wiring and role checks for views."""
from __future__ import annotations

import time
from functools import wraps
from urllib.parse import urlsplit

from flask import abort, current_app, flash, redirect, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user

from lms.database import utcnow
from lms.models import Role


def init_login(app, manager: LoginManager) -> None:
    """Load users from server-side sessions so signing out really ends a session."""
    from lms.auth.services import load_session_user

    manager.init_app(app)
    manager.login_view = "auth.login"
    manager.login_message = _l("Vui lòng đăng nhập để tiếp tục.")
    manager.login_message_category = "info"
    manager.session_protection = "basic"

    @manager.user_loader
    def _load(token: str):
        return load_session_user(token, utcnow())


# What a person who must replace a temporary password may still reach: the change itself, signing out, the
# language switch, and what needs no account.
BEFORE_PASSWORD_CHANGE = frozenset({"auth.change_password", "auth.logout", "static", "pages.set_language",
                                    "pages.healthz", "transcripts.verify", "transcripts.verify_form",
                                    "transcripts.keys", "calendar.feed", "inbox.unsubscribe"})


def slide_session() -> None:
    """Keep a signed-in session's cookie alive while it is used: renewed when it was last written more than
    SESSION_SLIDE_SECONDS ago, so a learner at work is not signed out PERMANENT_SESSION_LIFETIME after signing in,
    and the other responses carry no cookie at all."""
    if request.endpoint == "static" or not session.permanent:
        return
    now = int(time.time())
    if now - session.get("_slid", 0) >= current_app.config["SESSION_SLIDE_SECONDS"]:
        session["_slid"] = now


def password_change_first():
    """Someone signed in with a temporary password chooses their own before anything else (a before-request
    hook: registered after the unit of work's, which decides how the request's transaction begins)."""
    if current_user.is_authenticated and current_user.must_change_password \
            and request.endpoint not in BEFORE_PASSWORD_CHANGE:
        flash(_l("Đồng chí đang dùng mật khẩu tạm thời. Vui lòng đặt mật khẩu mới của riêng mình để tiếp tục."),
              "info")
        return redirect(url_for("auth.change_password", next=request.full_path if request.method == "GET" else None))
    return None


def roles_required(*roles: Role):
    """Views for signed-in users with one of these roles: anonymous -> sign-in page, others -> 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        wrapped.allowed_roles = roles
        return wrapped

    return decorator


def login_required(view):
    """Views for any signed-in user."""
    return roles_required(*Role)(view)


admin_required = roles_required(Role.ADMIN)
staff_required = roles_required(Role.INSTRUCTOR, Role.ADMIN)


def is_same_site_path(target: str) -> bool:
    """True when a redirect target is a path on this site, as a browser would read it.

    Browsers drop tabs and newlines inside URLs and treat a backslash like a slash, so "/\t/evil.example" and
    "/\\evil.example" lead elsewhere: such characters are refused outright, then the target is parsed.
    """
    if not target.startswith("/") or target.startswith("//") or any(c in target for c in "\\\t\r\n") \
            or not target.isprintable():
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc and not parts.path.startswith("//")


def safe_next(default_endpoint: str = "pages.home") -> str:
    """The `next` target if it is a path on this site, else the default page."""
    target = request.values.get("next", "")
    return target if is_same_site_path(target) else url_for(default_endpoint)


def redirect_next(default_endpoint: str = "pages.home"):
    """Redirect to a safe `next` target."""
    return redirect(safe_next(default_endpoint))
