"""Authoring in the browser, one blueprint: a module's authoring home; one editor workflow (draft, check, preview,
publish) for lessons and cases through their adapters in editors.py, fed by the file editors or by the structured
case form; versions, diffs, restores, downloads, uploads, copies of cases and the module's details."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from lms.auth.access import staff_required
from lms.auth.forms import EmptyForm
from lms.auth.policy import module_for_author_or_403
from lms.authoring import case_form, case_form_ops, module_details, queries, services
from lms.authoring.each_kind import EachKind
from lms.authoring.editors import CASES, EDITORS, Editor
from lms.authoring.forms import EDITOR_ACTIONS, DuplicateCaseForm, UploadForm
from lms.authoring.problem_text import (
    live_cue_texts,
    problem_location,
    problem_text,
    question_type_name,
    refusal_text,
    source_label,
    unrepresented_text,
)
from lms.cases.wording import PART_NAMES, effectiveness_label
from lms.catalog.store import case_definition
from lms.catalog.urls import resolver_factory
from lms.content.cueing import CLEAR_MARGIN, STEP_LIST_MIN
from lms.content.fields import SLUG_RE
from lms.content.text import slugify
from lms.database import utcnow
from lms.domain.cases import CaseKind, QuestionType
from lms.extensions import db
from lms.models import Module
from lms.unit_of_work import keeps_work_on_error

bp = Blueprint("authoring", __name__, url_prefix="/instructor/modules", template_folder="templates")
each_kind = EachKind(bp)


@bp.app_context_processor
def _helpers():
    def authored_modules():
        return queries.list_authored_modules(current_user) if current_user.is_authenticated else []

    return {"authored_modules": authored_modules, "problem_text": problem_text,
            "problem_location": problem_location, "source_label": source_label,
            "review_part_name": lambda part: PART_NAMES[part]()}


def _resolver(module: Module):
    return resolver_factory(current_app)(module.key)


def _done(message: str, endpoint: str, module: Module, **args):
    flash(message, "success")
    return redirect(url_for(endpoint, module_key=module.key, **args))


def _published(version, uploaded: bool = False) -> str:
    if version is None:
        return _("Nội dung không khác phiên bản hiện hành; không tạo phiên bản mới.")
    if uploaded:
        return _("Đã tải lên và xuất bản phiên bản %(v)s.", v=version.version)
    return _("Đã xuất bản phiên bản %(v)s.", v=version.version)


@bp.get("")
@staff_required
def index():
    """The modules the signed-in staff member may author."""
    return render_template("authoring/index.html", modules=queries.list_authored_modules(current_user))


@bp.get("/<module_key>")
@staff_required
def module(module_key: str):
    """A module's authoring home: lessons, cases, drafts in progress and the tools."""
    module = module_for_author_or_403(current_user, module_key)
    drafts = queries.list_drafts(module)
    return render_template("authoring/module.html", module=module, drafts=drafts,
                           draft_keys={(d.kind, d.key) for d, _name in drafts})


# The editor workflow, the same for every kind and every way of writing the text --------------------------

@dataclass(frozen=True)
class Editing:
    """One item in an editor: its kind's adapter, its module, the item (None when new), its key and draft."""

    editor: Editor
    module: Module
    item: object
    key: str
    draft: object = None


