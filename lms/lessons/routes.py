"""Module list, module pages, lesson pages with their 'studied' mark, and search."""
from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup

from lms.auth.access import login_required, roles_required
from lms.auth.forms import EmptyForm
from lms.catalog.outline import course_outline, outline_module
from lms.catalog.search import search as search_catalog
from lms.database import utcnow
from lms.feedback.queries import invites_on_module_page
from lms.i18n import current_language, fmt_score
from lms.i18n import gettext as _
from lms.lessons import queries, services
from lms.models import Role
from lms.pagination import db_int

bp = Blueprint("lessons", __name__, template_folder="templates")
WORDS_PER_MINUTE = 200
STUDIED = "<!--studied:{}-->"  # where a lesson's "studied" badge goes in a kept chuyên đề page
CASE_MARK = "<!--case:{}-->"  # where the learner's standing on a case goes
FEEDBACK_MARK = "<!--feedback-->"  # where a learner who passed the chuyên đề is invited to give feedback on it


def _module_or_404(module_key: str):
    module = outline_module(module_key)
    if module is None:
        abort(404)
    return module


def _lesson_or_404(module, lesson_key: str):
    lesson = next((lesson for lesson in module.lessons if lesson.key == lesson_key and lesson.current), None)
    if lesson is None:
        abort(404)
    return lesson


@bp.get("/modules")
@login_required
def index():
    """The 18 modules with the learner's progress in each."""
    outline = course_outline()
    cards = outline.keep(("catalogue cards", current_language()), lambda: {
        m.id: Markup(render_template("lessons/_module_card.html", module=m)) for m in outline.modules})
    return render_template("lessons/index.html", summaries=queries.list_modules(current_user, outline), cards=cards)


@bp.get("/modules/<module_key>")
@login_required
def module(module_key: str):
    """A module: objectives, references, lessons and cases."""
    module, outline = _module_or_404(module_key), course_outline()  # the same outline: read once per request
    body = outline.keep(("module page", module.id, current_language(), current_user.is_staff), lambda: render_template(
        "lessons/_module_body.html", module=module, studied_mark=lambda lesson_id: Markup(STUDIED.format(lesson_id)),
        case_mark=lambda case_id: Markup(CASE_MARK.format(case_id))))
    badge = Markup('<span class="badge ok">✓ {}</span>').format(_("Đã học"))
    for lesson_id in queries.studied_lesson_ids(current_user, module):
        body = body.replace(STUDIED.format(lesson_id), badge)
    for case_id, standing in queries.case_standings(current_user, module).items():
        body = body.replace(CASE_MARK.format(case_id), _case_badge(standing))
    if current_user.is_learner and invites_on_module_page(current_user.id, module):
        body = body.replace(FEEDBACK_MARK, _feedback_invitation(module))
    return render_template("lessons/module.html", module=module, body=Markup(body))


def _feedback_invitation(module) -> Markup:
    return Markup('<p class="feedback-invite">{} <a href="{}">{} ›</a></p>').format(
        _("Đồng chí đã đạt chuyên đề này."), url_for("feedback.module", module_key=module.key),
        _("Góp ý về chuyên đề (phiếu ẩn danh, khoảng 1 phút)"))


def _case_badge(standing: queries.CaseStanding) -> Markup:
    if standing.state == "graded":
        return Markup('<span class="badge ok">✓ {}</span>').format(
            _("Đã chấm: %(s)s điểm", s=fmt_score(standing.score)))
    if standing.state == "awaiting_review":
        return Markup('<span class="badge">{}</span>').format(_("Đã nộp, chờ chấm"))
    return Markup('<span class="badge warn">{}</span>').format(_("Đang làm dở"))


@bp.get("/modules/<module_key>/lessons/<lesson_key>")
@login_required
def lesson(module_key: str, lesson_key: str):
    """A lesson with previous/next navigation, reading time and the studied mark."""
    module = _module_or_404(module_key)
    lesson = _lesson_or_404(module, lesson_key)
    lessons = [item for item in module.lessons if item.current]
    index = lessons.index(lesson)
    return render_template("lessons/lesson.html", module=module, lesson=lesson, version=lesson.current,
                           previous=lessons[index - 1] if index else None,
                           next=lessons[index + 1] if index + 1 < len(lessons) else None,
                           minutes=max(1, round(lesson.current.word_count / WORDS_PER_MINUTE)),
                           studied=lesson.id in queries.studied_lesson_ids(current_user, module), form=EmptyForm())


@bp.post("/modules/<module_key>/lessons/<lesson_key>/studied")
@roles_required(Role.LEARNER)
def mark_studied(module_key: str, lesson_key: str):
    """Mark (or unmark) a lesson as studied."""
    module = _module_or_404(module_key)
    lesson = _lesson_or_404(module, lesson_key)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if request.form.get("undo"):
        services.unmark_studied(current_user, lesson)
    else:
        services.mark_studied(current_user, lesson, utcnow())
    return redirect(url_for("lessons.lesson", module_key=module.key, lesson_key=lesson.key) + "#studied")


@bp.get("/search")
@login_required
def search():
    """Search lessons and cases, best first, with or without accents: 'xu ly tinh huong' finds 'xử lý tình huống'."""
    query = request.args.get("q", "").strip()[:200]
    page = request.args.get("page", 1, type=db_int)
    return render_template("lessons/search.html", query=query, results=search_catalog(query, page) if query else None)
