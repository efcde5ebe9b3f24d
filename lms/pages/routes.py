"""The home page, the language switch and the health check."""
from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    session,
)
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import text

from lms.auth.access import safe_next
from lms.database import utcnow
from lms.extensions import csrf, db
from lms.grades.fingerprint import kept_learner_page
from lms.pages.dashboard import learner_home

bp = Blueprint("pages", __name__, template_folder="templates")


@bp.get("/")
def home():
    """The sign-in invitation; a learner's dashboard (continue, due soon, grades, progress); staff's starting points."""
    home = None
    if current_user.is_authenticated and current_user.is_learner:
        user = current_user._get_current_object()
        home = Markup(kept_learner_page("home", user, lambda: render_template(
            "pages/_learner_home.html", user=user, home=learner_home(user, utcnow()))))
    return render_template("pages/home.html", user=current_user, home=home)


@bp.post("/language")
def set_language():
    """Switch the interface language for this browser (works without JavaScript)."""
    lang = request.form.get("lang", "")
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
    return redirect(safe_next())


@bp.get("/healthz")
@csrf.exempt
def healthz():
    """JSON health report with the database state, for load balancers."""
    try:
        db.session.execute(text("SELECT 1"))
        database, status = "ok", 200
    except Exception as error:  # the point is to report any failure, not to crash
        db.session.rollback()
        database, status = f"error: {type(error).__name__}", 503
    body = {"status": "ok" if status == 200 else "degraded", "database": database,
            "dialect": db.engine.dialect.name}
    return jsonify(body), status
