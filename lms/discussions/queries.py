"""Read models of the discussions: threads and replies by page, the moderation queue, how the class chose, and
how a post's author chose against the reader."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from lms.catalog.store import case_definition
from lms.domain import discussion as rules
from lms.domain.cases import Question, Stage
from lms.domain.presentation import draw_variant
from lms.extensions import db
from lms.grades.item_queries import chosen_options
from lms.models import (
    FINISHED_STATES,
    Attempt,
    AttemptAnswer,
    Case,
    CohortInstructor,
    Discussion,
    DiscussionPost,
    PostReport,
    ThreadFollow,
    User,
)
from lms.pagination import paginate

REPLIES_PER_PAGE = 30


def threads(discussion: Discussion, page: int):
    """One page of the discussion's threads, the most recently active first."""
    return paginate(select(DiscussionPost).options(joinedload(DiscussionPost.author))
                    .where(DiscussionPost.discussion_id == discussion.id, DiscussionPost.thread_id.is_(None))
                    .order_by(DiscussionPost.last_activity_at.desc(), DiscussionPost.id.desc()), page)


def replies(thread: DiscussionPost, page: int):
    """One page of a thread's replies, oldest first."""
    return paginate(select(DiscussionPost).options(joinedload(DiscussionPost.author))
                    .where(DiscussionPost.thread_id == thread.id)
                    .order_by(DiscussionPost.created_at, DiscussionPost.id), page, REPLIES_PER_PAGE)


def reply_position(post: DiscussionPost) -> int:
    """How many replies of its thread come before this one."""
    return db.session.scalar(select(func.count()).select_from(DiscussionPost).where(
        DiscussionPost.thread_id == post.thread_id, DiscussionPost.id < post.id))


def is_following(user: User, thread: DiscussionPost) -> bool:
    """True when the user is told of the thread's replies."""
    return db.session.get(ThreadFollow, (user.id, thread.id)) is not None


def instructor_ids(cohort_id: int) -> set[int]:
    """The instructors of the cohort (their posts carry the instructor's badge)."""
    return set(db.session.scalars(select(CohortInstructor.user_id).where(CohortInstructor.cohort_id == cohort_id)))


@dataclass(frozen=True)
class ReportedPost:
    """A post with open reports: how many, and their reasons."""

    post: DiscussionPost
    count: int
    reasons: list[str]


def reports_queue(user: User, page: int):
    """One page of the posts reported and not yet dealt with, in the cohorts the user teaches (administrators:
    every cohort), the longest waiting first."""
    waiting = (select(PostReport.post_id, func.min(PostReport.created_at).label("first"))
               .where(PostReport.resolved_at.is_(None)).group_by(PostReport.post_id).subquery())
    stmt = (select(DiscussionPost).join(waiting, waiting.c.post_id == DiscussionPost.id)
            .join(Discussion, Discussion.id == DiscussionPost.discussion_id).order_by(waiting.c.first))
    if not user.is_admin:
        stmt = stmt.where(Discussion.cohort_id.in_(
            select(CohortInstructor.cohort_id).where(CohortInstructor.user_id == user.id)))
    result = paginate(stmt, page)
    reasons: dict[int, list[str]] = defaultdict(list)
    for post_id, reason in db.session.execute(select(PostReport.post_id, PostReport.reason).where(
            PostReport.post_id.in_([p.id for p in result.items]), PostReport.resolved_at.is_(None))
            .order_by(PostReport.id)):
        reasons[post_id].append(reason)
    result.items = [ReportedPost(post, len(reasons[post.id]), reasons[post.id]) for post in result.items]
    return result


# --- how the class chose -----------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionChoices:
    """One choice question (the version learners drew) with the class's picks and its rendered options."""

    stage_number: int
    question: Question
    html: dict
    tally: rules.QuestionTally


@dataclass(frozen=True)
class ClassChoices:
    """How the class chose at each stage, and which share of it went through each stage."""

    submitted: int
    enough: bool
    questions: list[QuestionChoices]
    branches: list[tuple[int, Stage, float]]  # stage number, stage, share of the class that reached it


def _latest_attempts(case: Case, *where) -> list[Attempt]:
    """Each learner's latest submitted attempt at the case, among the attempts `where` selects."""
    latest = (select(func.max(Attempt.id)).where(Attempt.case_id == case.id, Attempt.state.in_(FINISHED_STATES), *where)
              .group_by(Attempt.user_id))
    return list(db.session.scalars(select(Attempt).where(Attempt.id.in_(latest))))


