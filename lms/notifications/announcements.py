"""Posting an announcement to a cohort: checked, rendered once (sanitised Markdown), every learner notified."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from lms.content.render import render_markdown
from lms.content.search import plain_excerpt
from lms.extensions import db
from lms.models import Announcement, Cohort, Enrolment, Event, User
from lms.notifications.services import deliveries, notify

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
    learners = db.session.scalars(select(User).join(Enrolment, Enrolment.user_id == User.id)
                                  .where(Enrolment.cohort_id == cohort.id)).all()
    excerpt = plain_excerpt(body, EXCERPT)  # the inbox and the e-mail show words, not Markdown
    chosen = deliveries([learner.id for learner in learners], Event.ANNOUNCEMENT)
    for learner in learners:
        notify(learner, Event.ANNOUNCEMENT, {"title": title, "text": excerpt}, url, now,
               key=f"announcement:{announcement.id}:{learner.id}", delivery=chosen[learner.id])
    return len(learners)
