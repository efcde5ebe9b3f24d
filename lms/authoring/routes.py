"""Authoring in the browser: a module's lessons and cases, their editors, versions, downloads and uploads."""
from __future__ import annotations

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
from flask_login import current_user

from lms.auth.access import staff_required
from lms.auth.forms import EmptyForm
from lms.auth.policy import module_for_author_or_403
from lms.authoring import queries, services, texts
from lms.authoring.forms import (
    EDITOR_ACTIONS,
    CaseForm,
    DuplicateCaseForm,
    LessonForm,
    NewCaseForm,
    NewLessonForm,
    UploadForm,
)
from lms.authoring.messages import (
    authoring_error,
    problem_location,
    problem_text,
    source_label,
)
from lms.catalog.store import render_case
from lms.catalog.urls import resolver_factory
from lms.content.frontmatter import normalize_text
from lms.content.render import render_markdown
from lms.database import utcnow

bp = Blueprint("authoring", __name__, url_prefix="/instructor/modules", template_folder="templates")


@bp.app_context_processor
def _helpers():
    def authored_modules():
        return queries.list_authored_modules(current_user) if current_user.is_authenticated else []

    return {"authored_modules": authored_modules, "problem_text": problem_text,
            "problem_location": problem_location, "source_label": source_label}


def _resolver(module):
    return resolver_factory(current_app)(module.key)


def _home(module):
    return redirect(url_for("authoring.module", module_key=module.key))


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


# Lessons ---------------------------------------------------------------------------------------------------

def _lesson_or_draft(module, lesson_key: str):
    lesson, draft = queries.get_lesson(module, lesson_key), queries.get_draft(module, "lesson", lesson_key)
    if (lesson is None or lesson.current is None) and draft is None:
        abort(404)
    return lesson, draft


def _lesson_with_versions(module, lesson_key: str):
    lesson = queries.get_lesson(module, lesson_key)
    if lesson is None or lesson.current is None:
        abort(404)
    return lesson


@bp.route("/<module_key>/lessons/new", methods=["GET", "POST"])
@staff_required
def new_lesson(module_key: str):
    """Write a new lesson, numbered after the last one."""
    module = module_for_author_or_403(current_user, module_key)
    form = NewLessonForm()
    form.taken_slugs = queries.taken_lesson_slugs(module)
    number = queries.next_lesson_number(module)
    key = f"{number:02d}-{form.slug.data or ''}"
    return _lesson_editor(module, None, key, form, None)


@bp.route("/<module_key>/lessons/<lesson_key>/edit", methods=["GET", "POST"])
@staff_required
def edit_lesson(module_key: str, lesson_key: str):
    """Edit a lesson, or a new lesson's draft: preview, save a draft, publish or discard the draft."""
    module = module_for_author_or_403(current_user, module_key)
    lesson, draft = _lesson_or_draft(module, lesson_key)
    form = LessonForm()
    if not form.is_submitted():
        source = texts.lesson_fields(draft.text) if draft else (lesson.current.title, lesson.current.summary,
                                                                 lesson.current.body_md)
        form.title.data, form.summary.data, form.body.data = source
    return _lesson_editor(module, lesson, lesson_key, form, draft)


def _lesson_editor(module, lesson, key, form, draft):
    """Render the lesson editor, or carry out the button pressed."""
    view = {"module": module, "lesson": lesson, "key": key, "form": form, "draft": draft}
    if not form.validate_on_submit():
        return render_template("authoring/lesson_editor.html", **view), 400 if form.errors else 200
    action, number = request.form.get("action"), int(key[:2])
    if action not in EDITOR_ACTIONS:
        abort(400)
    text = texts.lesson_file(number, key[3:], form.title.data or "", form.summary.data or "", form.body.data or "")
    if action == "draft":
        services.save_draft(module, "lesson", key, text, _version_of(lesson), current_user, utcnow())
        return _done(_("Đã lưu bản nháp."), "authoring.edit_lesson", module, lesson_key=key)
    if action == "discard":
        services.discard_draft(module, "lesson", key, current_user, utcnow())
        return _done(_("Đã bỏ bản nháp."), "authoring.module", module)
    doc, problems = texts.check_lesson(text, key, queries.get_link_index(lesson=(module.key, key)), module.key)
    if action == "preview" or problems:
        preview = render_markdown(form.body.data or "", _resolver(module)) if action == "preview" else None
        return render_template("authoring/lesson_editor.html", preview=preview, problems=problems,
                               body_offset=texts.body_offset(text), **view), 422 if action != "preview" else 200
    try:
        version = services.publish_lesson(module, lesson, doc, _resolver(module), current_user, utcnow())
    except services.AuthoringError as error:
        return render_template("authoring/lesson_editor.html", refusal=authoring_error(error), **view), 409
    return _done(_("Đã xuất bản phiên bản %(v)s.", v=version.version) if version else
                 _("Nội dung không khác phiên bản hiện hành; không tạo phiên bản mới."), "authoring.module", module)