def _picks(attempt_ids: list[int]) -> dict[int, dict[str, tuple[str, ...]]]:
    """The options each attempt picked, by question."""
    found: dict[int, dict[str, tuple[str, ...]]] = defaultdict(dict)
    if attempt_ids:
        for attempt_id, question_id, state in db.session.execute(select(
                AttemptAnswer.attempt_id, AttemptAnswer.question_id, AttemptAnswer.state)
                .where(AttemptAnswer.attempt_id.in_(attempt_ids))):
            found[attempt_id][question_id] = chosen_options(state or {})
    return found


def class_choices(case: Case, cohort_id: int, minimum: int) -> ClassChoices:
    """The class's choices at every choice question of the case (each learner's latest submitted attempt), only
    once at least `minimum` learners have submitted; three queries."""
    attempts = _latest_attempts(case, Attempt.cohort_id == cohort_id)
    enough = rules.class_is_large_enough(len(attempts), minimum)
    version = case.current
    if not enough or version is None:
        return ClassChoices(len(attempts), enough, [], [])
    definition = case_definition(version, case.slug)
    picks = _picks([a.id for a in attempts])
    questions, stages = [], list(enumerate(definition.stages, start=1))
    for number, stage in stages:
        for question in stage.questions:
            by_version: dict[int, list[tuple[str, ...]]] = defaultdict(list)
            drawn: dict[int, Question] = {}
            for attempt in attempts:
                version_drawn = draw_variant(question, attempt.option_seed)
                if question.id in picks[attempt.id]:
                    by_version[version_drawn.variant].append(picks[attempt.id][question.id])
                    drawn[version_drawn.variant] = version_drawn
            for variant in sorted(by_version):
                shown = drawn[variant]
                if not shown.options:
                    continue
                html = version.rendered["stages"][stage.id]["questions"][shown.render_key]
                questions.append(QuestionChoices(number, shown, html, rules.tally(
                    shown.id, [o.id for o in shown.options], by_version[variant])))
    shares = rules.branch_shares([s.id for _n, s in stages], [a.path or [] for a in attempts])
    return ClassChoices(len(attempts), enough, [q for q in questions if q.tally.answered],
                        [(n, s, shares[s.id]) for n, s in stages])


def stage_choices(user_ids: set[int], case: Case) -> dict[int, dict[int, tuple[str, ...]]]:
    """For each of these learners, their latest submitted attempt's picks by stage number (the options chosen at
    the stage's choice questions), for "chose the same / differently at stage N"."""
    if not user_ids or case.current is None:
        return {}
    attempts = _latest_attempts(case, Attempt.user_id.in_(user_ids))
    picks = _picks([a.id for a in attempts])
    definition = case_definition(case.current, case.slug)
    result: dict[int, dict[int, tuple[str, ...]]] = {}
    for attempt in attempts:
        by_stage = {}
        for number, stage in enumerate(definition.stages, start=1):
            chosen = tuple(sorted(p for q in stage.questions for p in picks[attempt.id].get(q.id, ())))
            if chosen:
                by_stage[number] = chosen
        result[attempt.user_id] = by_stage
    return result


def choice_badges(reader: User, posts: list[DiscussionPost], case: Case) -> dict[int, tuple[tuple[int, ...],
                                                                                            tuple[int, ...]]]:
    """For each post whose author allows it (not the reader's own), the stages where its author chose the same as
    the reader and where differently; nothing when the reader has not submitted."""
    authors = {p.author_id for p in posts if p.show_choice and p.author_id != reader.id and p.hidden_at is None}
    if not authors:
        return {}
    choices = stage_choices(authors | {reader.id}, case)
    mine = choices.get(reader.id)
    if not mine:
        return {}
    return {p.id: rules.compare_choices(mine, choices[p.author_id]) for p in posts
            if p.author_id in authors and p.author_id in choices}


def export_rows(discussion: Discussion) -> list[list]:
    """Every post of the discussion, for the school's records: threads in order, each with its replies."""
    posts = db.session.scalars(select(DiscussionPost).options(joinedload(DiscussionPost.author))
                               .where(DiscussionPost.discussion_id == discussion.id)
                               .order_by(func.coalesce(DiscussionPost.thread_id, DiscussionPost.id),
                                         DiscussionPost.created_at, DiscussionPost.id)).all()
    return [[p.id, p.thread_id or "", p.title or "", p.author.username, p.author.full_name, p.created_at.isoformat(),
             p.edited_at.isoformat() if p.edited_at else "", "1" if p.exemplary else "0",
             p.hidden_at.isoformat() if p.hidden_at else "", p.hidden_reason or "", p.body_md] for p in posts]
