"""What needs an instructor's attention in the cohorts they teach: answers to grade, learners falling behind,
chuyên đề closing soon. Reads only, a few queries for any number of learners."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, func, or_, select

from lms.extensions import db
from lms.grades.queries import last_activity
from lms.models import (
    Attempt,
    AttemptState,
    Discussion,
    DiscussionPost,
    Enrolment,
    Module,
    PostReport,
    ScheduleItem,
    User,
)

INACTIVE_DAYS = 7


@dataclass(frozen=True)
class Behind:
    """A learner with no activity for a while."""

    user: User
    cohort_id: int
    last_active: datetime | None


def reported_posts(cohort_ids: list[int]) -> int:
    """How many discussion posts of these cohorts have reports waiting for a decision."""
    if not cohort_ids:
        return 0
    return db.session.scalar(select(func.count(func.distinct(PostReport.post_id)))
                             .join(DiscussionPost, DiscussionPost.id == PostReport.post_id)
                             .join(Discussion, Discussion.id == DiscussionPost.discussion_id)
                             .where(Discussion.cohort_id.in_(cohort_ids), PostReport.resolved_at.is_(None)))


def waiting_to_grade(cohort_ids: list[int]) -> dict[int, int]:
    """Attempts awaiting an instructor's review, per cohort."""
    if not cohort_ids:
        return {}
    return dict(db.session.execute(select(Attempt.cohort_id, func.count()).where(
        Attempt.cohort_id.in_(cohort_ids), Attempt.state == AttemptState.AWAITING_REVIEW).group_by(Attempt.cohort_id)).all())


def falling_behind(cohort_ids: list[int], now: datetime, days: int = INACTIVE_DAYS, limit: int = 20) -> tuple[int, list[Behind]]:
    """Learners with no lesson studied and no attempt saved or started for `days` days: how many, and the longest idle."""
    if not cohort_ids:
        return 0, []
    rows = db.session.execute(select(User, Enrolment.cohort_id, Enrolment.enrolled_at)
                              .join(Enrolment, Enrolment.user_id == User.id)
                              .where(Enrolment.cohort_id.in_(cohort_ids))).all()
    latest = last_activity([user.id for user, _c, _e in rows])
    cutoff = now - timedelta(days=days)
    idle = []
    for user, cohort_id, enrolled_at in rows:
        last = latest.get(user.id)
        # the cohort page's ?idle= list reads the same rule: enrolled before the cut-off (a learner enrolled this
        # week is not behind yet, whatever they did before) and nothing done since
        if enrolled_at < cutoff and (last is None or last < cutoff):
            idle.append(Behind(user, cohort_id, last))
    idle.sort(key=lambda b: (b.last_active is not None, b.last_active or now))
    return len(idle), idle[:limit]


def closing_soon(cohort_ids: list[int], now: datetime, days: int = 7) -> list[tuple[ScheduleItem, Module | None]]:
    """Chuyên đề (and the essay) of these cohorts whose due date or closing date falls within `days` days, by the
    first of the two still ahead (learners are reminded of the due date: it is the one that matters first)."""
    if not cohort_ids:
        return []
    horizon = now + timedelta(days=days)
    due_soon = and_(ScheduleItem.due_at > now, ScheduleItem.due_at <= horizon)
    closing = and_(ScheduleItem.closes_at > now, ScheduleItem.closes_at <= horizon)
    rows = db.session.execute(select(ScheduleItem, Module).outerjoin(Module, Module.id == ScheduleItem.module_id)
                              .where(ScheduleItem.cohort_id.in_(cohort_ids), or_(due_soon, closing))).all()
    return sorted((tuple(r) for r in rows), key=lambda r: next_deadline(r[0], now))


def next_deadline(item: ScheduleItem, now: datetime) -> datetime:
    """The item's due date if it is still ahead, else its closing date."""
    return item.due_at if item.due_at is not None and item.due_at > now else item.closes_at