def _version_of(item) -> int | None:
    return item.current.version if item is not None and item.current is not None else None


def _done(message: str, endpoint: str, module, **args):
    flash(message, "success")
    return redirect(url_for(endpoint, module_key=module.key, **args))


@bp.get("/<module_key>/lessons/<lesson_key>/versions")
@staff_required
def lesson_versions(module_key: str, lesson_key: str):
    """Every version of a lesson: who, when, from where; diffs and restore."""
    module = module_for_author_or_403(current_user, module_key)
    lesson = _lesson_with_versions(module, lesson_key)
    return render_template("authoring/versions.html", module=module, item=lesson, kind="lesson",
                           args={"module_key": module.key, "lesson_key": lesson.key},
                           title=lesson.current.title, versions=queries.list_lesson_versions(lesson))


@bp.get("/<module_key>/lessons/<lesson_key>/versions/<int:version>")
@staff_required
def lesson_diff(module_key: str, lesson_key: str, version: int):
    """What a lesson version changed against the one before it."""
    module = module_for_author_or_403(current_user, module_key)
    lesson = _lesson_with_versions(module, lesson_key)
    new = queries.get_lesson_version(lesson, version) or abort(404)
    old = queries.get_lesson_version(lesson, version - 1)
    lines = texts.diff_lines(queries.lesson_text(lesson, old), queries.lesson_text(lesson, new),
                             f"v{version - 1}", f"v{version}")
    return render_template("authoring/diff.html", module=module, kind="lesson",
                           args={"module_key": module.key, "lesson_key": lesson.key}, version=new,
                           title=new.title, lines=lines)


@bp.route("/<module_key>/lessons/<lesson_key>/versions/<int:version>/restore", methods=["GET", "POST"])
@staff_required
def restore_lesson(module_key: str, lesson_key: str, version: int):
    """Confirm, then publish an earlier lesson version's text as a new version."""
    module = module_for_author_or_403(current_user, module_key)
    lesson = _lesson_with_versions(module, lesson_key)
    old = queries.get_lesson_version(lesson, version) or abort(404)
    form, back = EmptyForm(), url_for("authoring.lesson_versions", module_key=module.key, lesson_key=lesson.key)
    if form.validate_on_submit():
        new = services.restore_lesson_version(lesson, old, _resolver(module), current_user, utcnow())
        return _done(_("Đã khôi phục: phiên bản %(new)s mang nội dung của phiên bản %(old)s.", new=new.version,
                       old=old.version), "authoring.lesson_versions", module, lesson_key=lesson.key)
    return render_template("confirm.html", form=form, cancel=back, question=_(
        "Khôi phục phiên bản %(v)s của bài %(t)s? Hệ thống tạo một phiên bản mới; các phiên bản cũ giữ nguyên.",
        v=old.version, t=old.title))


@bp.get("/<module_key>/lessons/<lesson_key>.md")
@staff_required
def download_lesson(module_key: str, lesson_key: str):
    """The lesson's current file in the content format."""
    module = module_for_author_or_403(current_user, module_key)
    lesson = _lesson_with_versions(module, lesson_key)
    return _markdown_file(queries.lesson_text(lesson, lesson.current), f"{lesson.key}.md")


def _markdown_file(text: str, name: str) -> Response:
    return Response(text, content_type="text/markdown; charset=utf-8",
                    headers={"Content-Disposition": f"attachment; filename={name}"})


