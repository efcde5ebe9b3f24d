"""Posting, editing, reporting and moderating in a case's cohort discussion. Units of work that flush, never commit.

Every moderation (hide, restore, dismissing reports, exemplary, the note, closing) is written to the audit log;
a hidden or restored post's author is told why. Posting is rate-limited per person in the database, so the limit
holds across every worker.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

import lms.audit as audit
from lms.auth.policy import discussion_readers
from lms.content.render import render_post
from lms.domain import discussion as rules
from lms.domain.errors import DomainError
from lms.extensions import db
from lms.models import (
    Case,
    Discussion,
    DiscussionPost,
    Event,
    PostReport,
    ThreadFollow,
    User,
)
from lms.notifications.services import deliveries, notify, notify_all
from lms.rate_limits import hit_rate_limit

log = logging.getLogger(__name__)


class DiscussionError(DomainError):
    """A post or a moderation the rules refuse; `code` says why (see lms.discussions.wording)."""

    status = 400


def find_discussion(case: Case, cohort_id: int) -> Discussion | None:
    """The case's discussion in the cohort, if anyone has opened it."""
    return db.session.scalar(select(Discussion).filter_by(case_id=case.id, cohort_id=cohort_id))


def discussion_for(case: Case, cohort_id: int, now: datetime) -> Discussion:
    """The case's discussion in the cohort, created the first time (two first posts at once make one)."""
    found = find_discussion(case, cohort_id)
    if found is not None:
        return found
    try:
        with db.session.begin_nested():
            created = Discussion(case_id=case.id, cohort_id=cohort_id, created_at=now)
            db.session.add(created)
    except IntegrityError:
        return find_discussion(case, cohort_id)
    return created


def _check(problems: list[tuple[str, dict]]) -> None:
    if problems:
        code, params = problems[0]
        raise DiscussionError(code, **params)


