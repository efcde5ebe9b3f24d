"""Reading and writing a case's cohort discussion: the discussion page (the instructor's note, how the class
chose, the threads), a thread with its replies, new threads, replies, edits, follows and reports.

Plain forms, no JavaScript needed; new posts appear on reload.
"""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.auth.access import login_required
from lms.auth.forms import EmptyForm
from lms.auth.policy import can_moderate_discussion, can_read_discussion, case_standing, is_enrolled
from lms.cases.wording import effectiveness_label
from lms.catalog.queries import get_published_case
from lms.cohorts.queries import current_cohort_id, has_learners, list_cohorts_for
from lms.database import utcnow
from lms.discussions import queries, services
from lms.discussions.wording import discussion_error
from lms.domain import discussion as rules
from lms.domain.errors import DomainError
from lms.extensions import db
from lms.models import Case, Cohort, Discussion, DiscussionPost
from lms.pagination import db_int

bp = Blueprint("discussions", __name__, template_folder="templates")


@bp.context_processor
def _helpers() -> dict:
    return {"effectiveness_label": effectiveness_label, "zip": zip,
            "min_class": current_app.config["DISCUSSION_MIN_CLASS"]}


def case_or_404(slug: str) -> Case:
    """The case with a published version, or 404."""
    return get_published_case(slug) or abort(404)


def _readable(case: Case, cohort_id: int) -> None:
    if not can_read_discussion(current_user, case, cohort_id, utcnow()):
        abort(403)


def _thread_or_404(thread_id: int) -> DiscussionPost:
    thread = db.session.get(DiscussionPost, thread_id)
    if thread is None or not thread.is_thread:
        abort(404)
    _readable(thread.discussion.case, thread.discussion.cohort_id)
    return thread


def _context(case: Case, cohort_id: int, posts: list[DiscussionPost]) -> dict:
    """What every discussion page shows beside the posts."""
    return {"case": case, "cohort": db.session.get(Cohort, cohort_id), "form": EmptyForm(),
            "instructors": queries.instructor_ids(cohort_id), "badges": queries.choice_badges(current_user, posts, case),
            "moderator": can_moderate_discussion(current_user, cohort_id), "now": utcnow(),
            "edit_minutes": current_app.config["DISCUSSION_EDIT_MINUTES"], "max_body": rules.MAX_BODY}


@bp.get("/cases/<slug>/discussion")
@login_required
def pick(slug: str):
    """A learner goes to their cohort's discussion of the case; staff choose one of the cohorts they teach."""
    case = case_or_404(slug)
    if current_user.is_staff:
        return render_template("discussions/pick_cohort.html", case=case, cohorts=list_cohorts_for(current_user))
    cohort_id = current_cohort_id(current_user.id)
    if cohort_id is None:
        abort(403)
    return redirect(url_for("discussions.index", cohort_id=cohort_id, slug=slug))


@bp.get("/cohorts/<int:cohort_id>/cases/<slug>/discussion")
@login_required
def index(cohort_id: int, slug: str):
    """The note, how the class chose, and the threads; a learner who may not read yet is told when they may."""
    case, now = case_or_404(slug), utcnow()
    submitted, released = case_standing(current_user, case, now)
    if not can_read_discussion(current_user, case, cohort_id, now):
        if current_user.is_staff or not is_enrolled(current_user, cohort_id):
            abort(403)
        return render_template("discussions/locked.html", case=case, submitted=submitted), 403
    discussion = services.find_discussion(case, cohort_id)
    page = queries.threads(discussion, request.args.get("page", 1, type=db_int)) if discussion else None
    choices = queries.class_choices(case, cohort_id, current_app.config["DISCUSSION_MIN_CLASS"])
    context = _context(case, cohort_id, page.items if page else [])
    return render_template("discussions/index.html", discussion=discussion, page=page, choices=choices,
                           key_visible=released or current_user.is_staff, typed={},
                           no_learners=context["moderator"] and not has_learners(cohort_id), **context)