def _carry_out(editing: Editing, text: str, action: str, render: Callable[..., str], reopen: str):
    """The steps every editor shares: save or discard the draft (reopened at `reopen`), check, preview, publish."""
    editor, module, item, key = editing.editor, editing.module, editing.item, editing.key
    if action == "draft":
        editor.save_draft(module, item, key, text, current_user, utcnow())
        return _done(_("Đã lưu bản nháp."), reopen, module, **{editor.key_arg: key})
    if action == "discard":
        if not request.form.get("confirmed"):  # asked first; what was typed is kept in the draft meanwhile
            editor.save_draft(module, item, key, text, current_user, utcnow())
            return render_template("confirm.html", form=EmptyForm(), hidden={"action": "discard", "confirmed": "1"},
                                   question=_("Bỏ bản nháp này? Những gì đã sửa mà chưa xuất bản sẽ mất; nội dung "
                                              "đang xuất bản giữ nguyên."),
                                   cancel=url_for(reopen, module_key=module.key, **{editor.key_arg: key}))
        editor.discard_draft(module, key, current_user, utcnow())
        return _done(_("Đã bỏ bản nháp."), "authoring.module", module)
    checked = editor.check(module, key, text)
    if action == "preview" or checked.problems:
        preview = editor.preview(text, checked, _resolver(module)) if action == "preview" else {}
        if action == "publish":  # nothing typed is lost: the refused work is kept as the draft
            editor.save_draft(module, item, key, text, current_user, utcnow())
            flash(_("Chưa xuất bản được; mọi nội dung đã nhập được lưu thành bản nháp."), "info")
        return render(problems=checked.problems, body_offset=checked.body_offset, warnings=checked.warnings,
                      **preview), 200 if action == "preview" else 422
    try:
        version = editor.publish(module, item, checked.doc, _resolver(module), current_user, utcnow())
    except services.AuthoringError as error:
        db.session.rollback()  # the view keeps work on errors: a refused publication writes nothing
        return render(refusal=refusal_text(error)), 409
    done = _done(_published(version), "authoring.module", module)
    if checked.warnings:
        flash(ngettext("Lưu ý: %(num)s câu hỏi có dấu hiệu lộ đáp án (xem lại bằng nút Xem trước).",
                       "Lưu ý: %(num)s câu hỏi có dấu hiệu lộ đáp án (xem lại bằng nút Xem trước).",
                       len(checked.warnings)), "info")
    return done


def _item_or_draft(editor: Editor, module: Module, key: str):
    item, draft = editor.find(module, key), editor.get_draft(module, key)
    if (item is None or item.current is None) and draft is None:
        abort(404)
    return item, draft


def _item_with_versions(editor: Editor, module: Module, key: str):
    item = editor.find(module, key)
    if item is None or item.current is None:
        abort(404)
    return item


@each_kind.route("/<module_key>/{items}/new", "new_{kind}", methods=("GET", "POST"))
@keeps_work_on_error  # a refused publication still keeps its draft
@staff_required
def new(editor: Editor, module_key: str):
    """Write a new lesson (numbered after the last one) or case (starting from an example of every question type)."""
    module = module_for_author_or_403(current_user, module_key)
    form, key = editor.new_form(module)
    return _file_editor(Editing(editor, module, None, key), form)


@each_kind.route("/<module_key>/{items}/{key}/edit", "edit_{kind}", methods=("GET", "POST"))
@keeps_work_on_error  # a refused publication still keeps its draft
@staff_required
def edit(editor: Editor, module_key: str, key: str):
    """Edit a lesson or case file, or a new one's draft: preview, save a draft, publish or discard the draft."""
    module = module_for_author_or_403(current_user, module_key)
    item, draft = _item_or_draft(editor, module, key)
    form = editor.edit_form()
    if not form.is_submitted():
        editor.load_form(form, item, draft)
    return _file_editor(Editing(editor, module, item, key, draft), form)


def _file_editor(editing: Editing, form):
    """Render the file editor, or carry out the button pressed on the text it holds."""
    editor = editing.editor
    view = {"module": editing.module, "item": editing.item, "key": editing.key, "draft": editing.draft, "form": form,
            "title": editor.title_of(editing.item, editing.draft)}
    if not form.validate_on_submit():
        return render_template(editor.template, **view), 400 if form.errors else 200
    if (action := request.form.get("action")) not in EDITOR_ACTIONS:
        abort(400)
    return _carry_out(editing, editor.form_text(form, editing.key), action,
                      lambda **extra: render_template(editor.template, **view, **extra), f"authoring.edit_{editor.kind}")


@each_kind.route("/<module_key>/{items}/{key}/versions", "{kind}_versions")
@staff_required
def versions(editor: Editor, module_key: str, key: str):
    """Every version of a lesson or case: who, when, from where; diffs and restore."""
    module = module_for_author_or_403(current_user, module_key)
    item = _item_with_versions(editor, module, key)
    return render_template("authoring/versions.html", module=module, item=item, kind=editor.kind,
                           args={"module_key": module.key, editor.key_arg: key}, title=item.current.title,
                           versions=editor.list_versions(item))


