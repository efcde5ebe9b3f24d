"""A learner's own pages (home, progress) kept in the worker under a fingerprint of everything they show.

Those pages are built from a dozen reads of the learner's rows: enrolment, attempts, lessons studied, the grade
ledger, the essay, the feedback sent, the cohort's end, schedule and announcements.  Most visits find none of it
changed since the last one, so the rendered part is kept, keyed by one query that reads, in a single statement, a
summary of each of those sources (how many rows, the newest id, the latest moment each kind of change writes).  Any
change to a source the page reads changes its summary and so the key; the page is built again at the next visit.
The course itself is covered by the outline's revision token, the language and the learner's name by the key.

What the fingerprint cannot see is time passing (a deadline entering the "next 7 days"), so a kept page also
belongs to one `LEARNER_PAGE_SECONDS` slice of the clock (60 by default): that bounds staleness to a minute.
"""
from __future__ import annotations

import threading
from collections.abc import Callable, Hashable

from cachetools import TTLCache
from flask import current_app
from sqlalchemy import bindparam, case, func, select, true

from lms.catalog.outline import course_outline
from lms.cohorts.queries import CURRENT_COHORT
from lms.database import utcnow
from lms.extensions import db
from lms.i18n import current_language
from lms.models import (
    Announcement,
    Attempt,
    AttemptState,
    Cohort,
    CourseEssay,
    Enrolment,
    EssaySubmission,
    Extension,
    FeedbackReceipt,
    GradeEntry,
    LessonProgress,
    ScheduleItem,
    User,
)

_user = bindparam("user_id")
_cohort = CURRENT_COHORT.scalar_subquery()  # the learner's current cohort, by the rule the pages themselves use


def _summary(*columns, where):
    """One row of aggregates over the rows `where` picks (each source read once, joined below on true)."""
    return select(*columns).where(where).subquery()


_attempts = Attempt.user_id == _user
_sources = [
    _summary(func.count(), func.max(Enrolment.id), where=Enrolment.user_id == _user),
    _summary(func.count(), func.max(Attempt.id), func.max(Attempt.saved_at), func.max(Attempt.submitted_at),
             func.max(Attempt.graded_at), func.max(Attempt.reviewed_at), func.sum(Attempt.review_version),
             func.sum(func.coalesce(Attempt.regraded_version_id, 0)), func.sum(Attempt.score),
             func.sum(case((Attempt.state == AttemptState.IN_PROGRESS, 1), else_=0)), where=_attempts),
    _summary(func.count(), func.max(LessonProgress.studied_at), where=LessonProgress.user_id == _user),
    _summary(func.count(), func.max(GradeEntry.id), where=GradeEntry.user_id == _user),
    _summary(func.max(EssaySubmission.id), func.max(EssaySubmission.submitted_at),
             func.max(EssaySubmission.graded_at), func.sum(EssaySubmission.review_version),
             where=EssaySubmission.user_id == _user),
    _summary(func.count(), func.max(Extension.granted_at), where=Extension.user_id == _user),
    _summary(func.count(), func.max(ScheduleItem.updated_at), where=ScheduleItem.cohort_id == _cohort),
    _summary(func.count(), func.max(Announcement.id), func.max(Announcement.edited_at),
             func.max(Announcement.withdrawn_at), where=Announcement.cohort_id == _cohort),
    _summary(func.count(), func.max(CourseEssay.updated_at), where=CourseEssay.id.is_not(None)),
    _summary(func.count(), func.max(FeedbackReceipt.id), where=FeedbackReceipt.user_id == _user),
    _summary(func.max(Cohort.ends_on), where=Cohort.id == _cohort),  # an ended cohort opens the course's feedback
]
_joined = _sources[0]
for _source in _sources[1:]:
    _joined = _joined.join(_source, true())
# Built once: constructing a statement of this size costs more than running it.
FINGERPRINT = select(_cohort, *(column for source in _sources for column in source.c)).select_from(_joined)


def learner_fingerprint(user_id: int) -> tuple:
    """A value that changes whenever any row the learner's own pages read changes: one query."""
    return tuple(db.session.execute(FINGERPRINT, {"user_id": user_id}).one())


_lock = threading.Lock()


def _kept() -> TTLCache:
    store = current_app.extensions.get("learner_pages")
    if store is None:
        with _lock:
            store = current_app.extensions.setdefault("learner_pages", TTLCache(
                maxsize=current_app.config["LEARNER_PAGE_CACHE_SIZE"], ttl=current_app.config["LEARNER_PAGE_SECONDS"]))
    return store


def kept_learner_page(page: Hashable, user: User, build: Callable[[], str]) -> str:
    """The learner's rendered `page` from the worker's memory when nothing it shows has changed, else `build()`."""
    token = course_outline().token
    if token is None:  # a database without the revision row: nothing to key the course by
        return build()
    seconds = current_app.config["LEARNER_PAGE_SECONDS"]
    key = (page, user.id, user.full_name, current_language(), token, int(utcnow().timestamp() // seconds),
           learner_fingerprint(user.id))
    store = _kept()
    with _lock:
        html = store.get(key)
    if html is None:
        html = build()
        with _lock:
            store[key] = html
    return html