@bp.post("/cohorts/<int:cohort_id>/cases/<slug>/discussion")
@login_required
def start(cohort_id: int, slug: str):
    """Start a thread; the form comes back with what was typed when it is refused."""
    case = case_or_404(slug)
    _readable(case, cohort_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    typed = {"title": request.form.get("title", ""), "body": request.form.get("body", ""),
             "show_choice": bool(request.form.get("show_choice"))}
    try:
        thread = services.start_thread(services.discussion_for(case, cohort_id, utcnow()), current_user,
                                       typed["title"], typed["body"], typed["show_choice"], utcnow())
    except DomainError as error:
        flash(discussion_error(error), "error")
        return render_template("discussions/new_thread.html", typed=typed, **_context(case, cohort_id, [])), error.status
    flash(_("Đã đăng chủ đề thảo luận."), "success")
    return redirect(url_for("discussions.thread", thread_id=thread.id))


@bp.get("/discussion/threads/<int:thread_id>")
@login_required
def thread(thread_id: int):
    """A thread with its replies (paged) and the reply form; ?quote=<post> opens the reply quoting that post."""
    thread = _thread_or_404(thread_id)
    discussion = thread.discussion
    page = queries.replies(thread, request.args.get("page", 1, type=db_int))
    quoted = db.session.get(DiscussionPost, request.args.get("quote", 0, type=db_int) or 0)
    body = rules.quotation(quoted.author.full_name, quoted.body_md) \
        if quoted and quoted.discussion_id == discussion.id and quoted.hidden_at is None else ""
    return render_template("discussions/thread.html", thread=thread, discussion=discussion, page=page,
                           typed={"body": body}, following=queries.is_following(current_user, thread),
                           **_context(discussion.case, discussion.cohort_id, [thread, *page.items]))


@bp.post("/discussion/threads/<int:thread_id>")
@login_required
def reply(thread_id: int):
    """Reply in a thread; followers are told."""
    thread = _thread_or_404(thread_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    typed = {"body": request.form.get("body", ""), "show_choice": bool(request.form.get("show_choice"))}
    try:
        post = services.reply(thread, current_user, typed["body"], typed["show_choice"], utcnow(),
                              url_for("discussions.thread", thread_id=thread.id))
    except DomainError as error:
        flash(discussion_error(error), "error")
        discussion = thread.discussion
        return render_template("discussions/thread.html", thread=thread, discussion=discussion, typed=typed,
                               page=queries.replies(thread, 1), following=queries.is_following(current_user, thread),
                               **_context(discussion.case, discussion.cohort_id, [thread])), error.status
    flash(_("Đã đăng trả lời."), "success")
    return redirect(post_url(post))


@bp.post("/discussion/threads/<int:thread_id>/follow")
@login_required
def follow(thread_id: int):
    """Follow a thread (be told of replies) or stop following it."""
    thread = _thread_or_404(thread_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    following = request.form.get("follow") == "1"
    services.follow(current_user, thread, following)
    flash(_("Đồng chí sẽ được báo khi có trả lời mới.") if following else _("Đã thôi theo dõi chủ đề."), "success")
    return redirect(url_for("discussions.thread", thread_id=thread.id))


def post_url(post: DiscussionPost) -> str:
    """Where a post is read: its thread, on the page that holds it, at its anchor."""
    if post.is_thread:
        return url_for("discussions.thread", thread_id=post.id, _anchor=f"post-{post.id}")
    page = queries.reply_position(post) // queries.REPLIES_PER_PAGE + 1
    return url_for("discussions.thread", thread_id=post.thread_id, page=page if page > 1 else None,
                   _anchor=f"post-{post.id}")


def _post_or_404(post_id: int) -> DiscussionPost:
    post = db.session.get(DiscussionPost, post_id)
    if post is None:
        abort(404)
    _readable(post.discussion.case, post.discussion.cohort_id)
    return post


@bp.route("/discussion/posts/<int:post_id>/edit", methods=["GET", "POST"])
@login_required
def edit(post_id: int):
    """The author rewrites a post within the edit window."""
    post = _post_or_404(post_id)
    if post.author_id != current_user.id:
        abort(403)
    form, status = EmptyForm(), 200
    typed = {"title": request.form.get("title", post.title or ""), "body": request.form.get("body", post.body_md)}
    if form.validate_on_submit():
        try:
            services.edit(post, current_user, typed["body"], typed["title"], utcnow())
            flash(_("Đã lưu bài sửa."), "success")
            return redirect(post_url(post))
        except DomainError as error:
            flash(discussion_error(error), "error")
            status = error.status
    return render_template("discussions/edit.html", post=post, typed=typed, form=form), status


@bp.route("/discussion/posts/<int:post_id>/report", methods=["GET", "POST"])
@login_required
def report(post_id: int):
    """Report a post to the cohort's instructors, with a reason."""
    post = _post_or_404(post_id)
    form, status, reason = EmptyForm(), 200, request.form.get("reason", "")
    if form.validate_on_submit():
        try:
            done = services.report(post, current_user, reason, utcnow())
            flash(_("Đã gửi báo cáo tới giảng viên. Cảm ơn đồng chí.") if done
                  else _("Đồng chí đã báo cáo bài này trước đó."), "success")
            return redirect(post_url(post))
        except DomainError as error:
            flash(discussion_error(error), "error")
            status = error.status
    return render_template("discussions/report.html", post=post, reason=reason, form=form), status


def discussion_or_404(discussion_id: int) -> Discussion:
    """The discussion, for its moderators only."""
    discussion = db.session.get(Discussion, discussion_id)
    if discussion is None:
        abort(404)
    if not can_moderate_discussion(current_user, discussion.cohort_id):
        abort(403)
    return discussion