@each_kind.route("/<module_key>/{items}/{key}/versions/<int:version>", "{kind}_diff")
@staff_required
def diff(editor: Editor, module_key: str, key: str, version: int):
    """What a version of a lesson or case changed against the one before it."""
    module = module_for_author_or_403(current_user, module_key)
    item = _item_with_versions(editor, module, key)
    shown = editor.get_version(item, version) or abort(404)
    return render_template("authoring/diff.html", module=module, kind=editor.kind,
                           args={"module_key": module.key, editor.key_arg: key}, version=shown, title=shown.title,
                           lines=editor.diff(item, shown))


@each_kind.route("/<module_key>/{items}/{key}/versions/<int:version>/restore", "restore_{kind}",
                 methods=("GET", "POST"))
@staff_required
def restore(editor: Editor, module_key: str, key: str, version: int):
    """Confirm, then publish an earlier version's text as a new version."""
    module = module_for_author_or_403(current_user, module_key)
    item = _item_with_versions(editor, module, key)
    old = editor.get_version(item, version) or abort(404)
    form, back = EmptyForm(), f"authoring.{editor.kind}_versions"
    if form.validate_on_submit():
        new = editor.restore(item, old, _resolver(module), current_user, utcnow())
        return _done(_("Đã khôi phục: phiên bản %(new)s mang nội dung của phiên bản %(old)s.", new=new.version,
                       old=old.version), back, module, **{editor.key_arg: key})
    return render_template("confirm.html", form=form, question=editor.restore_question(old),
                           cancel=url_for(back, module_key=module.key, **{editor.key_arg: key}))


@each_kind.route("/<module_key>/{items}/{key}.md", "download_{kind}")
@staff_required
def download(editor: Editor, module_key: str, key: str):
    """The current file of a lesson or case, in the content format."""
    module = module_for_author_or_403(current_user, module_key)
    text, name = editor.download(_item_with_versions(editor, module, key))
    return Response(text, content_type="text/markdown; charset=utf-8",
                    headers={"Content-Disposition": f"attachment; filename={name}"})


# The structured case form: another way to write a case's text, fed to the same workflow -------------------

@bp.route("/<module_key>/cases/new/form", methods=["GET", "POST"])
@keeps_work_on_error
@staff_required
def new_case_form(module_key: str):
    """Write a new case in the structured form."""
    module = module_for_author_or_403(current_user, module_key)
    return _case_form(Editing(CASES, module, None, ""), case_form.blank_case())


@bp.route("/<module_key>/cases/<slug>/form", methods=["GET", "POST"])
@keeps_work_on_error
@staff_required
def edit_case_form(module_key: str, slug: str):
    """Edit a case (its draft if any, else its current version) in the structured form."""
    module = module_for_author_or_403(current_user, module_key)
    case, draft = _item_or_draft(CASES, module, slug)
    definition = None if draft else case_definition(case.current, slug)
    if definition and (place := case_form.unrepresented(definition)) is not None:  # never lose a part on save
        flash(unrepresented_text(place), "info")
        return redirect(url_for("authoring.edit_case", module_key=module.key, slug=slug))
    start = case_form.from_text(draft.text, slug) if draft else case_form.from_definition(definition)
    return _case_form(Editing(CASES, module, case, slug, draft), start)


def _case_form(editing: Editing, start: dict):
    """Render the form, apply a structure button, or carry out the button pressed on the case text it builds."""
    item, draft = editing.item, editing.draft
    view = {"module": editing.module, "case": item, "draft": draft, "is_new": item is None and draft is None,
            "title": CASES.title_of(item, draft)}
    if request.method == "GET":
        return _render_case_form(view, start)
    data = case_form.parse_form(request.form)
    data["slug"] = slug = editing.key or data["slug"] or queries.free_case_slug(slugify(data["title"]), editing.module)
    if op := request.form.get("op"):
        try:
            return _render_case_form(view, case_form_ops.apply_op(data, op))
        except case_form_ops.VariantOfBranchingQuestion as refused:
            return _render_case_form(view, data, refusal=refusal_text(refused)), refused.status
        except case_form_ops.FormOpError:
            abort(400)
    if (action := request.form.get("action")) not in EDITOR_ACTIONS:
        abort(400)
    if view["is_new"] and action != "preview" and (slug_error := _slug_error(editing.module, slug)):
        return _render_case_form(view, data, slug_error=slug_error), 400
    return _carry_out(replace(editing, key=slug), case_form.build_text(data), action,
                      lambda **extra: _render_case_form(view, data, **extra), "authoring.edit_case_form")


