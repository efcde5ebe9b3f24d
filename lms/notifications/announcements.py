"""Announcements to a cohort: posting (checked, rendered once as sanitised Markdown, every learner notified),
correcting and withdrawing.

Each learner's notification keeps a copy of the title and an excerpt (rendered in the reader's language, sent by
e-mail later, kept after the announcement), found again by its key `announcement:<id>:<learner>[:r<revision>]`.
A correction rewrites those copies, so the inbox and any e-mail not yet sent carry the corrected words; a
withdrawal turns them into a bare "an announcement was withdrawn" with no link, and stops e-mails not yet sent.
E-mails already sent cannot be recalled."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, update

from lms import audit
from lms.content.render import render_markdown
from lms.content.search import plain_excerpt
from lms.extensions import db
from lms.models import Announcement, Cohort, Enrolment, Event, Notification, User
from lms.notifications.services import notify_all

MAX_TITLE = 200
MAX_BODY = 10_000
EXCERPT = 600  # characters of the announcement in each learner's notification and e-mail


def problems(title: str, body: str) -> list[tuple[str, dict]]:
    """What is wrong with a draft: (code, parameters) pairs."""
    found = []
    if not title:
        found.append(("title_missing", {}))
    if len(title) > MAX_TITLE:
        found.append(("title_too_long", {"max": MAX_TITLE}))
    if not body:
        found.append(("body_missing", {}))
    if len(body) > MAX_BODY:
        found.append(("body_too_long", {"n": len(body), "max": MAX_BODY}))
    return found


def post(cohort: Cohort, author: User, title: str, body: str, url: str, now: datetime) -> int:
    """Store the announcement and notify each learner of the cohort; returns how many were notified."""
    announcement = Announcement(cohort_id=cohort.id, author_id=author.id, title=title, body_md=body,
                                body_html=render_markdown(body), created_at=now)
    db.session.add(announcement)
    db.session.flush()
    return _notify_learners(announcement, url, now)


def edit(announcement: Announcement, editor: User, title: str, body: str, url: str, now: datetime,
         notify_again: bool = False) -> int | None:
    """Correct the title and text (audited with the old title); the learners' notifications show the new words.
    With `notify_again`, every learner of the cohort is told again as at posting, and the copies they were sent
    before are marked read (one unread notice per announcement); returns how many were told, or None when nothing
    changed and no one was to be told (no correction is recorded then)."""
    if (title, body) == (announcement.title, announcement.body_md) and not notify_again:
        return None
    audit.record(editor, "announcement.edited", "announcement", announcement.id, now, cohort_id=announcement.cohort_id,
                 old_title=announcement.title, title=title, notified_again=notify_again)
    announcement.title, announcement.body_md, announcement.body_html = title, body, render_markdown(body)
    announcement.revision += 1
    announcement.edited_at, announcement.edited_by_id = now, editor.id
    copies = [{"id": row.id, "params": {**row.params, **_words(announcement)},
               "read_at": row.read_at or (now if notify_again else None)} for row in _notifications(announcement)]
    if copies:
        db.session.execute(update(Notification), copies)
    db.session.flush()
    return _notify_learners(announcement, url, now) if notify_again else 0


def withdraw(announcement: Announcement, actor: User, now: datetime) -> None:
    """Take the announcement back (kept, shown to no one; audited with its title): the learners' notifications say
    only that an announcement was withdrawn, lead nowhere, and send no e-mail that has not gone yet."""
    audit.record(actor, "announcement.withdrawn", "announcement", announcement.id, now,
                 cohort_id=announcement.cohort_id, old_title=announcement.title)
    announcement.withdrawn_at, announcement.withdrawn_by_id = now, actor.id
    rows = [{"id": row.id, "params": {"withdrawn": True, "_base": row.params.get("_base")}, "url": None,
             "read_at": row.read_at or now, "email": "skipped" if row.email in ("pending", "digest") else row.email}
            for row in _notifications(announcement)]
    if rows:
        db.session.execute(update(Notification), rows)
    db.session.flush()


def reach(announcement: Announcement) -> tuple[int, int]:
    """How many learners were told of the announcement, and how many e-mails about it have gone (read from the
    notifications, which are kept 90 days)."""
    told, emailed = db.session.execute(
        select(func.count(func.distinct(Notification.user_id)),
               func.count().filter(Notification.email == "sent"))
        .where(*_about(announcement))).one()
    return told, emailed


def _about(announcement: Announcement) -> tuple:
    """The notifications made for this announcement, at posting or after an edit (by their key)."""
    return (Notification.event == Event.ANNOUNCEMENT.value,
            Notification.key.like(f"announcement:{announcement.id}:%"))


def _notifications(announcement: Announcement) -> list:
    """Those notifications' rows (columns, not entities: they are rewritten by a bulk UPDATE)."""
    return db.session.execute(select(Notification.id, Notification.params, Notification.read_at, Notification.email)
                              .where(*_about(announcement))).all()


def _words(announcement: Announcement) -> dict:
    """What a notification says of the announcement: the inbox and the e-mail show words, not Markdown."""
    words = {"title": announcement.title, "text": plain_excerpt(announcement.body_md, EXCERPT)}
    return (words | {"edited": True}) if announcement.edited_at else words


def _notify_learners(announcement: Announcement, url: str, now: datetime) -> int:
    """Tell each learner of the cohort (one notification per learner and revision); returns how many."""
    learners = db.session.scalars(select(User).join(Enrolment, Enrolment.user_id == User.id)
                                  .where(Enrolment.cohort_id == announcement.cohort_id)).all()
    again = f":r{announcement.revision}" if announcement.revision > 1 else ""
    return notify_all(learners, Event.ANNOUNCEMENT, _words(announcement), url, now,
                      key=lambda learner: f"announcement:{announcement.id}:{learner.id}{again}")