def _open_for_posting(discussion: Discussion, author: User, now: datetime) -> None:
    if discussion.closed_at is not None:
        raise DiscussionError("closed", status=409)
    config = current_app.config
    if hit_rate_limit("discussion-post", str(author.id), config["DISCUSSION_RATE_LIMIT"],
                      timedelta(seconds=config["DISCUSSION_RATE_WINDOW_SECONDS"]), now):
        raise DiscussionError("rate_limited", status=429, minutes=max(config["DISCUSSION_RATE_WINDOW_SECONDS"] // 60, 1))


def start_thread(discussion: Discussion, author: User, title: str, body: str, show_choice: bool,
                 now: datetime) -> DiscussionPost:
    """A new thread; its author follows it."""
    title, body = (title or "").strip(), (body or "").strip()
    _check(rules.post_problems(body, title))
    _open_for_posting(discussion, author, now)
    post = DiscussionPost(discussion_id=discussion.id, author_id=author.id, title=title, body_md=body,
                          body_html=render_post(body), created_at=now, last_activity_at=now, reply_count=0,
                          show_choice=show_choice)
    db.session.add(post)
    db.session.flush()
    db.session.add(ThreadFollow(user_id=author.id, thread_id=post.id))
    db.session.flush()
    log.info("thread %s started by user %s in discussion %s", post.id, author.id, discussion.id)
    return post


def reply(thread: DiscussionPost, author: User, body: str, show_choice: bool, now: datetime, url: str
          ) -> DiscussionPost:
    """A reply in the thread; everyone following it (but its author) is told, as each of them chose."""
    body = (body or "").strip()
    _check(rules.post_problems(body))
    _open_for_posting(thread.discussion, author, now)
    post = DiscussionPost(discussion_id=thread.discussion_id, thread_id=thread.id, author_id=author.id, body_md=body,
                          body_html=render_post(body), created_at=now, last_activity_at=now, show_choice=show_choice)
    db.session.add(post)
    db.session.execute(update(DiscussionPost).where(DiscussionPost.id == thread.id).values(
        reply_count=DiscussionPost.reply_count + 1, last_activity_at=now))
    db.session.flush()
    followers = db.session.scalars(select(User).join(ThreadFollow, ThreadFollow.user_id == User.id).where(
        ThreadFollow.thread_id == thread.id, User.id != author.id, User.is_active_account.is_(True))).all()
    chosen = deliveries([f.id for f in followers], Event.DISCUSSION_REPLY)
    for follower in followers:
        notify(follower, Event.DISCUSSION_REPLY, {"title": thread.title or "", "author": author.full_name},
               f"{url}#post-{post.id}", now, key=f"discussion-reply:{post.id}:{follower.id}",
               delivery=chosen[follower.id])
    return post


def edit(post: DiscussionPost, actor: User, body: str, title: str | None, now: datetime) -> DiscussionPost:
    """The author rewrites their post within the edit window; the post then shows it was edited."""
    if post.author_id != actor.id:
        raise DiscussionError("not_author", status=403)
    if post.hidden_at is not None:
        raise DiscussionError("hidden", status=409)
    window = timedelta(minutes=current_app.config["DISCUSSION_EDIT_MINUTES"])
    if not rules.may_edit(post.created_at, now, window):
        raise DiscussionError("edit_window", status=409, minutes=int(window.total_seconds() // 60))
    if post.discussion.closed_at is not None:
        raise DiscussionError("closed", status=409)
    body = (body or "").strip()
    title = (title or "").strip() if post.is_thread else None
    _check(rules.post_problems(body, title))
    post.body_md, post.body_html, post.edited_at = body, render_post(body), now
    if title is not None:
        post.title = title
    db.session.flush()
    return post


def report(post: DiscussionPost, reporter: User, reason: str, now: datetime) -> PostReport | None:
    """Report a post to the instructors (once per person and post); None when this person already had."""
    reason = (reason or "").strip()
    _check(rules.reason_problems(reason))
    if post.author_id == reporter.id:
        raise DiscussionError("own_post", status=409)
    try:
        with db.session.begin_nested():
            row = PostReport(post_id=post.id, reporter_id=reporter.id, reason=reason, created_at=now)
            db.session.add(row)
    except IntegrityError:
        return None
    audit.record(reporter, "post.reported", "post", post.id, now, reason=reason)
    return row


def _resolve_reports(post: DiscussionPost, actor: User, now: datetime) -> int:
    return db.session.execute(update(PostReport).where(PostReport.post_id == post.id, PostReport.resolved_at.is_(None))
                              .values(resolved_at=now, resolved_by_id=actor.id)).rowcount


def _tell_author(post: DiscussionPost, action: str, reason: str, url: str, now: datetime) -> None:
    notify(post.author, Event.POST_MODERATED, {"action": action, "reason": reason,
                                               "title": post.title or "", "excerpt": post.body_md[:200]},
           f"{url}#post-{post.id}", now)


def hide(post: DiscussionPost, actor: User, reason: str, now: datetime, url: str) -> None:
    """Hide a post with a reason: readers see that it was hidden, not what it said; open reports are resolved."""
    reason = (reason or "").strip()
    _check(rules.reason_problems(reason))
    post.hidden_at, post.hidden_by_id, post.hidden_reason = now, actor.id, reason
    resolved = _resolve_reports(post, actor, now)
    db.session.flush()
    audit.record(actor, "post.hidden", "post", post.id, now, reason=reason, reports_resolved=resolved)
    _tell_author(post, "hidden", reason, url, now)


def restore(post: DiscussionPost, actor: User, reason: str, now: datetime, url: str) -> None:
    """Show a hidden post again, with a reason."""
    reason = (reason or "").strip()
    _check(rules.reason_problems(reason))
    if post.hidden_at is None:
        raise DiscussionError("not_hidden", status=409)
    post.hidden_at = post.hidden_by_id = post.hidden_reason = None
    db.session.flush()
    audit.record(actor, "post.restored", "post", post.id, now, reason=reason)
    _tell_author(post, "restored", reason, url, now)


def dismiss_reports(post: DiscussionPost, actor: User, now: datetime) -> int:
    """Keep a reported post as it is: its open reports are resolved."""
    resolved = _resolve_reports(post, actor, now)
    db.session.flush()
    audit.record(actor, "post.reports_dismissed", "post", post.id, now, reports=resolved)
    return resolved


def set_exemplary(post: DiscussionPost, actor: User, exemplary: bool, now: datetime) -> None:
    """Mark (or unmark) a post as exemplary."""
    post.exemplary = exemplary
    db.session.flush()
    audit.record(actor, "post.exemplary" if exemplary else "post.not_exemplary", "post", post.id, now)


def set_note(discussion: Discussion, actor: User, text: str, now: datetime, url: str) -> int:
    """Pin (or replace, or with empty text remove) the instructor's expert note; the learners of the cohort who
    may read the discussion are told of a new or changed note. Returns how many were told."""
    text = (text or "").strip()
    if text:
        _check(rules.post_problems(text, limit=rules.MAX_BODY * 2))
    discussion.note_md = text or None
    discussion.note_html = render_post(text) if text else None
    discussion.note_by_id, discussion.note_at = (actor.id, now) if text else (None, None)
    db.session.flush()
    audit.record(actor, "discussion.note" if text else "discussion.note_removed", "discussion", discussion.id, now)
    if not text:
        return 0
    case = discussion.case
    readers = discussion_readers(case, discussion.cohort_id, now)
    stamp = int(now.timestamp())
    return notify_all(readers, Event.DISCUSSION_NOTE, {"title": case.current.title if case.current else case.slug},
                      url, now, key=lambda learner: f"discussion-note:{discussion.id}:{stamp}:{learner.id}")


def set_closed(discussion: Discussion, actor: User, closed: bool, now: datetime) -> None:
    """Close a discussion (it stays readable, no one posts) or open it again."""
    discussion.closed_at, discussion.closed_by_id = (now, actor.id) if closed else (None, None)
    db.session.flush()
    audit.record(actor, "discussion.closed" if closed else "discussion.reopened", "discussion", discussion.id, now)


def follow(user: User, thread: DiscussionPost, following: bool) -> None:
    """Follow a thread (be told of replies) or stop."""
    row = db.session.get(ThreadFollow, (user.id, thread.id))
    if following and row is None:
        db.session.add(ThreadFollow(user_id=user.id, thread_id=thread.id))
    elif not following and row is not None:
        db.session.delete(row)
    db.session.flush()