def _slug_error(module: Module, slug: str) -> str | None:
    if not SLUG_RE.fullmatch(slug or ""):
        return _("Chỉ dùng chữ thường không dấu, chữ số và dấu gạch nối đơn, ví dụ: tranh-chap-loi-di.")
    if queries.is_case_slug_taken(slug, module):
        return _("Mã này đã được một tình huống (hoặc bản nháp) khác dùng.")
    return None


def _render_case_form(view: dict, data: dict, **extra) -> str:
    by_anchor: dict[str, list] = {}
    for problem in extra.get("problems") or []:
        by_anchor.setdefault(case_form.anchor(problem.location), []).append(problem)
    for warning in extra.get("warnings") or []:  # cues, beside the question they concern
        by_anchor.setdefault("warn-" + case_form.anchor(warning.location), []).append(warning)
    return render_template("authoring/case_form.html", data=data, kinds=list(CaseKind), types=list(QuestionType),
                           type_name=question_type_name, effectiveness_label=effectiveness_label,
                           anchor=case_form.anchor, branching=case_form.is_branching, problems_by_anchor=by_anchor,
                           cue_margin=CLEAR_MARGIN, cue_steps=STEP_LIST_MIN, cue_texts=live_cue_texts(), **view, **extra)


# Copies, uploads and the module's details -----------------------------------------------------------------

@bp.post("/<module_key>/cases/<slug>/duplicate")
@staff_required
def duplicate_case(module_key: str, slug: str):
    """Copy a case as a draft under a new slug, then open it in the editor."""
    module = module_for_author_or_403(current_user, module_key)
    case = _item_with_versions(CASES, module, slug)
    form = DuplicateCaseForm()
    if not form.validate_on_submit():
        flash(" ".join(map(str, form.new_slug.errors)) or _("Mã của bản sao không hợp lệ."), "error")
        return redirect(url_for("authoring.module", module_key=module.key))
    try:
        services.duplicate_case(module, case, form.new_slug.data, current_user, utcnow())
    except services.AuthoringError as error:
        flash(refusal_text(error), "error")
        return redirect(url_for("authoring.module", module_key=module.key))
    return _done(_("Đã tạo bản sao dạng bản nháp; sửa rồi xuất bản."), "authoring.edit_case", module,
                 slug=form.new_slug.data)


@bp.route("/<module_key>/upload", methods=["GET", "POST"])
@staff_required
def upload(module_key: str):
    """Publish a lesson or case from a content file, only once it validates."""
    module = module_for_author_or_403(current_user, module_key)
    form = UploadForm()
    if not form.validate_on_submit():
        return render_template("authoring/upload.html", module=module, form=form), 400 if form.errors else 200
    editor, name = EDITORS[form.kind.data], form.file.data.filename or ""
    checked = editor.check_upload(module, name, form.file.data.read())
    if checked.problems:
        return render_template("authoring/upload.html", module=module, form=form, problems=checked.problems,
                               name=name), 422
    existing = editor.find(module, editor.key_of_doc(checked.doc))
    try:
        version = editor.publish(module, existing, checked.doc, _resolver(module), current_user, utcnow(),
                                 via="upload")
    except services.AuthoringError as error:
        return render_template("authoring/upload.html", module=module, form=form, refusal=refusal_text(error)), 409
    return _done(_published(version, uploaded=True), "authoring.module", module)


@bp.route("/<module_key>/settings", methods=["GET", "POST"])
@staff_required
def edit_module(module_key: str):
    """The module's details form; saved only when the content validator accepts them."""
    module = module_for_author_or_403(current_user, module_key)
    form, values, problems = EmptyForm(), module_details.current_values(module), []
    if form.validate_on_submit():
        values = module_details.posted_values(request.form, module_details.current_values(module))
        doc, problems = module_details.check_details(module, values)
        if doc is not None and not problems:
            services.save_module_details(module, doc, _resolver(module), current_user, utcnow())
            return _done(_("Đã lưu thông tin chuyên đề."), "authoring.module", module)
    return render_template("authoring/module_settings.html", module=module, form=form, values=values,
                           problems=problems), 422 if problems else 200