# Cases -----------------------------------------------------------------------------------------------------

def _case_or_draft(module, slug: str):
    case, draft = queries.get_case(module, slug), queries.get_draft(module, "case", slug)
    if (case is None or case.current is None) and draft is None:
        abort(404)
    return case, draft


def _case_with_versions(module, slug: str):
    case = queries.get_case(module, slug)
    if case is None or case.current is None:
        abort(404)
    return case


@bp.route("/<module_key>/cases/new", methods=["GET", "POST"])
@staff_required
def new_case(module_key: str):
    """Write a new case, starting from a complete example of every question type."""
    module = module_for_author_or_403(current_user, module_key)
    form = NewCaseForm(is_slug_taken=lambda slug: queries.is_case_slug_taken(slug, module))
    if not form.is_submitted():
        form.text.data = texts.case_template()
    return _case_editor(module, None, form.slug.data or "", form, None)


@bp.route("/<module_key>/cases/<slug>/edit", methods=["GET", "POST"])
@staff_required
def edit_case(module_key: str, slug: str):
    """Edit a case file, or a new case's draft: preview, save a draft, publish or discard the draft."""
    module = module_for_author_or_403(current_user, module_key)
    case, draft = _case_or_draft(module, slug)
    form = CaseForm()
    if not form.is_submitted():
        form.text.data = draft.text if draft else case.current.source_md
    return _case_editor(module, case, slug, form, draft)


def _case_editor(module, case, slug, form, draft):
    """Render the case editor, or carry out the button pressed."""
    view = {"module": module, "case": case, "slug": slug, "form": form, "draft": draft}
    if not form.validate_on_submit():
        return render_template("authoring/case_editor.html", **view), 400 if form.errors else 200
    action, text = request.form.get("action"), normalize_text(form.text.data or "")
    if action not in EDITOR_ACTIONS:
        abort(400)
    if action == "draft":
        services.save_draft(module, "case", slug, text, _version_of(case), current_user, utcnow())
        return _done(_("Đã lưu bản nháp."), "authoring.edit_case", module, slug=slug)
    if action == "discard":
        services.discard_draft(module, "case", slug, current_user, utcnow())
        return _done(_("Đã bỏ bản nháp."), "authoring.module", module)
    definition, problems = texts.check_case(text, slug, queries.get_link_index(case=slug), module.key)
    if action == "preview" or problems:
        rendered = render_case(definition, _resolver(module)) if definition and action == "preview" else None
        return render_template("authoring/case_editor.html", definition=definition, rendered=rendered,
                               problems=problems, **view), 422 if action != "preview" else 200
    try:
        version = services.publish_case(module, case, definition, _resolver(module), current_user, utcnow())
    except services.AuthoringError as error:
        return render_template("authoring/case_editor.html", refusal=authoring_error(error), **view), 409
    return _done(_("Đã xuất bản phiên bản %(v)s.", v=version.version) if version else
                 _("Nội dung không khác phiên bản hiện hành; không tạo phiên bản mới."), "authoring.module", module)


@bp.post("/<module_key>/cases/<slug>/duplicate")
@staff_required
def duplicate_case(module_key: str, slug: str):
    """Copy a case as a draft under a new slug, then open it in the editor."""
    module = module_for_author_or_403(current_user, module_key)
    case = _case_with_versions(module, slug)
    form = DuplicateCaseForm()
    if not form.validate_on_submit():
        flash(" ".join(map(str, form.new_slug.errors)) or _("Mã của bản sao không hợp lệ."), "error")
        return _home(module)
    try:
        services.duplicate_case(module, case, form.new_slug.data, current_user, utcnow())
    except services.AuthoringError as error:
        flash(authoring_error(error), "error")
        return _home(module)
    return _done(_("Đã tạo bản sao dạng bản nháp; sửa rồi xuất bản."), "authoring.edit_case", module,
                 slug=form.new_slug.data)


@bp.get("/<module_key>/cases/<slug>/versions")
@staff_required
def case_versions(module_key: str, slug: str):
    """Every version of a case: who, when, from where; diffs and restore."""
    module = module_for_author_or_403(current_user, module_key)
    case = _case_with_versions(module, slug)
    return render_template("authoring/versions.html", module=module, item=case, kind="case",
                           args={"module_key": module.key, "slug": case.slug},
                           title=case.current.title, versions=queries.list_case_versions(case))


