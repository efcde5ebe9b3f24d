"""The structured case form: a case edited field by field, without JavaScript, as an alternative to the file editor."""
from __future__ import annotations

from flask import (
    Blueprint,
    abort,
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
from lms.auth.policy import module_for_author_or_403
from lms.authoring import case_form, queries, services, texts
from lms.authoring.messages import authoring_error
from lms.cases.messages import effectiveness_label
from lms.catalog.store import case_definition, render_case
from lms.catalog.urls import resolver_factory
from lms.content.fields import SLUG_RE
from lms.database import utcnow
from lms.domain.cases import CaseKind, QuestionType

bp = Blueprint("case_forms", __name__, url_prefix="/instructor/modules", template_folder="templates")

FORM_ACTIONS = ("preview", "draft", "publish")


def question_type_name(kind: str) -> str:
    """A short name of a question type, for the type menu."""
    return {"best_action": _("Chọn phương án tốt nhất"), "best_worst": _("Chọn tốt nhất và kém nhất"),
            "rank": _("Xếp hạng các phương án"), "rate": _("Đánh giá từng phương án"),
            "multi": _("Chọn mọi phương án phù hợp"), "written": _("Trình bày (giảng viên chấm)")}.get(kind, kind)


@bp.route("/<module_key>/cases/new/form", methods=["GET", "POST"])
@staff_required
def new_case(module_key: str):
    """Write a new case in the structured form."""
    module = module_for_author_or_403(current_user, module_key)
    return _form_editor(module, None, None, case_form.blank_case())


@bp.route("/<module_key>/cases/<slug>/form", methods=["GET", "POST"])
@staff_required
def edit_case(module_key: str, slug: str):
    """Edit a case (its draft if any, else its current version) in the structured form."""
    module = module_for_author_or_403(current_user, module_key)
    case, draft = queries.get_case(module, slug), queries.get_draft(module, "case", slug)
    if (case is None or case.current is None) and draft is None:
        abort(404)
    start = (case_form.from_text(draft.text, slug) if draft else
             case_form.from_definition(case_definition(case.current, slug)))
    return _form_editor(module, case, draft, start)


def _form_editor(module, case, draft, start):
    """Render the form, apply a structure button, or carry out an action on the generated case file."""
    view = {"module": module, "case": case, "draft": draft, "is_new": case is None and draft is None}
    if request.method == "GET":
        return _render(view, start)
    data = case_form.parse_form(request.form)
    slug = case.slug if case else (draft.key if draft else data["slug"])
    data["slug"] = slug
    if op := request.form.get("op"):
        try:
            return _render(view, case_form.apply_op(data, op))
        except case_form.FormOpError:
            abort(400)
    action = request.form.get("action")
    if action not in FORM_ACTIONS:
        abort(400)
    if view["is_new"] and action != "preview" and (slug_error := _slug_error(module, slug)):
        return _render(view, data, slug_error=slug_error), 400
    return _carry_out(view, data, action)


def _carry_out(view, data, action):
    module, case, slug, text = view["module"], view["case"], data["slug"], case_form.build_text(data)
    base = case.current.version if case is not None and case.current is not None else None
    if action == "draft":
        services.save_draft(module, "case", slug, text, base, current_user, utcnow())
        return _done(_("Đã lưu bản nháp."), "case_forms.edit_case", module, slug=slug)
    definition, problems = texts.check_case(text, slug, queries.get_link_index(case=slug), module.key)
    resolve = resolver_factory(current_app)(module.key)
    if action == "preview" or problems:
        rendered = render_case(definition, resolve) if definition and action == "preview" else None
        return _render(view, data, definition=definition, rendered=rendered, problems=problems), \
            200 if action == "preview" else 422
    try:
        version = services.publish_case(module, case, definition, resolve, current_user, utcnow())
    except services.AuthoringError as error:
        return _render(view, data, refusal=authoring_error(error)), 409
    return _done(_("Đã xuất bản phiên bản %(v)s.", v=version.version) if version else
                 _("Nội dung không khác phiên bản hiện hành; không tạo phiên bản mới."), "authoring.module", module)


def _slug_error(module, slug: str) -> str | None:
    if not SLUG_RE.fullmatch(slug or ""):
        return _("Chỉ dùng chữ thường không dấu, chữ số và dấu gạch nối đơn, ví dụ: tranh-chap-loi-di.")
    if queries.is_case_slug_taken(slug, module):
        return _("Mã này đã được một tình huống (hoặc bản nháp) khác dùng.")
    return None


def _render(view, data, **extra):
    problems = extra.get("problems") or []
    by_anchor: dict[str, list] = {}
    for problem in problems:
        by_anchor.setdefault(case_form.anchor(problem.location), []).append(problem)
    return render_template("authoring/case_form.html", data=data, kinds=list(CaseKind), types=list(QuestionType),
                           type_name=question_type_name, effectiveness_label=effectiveness_label,
                           anchor=case_form.anchor, problems_by_anchor=by_anchor, **view, **extra)


def _done(message: str, endpoint: str, module, **args):
    flash(message, "success")
    return redirect(url_for(endpoint, module_key=module.key, **args))
