"""Editing a module's header in the browser: title, objectives, references, assessment policy, introduction."""
from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from lms.auth.access import staff_required
from lms.auth.forms import EmptyForm
from lms.auth.policy import module_for_author_or_403
from lms.authoring.module_header import check_header, references_text, save_header
from lms.catalog.urls import resolver_factory
from lms.database import utcnow

bp = Blueprint("module_settings", __name__, url_prefix="/instructor/modules", template_folder="templates")
FIELDS = ("title", "summary", "group", "hours", "objectives", "references", "pass_mark", "attempts_allowed",
          "grading_policy", "time_limit_minutes", "key_visible", "intro")


def _current_values(module) -> dict[str, str]:
    return {"title": module.title, "summary": module.summary, "group": str(module.group),
            "hours": f"{module.hours:g}", "objectives": "\n".join(module.objectives),
            "references": references_text(module.references), "pass_mark": f"{module.pass_mark:g}",
            "attempts_allowed": str(module.attempts_allowed), "grading_policy": module.grading_policy,
            "time_limit_minutes": str(module.time_limit_minutes),
            "key_visible": module.key_visible_from.isoformat() if module.key_visible_from else "",
            "intro": module.intro_md}


@bp.route("/<module_key>/settings", methods=["GET", "POST"])
@staff_required
def edit(module_key: str):
    """The module header form; saved only when the content validator accepts it."""
    module = module_for_author_or_403(current_user, module_key)
    form, values, problems = EmptyForm(), _current_values(module), []
    if form.validate_on_submit():
        values = {name: request.form.get(name, "") for name in FIELDS}
        doc, problems = check_header(module, values)
        if doc is not None and not problems:
            save_header(module, doc, resolver_factory(current_app)(module.key), current_user, utcnow())
            flash(_("Đã lưu thông tin chuyên đề."), "success")
            return redirect(url_for("authoring.module", module_key=module.key))
    return render_template("authoring/module_settings.html", module=module, form=form, values=values,
                           problems=problems), 422 if problems else 200