@bp.get("/<module_key>/cases/<slug>/versions/<int:version>")
@staff_required
def case_diff(module_key: str, slug: str, version: int):
    """What a case version changed against the one before it."""
    module = module_for_author_or_403(current_user, module_key)
    case = _case_with_versions(module, slug)
    new = queries.get_case_version(case, version) or abort(404)
    old = queries.get_case_version(case, version - 1)
    lines = texts.diff_lines(old.source_md if old else "", new.source_md, f"v{version - 1}", f"v{version}")
    return render_template("authoring/diff.html", module=module, kind="case",
                           args={"module_key": module.key, "slug": case.slug}, version=new,
                           title=new.title, lines=lines)


@bp.route("/<module_key>/cases/<slug>/versions/<int:version>/restore", methods=["GET", "POST"])
@staff_required
def restore_case(module_key: str, slug: str, version: int):
    """Confirm, then publish an earlier case version's text as a new version."""
    module = module_for_author_or_403(current_user, module_key)
    case = _case_with_versions(module, slug)
    old = queries.get_case_version(case, version) or abort(404)
    form, back = EmptyForm(), url_for("authoring.case_versions", module_key=module.key, slug=case.slug)
    if form.validate_on_submit():
        new = services.restore_case_version(case, old, _resolver(module), current_user, utcnow())
        return _done(_("Đã khôi phục: phiên bản %(new)s mang nội dung của phiên bản %(old)s.", new=new.version,
                       old=old.version), "authoring.case_versions", module, slug=case.slug)
    return render_template("confirm.html", form=form, cancel=back, question=_(
        "Khôi phục phiên bản %(v)s của tình huống %(t)s? Hệ thống tạo một phiên bản mới; các bài làm cũ vẫn giữ "
        "phiên bản đã làm.", v=old.version, t=old.title))


@bp.get("/<module_key>/cases/<slug>.md")
@staff_required
def download_case(module_key: str, slug: str):
    """The case's current file in the content format."""
    module = module_for_author_or_403(current_user, module_key)
    case = _case_with_versions(module, slug)
    return _markdown_file(case.current.source_md, f"{case.slug}.md")


# Upload ----------------------------------------------------------------------------------------------------

@bp.route("/<module_key>/upload", methods=["GET", "POST"])
@staff_required
def upload(module_key: str):
    """Publish a lesson or case from a content file, only once it validates."""
    module = module_for_author_or_403(current_user, module_key)
    form = UploadForm()
    if not form.validate_on_submit():
        return render_template("authoring/upload.html", module=module, form=form), 400 if form.errors else 200
    name = form.file.data.filename or ""
    item, problems = _check_upload(module, form.kind.data, name, form.file.data.read())
    if problems:
        return render_template("authoring/upload.html", module=module, form=form, problems=problems, name=name), 422
    publish = services.publish_lesson if form.kind.data == "lesson" else services.publish_case
    existing = (queries.get_lesson(module, item.key) if form.kind.data == "lesson"
                else queries.get_case(module, item.slug))
    try:
        version = publish(module, existing, item, _resolver(module), current_user, utcnow(), via="upload")
    except services.AuthoringError as error:
        return render_template("authoring/upload.html", module=module, form=form, refusal=authoring_error(error)), 409
    return _done(_("Đã tải lên và xuất bản phiên bản %(v)s.", v=version.version) if version else
                 _("Nội dung không khác phiên bản hiện hành; không tạo phiên bản mới."), "authoring.module", module)


def _check_upload(module, kind: str, name: str, data: bytes):
    """The validated lesson or case in an uploaded file, or its problems."""
    text, problems = texts.decode_upload(data)
    if text is None:
        return None, problems
    stem = name.rsplit("/", 1)[-1].removesuffix(".md")
    if kind == "lesson":
        return texts.check_lesson(text, stem, queries.get_link_index(lesson=(module.key, stem)), module.key)
    return texts.check_case(text, stem, queries.get_link_index(case=stem), module.key)
