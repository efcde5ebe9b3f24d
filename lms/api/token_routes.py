"""Administrators make, list and revoke personal API tokens; a new token is shown once, then only its prefix."""
from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, abort, flash, make_response, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.api import tokens
from lms.api.forms import ApiTokenForm
from lms.auth.access import admin_required
from lms.auth.forms import EmptyForm
from lms.database import utcnow
from lms.extensions import db
from lms.models import ApiToken

bp = Blueprint("api_tokens", __name__, url_prefix="/admin/api-tokens", template_folder="templates")
MADE_KEY = "api_token_forms"  # the last few token forms that made a token, in the session


def _render(form: ApiTokenForm, created: tuple[ApiToken, str] | None = None, status: int = 200):
    response = make_response(render_template("api/tokens.html", form=form, tokens=tokens.list_tokens(),
                                             created=created, now=utcnow()), status)
    response.headers["Cache-Control"] = "no-store"  # the new token is on this page once
    return response


@bp.get("")
@admin_required
def index():
    """Every token with its scopes, expiry, last use and state, and the form for a new one."""
    return _render(ApiTokenForm())


@bp.post("")
@admin_required
def create():
    """Make a token and show it this once."""
    form = ApiTokenForm()
    if not form.validate_on_submit():
        return _render(form, status=400)
    made = session.get(MADE_KEY, [])
    if form.once.data in made:  # the browser sent the same form again (a reload of the page showing the token)
        flash(_("Mã truy cập của biểu mẫu này đã được tạo và chỉ hiện một lần. Nếu chưa kịp chép, hãy thu hồi mã đó "
                "và tạo mã mới."), "info")
        return redirect(url_for("api_tokens.index"))
    session[MADE_KEY] = [*made[-4:], form.once.data]
    now = utcnow()
    created = tokens.create_token(current_user, form.name.data, form.scopes, now + timedelta(days=form.days.data), now)
    return _render(ApiTokenForm(formdata=None), created=created)


@bp.route("/<int:token_id>/revoke", methods=["GET", "POST"])
@admin_required
def revoke(token_id: int):
    """Confirm, then revoke a token: every call with it is refused from then on."""
    token = db.get_or_404(ApiToken, token_id)
    if token.revoked_at is not None:
        abort(404)
    form = EmptyForm()
    if form.validate_on_submit():
        tokens.revoke_token(token, current_user, utcnow())
        flash(_("Đã thu hồi mã truy cập %(name)s.", name=token.name), "success")
        return redirect(url_for("api_tokens.index"))
    return render_template("confirm.html", form=form, cancel=url_for("api_tokens.index"),
                           question=_("Thu hồi mã truy cập %(name)s (%(prefix)s)? Hệ thống dùng mã này sẽ không gọi "
                                      "API được nữa.", name=token.name, prefix=token.prefix))
