"""Instructors grade written answers with rubrics; two graders never overwrite each other silently."""
from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import selectinload

import lms.audit as audit
from lms.cases.services import definition_of, grade_attempt, scoring_definition
from lms.domain.cases import QuestionType
from lms.domain.errors import DomainError
from lms.domain.grading import InvalidResponse, normalize_rubric_scores
from lms.essays.queries import essays_for
from lms.extensions import db
from lms.models import (
    Attempt,
    AttemptState,
    Case,
    CohortInstructor,
    Enrolment,
    EssayState,
    EssaySubmission,
    Module,
    User,
)
from lms.pagination import contains
from lms.signals import answer_graded

log = logging.getLogger(__name__)


class ReviewConflict(DomainError):
    """Someone else graded the attempt since this grader opened it."""

    status, default_code = 409, "review_conflict"


class BadRubricScores(DomainError, ValueError):
    """Scores that do not fit the rubric (a forged form): `detail` names the question."""

    default_code = "bad_rubric_scores"

    def __init__(self, detail: str) -> None:
        super().__init__(detail=detail)


@dataclass(frozen=True)
class ReviewFilters:
    """Which written answers the queue lists: waiting or graded, by cohort, chuyên đề, case, commune, late
    submissions only, and a learner's name or sign-in name."""

    cohort: int | None = None
    module: int | None = None  # the chuyên đề number
    case: int | None = None
    commune: str = ""
    state: str = "waiting"  # waiting | graded
    late: bool = False
    q: str = ""

    @classmethod
    def from_args(cls, args) -> ReviewFilters:
        """The filters from a query string; anything malformed is left out."""
        def number(name: str) -> int | None:
            value = args.get(name, "")
            return int(value) if value.isdigit() and len(value) < 10 else None
        return cls(number("cohort"), number("module"), number("case"), args.get("commune", "")[:200].strip(),
                   "graded" if args.get("state") == "graded" else "waiting", args.get("late") == "1",
                   args.get("q", "")[:100].strip())

    def as_args(self) -> dict:
        """The filters as query-string arguments (the ones set)."""
        values = {"cohort": self.cohort, "module": self.module, "case": self.case, "commune": self.commune,
                  "state": None if self.state == "waiting" else self.state, "late": "1" if self.late else None,
                  "q": self.q}
        return {key: value for key, value in values.items() if value not in (None, "")}


def awaiting_review(user: User, cohort_id: int | None = None, case_id: int | None = None,
                    filters: ReviewFilters | None = None):
    """The statement for the written answers in this grader's cohorts (all, for administrators): waiting ones
    oldest first, or graded ones newest first, under the filters."""
    filters = filters or ReviewFilters(cohort=cohort_id, case=case_id)
    graded = filters.state == "graded"
    stmt = (select(Attempt).join(Case, Case.id == Attempt.case_id).join(User, User.id == Attempt.user_id)
            .where(Attempt.reviewed_at.is_not(None) if graded else Attempt.state == AttemptState.AWAITING_REVIEW))
    if not user.is_admin:
        stmt = stmt.where(Attempt.cohort_id.in_(select(CohortInstructor.cohort_id).where(
            CohortInstructor.user_id == user.id)))
    if filters.cohort:
        stmt = stmt.where(Attempt.cohort_id == filters.cohort)
    if filters.module:
        stmt = stmt.join(Module, Module.id == Case.module_id).where(Module.number == filters.module)
    if filters.case:
        stmt = stmt.where(Attempt.case_id == filters.case)
    if filters.commune:
        stmt = stmt.join(Enrolment, and_(Enrolment.user_id == Attempt.user_id, Enrolment.cohort_id == Attempt.cohort_id)
                         ).where(Enrolment.commune == filters.commune)
    if filters.late:
        stmt = stmt.where(Attempt.late.is_(True))
    if filters.q:
        stmt = stmt.where(or_(contains(User.full_name, filters.q), contains(User.username, filters.q)))
    if graded:  # the list shows who graded each and when: read with the page, not once per row
        return stmt.options(selectinload(Attempt.reviewed_by)).order_by(Attempt.reviewed_at.desc(), Attempt.id.desc())
    return stmt.order_by(Attempt.submitted_at, Attempt.id)


def next_waiting(user: User, filters: ReviewFilters, after: Attempt) -> tuple[Attempt | None, int]:
    """The next answer waiting under the filters (not `after`), and how many wait in all."""
    stmt = awaiting_review(user, filters=replace(filters, state="waiting")).where(Attempt.id != after.id)
    left = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    return db.session.scalars(stmt.limit(1)).first(), left


def essays_waiting(user: User, cohort_id: int | None = None, limit: int = 10) -> tuple[int, list[EssaySubmission]]:
    """Final essays submitted and not yet graded in this grader's cohorts: how many, and the oldest few."""
    stmt = essays_for(user).where(EssaySubmission.state == EssayState.SUBMITTED)
    if cohort_id:
        stmt = stmt.where(EssaySubmission.cohort_id == cohort_id)
    count = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    return count, list(db.session.scalars(stmt.limit(limit)))


def written_questions(attempt: Attempt):
    """The written questions on the path the learner took."""
    definition = definition_of(attempt)
    return [q for stage_id in attempt.path for q in definition.stage(stage_id).questions
            if q.type == QuestionType.WRITTEN]


MAX_FEEDBACK = 5000  # characters of feedback per question


class FeedbackTooLong(DomainError, ValueError):
    """Feedback past MAX_FEEDBACK: refused whole, never cut."""

    default_code = "feedback_too_long"

    def __init__(self, question_id: str, length: int) -> None:
        super().__init__(question_id=question_id, length=length, max=MAX_FEEDBACK)
        self.length = length


def read_scores(attempt: Attempt, form) -> tuple[dict[str, dict], dict[str, str]]:
    """Rubric scores and feedback per written question from the grading form (raises BadRubricScores)."""
    scores, feedback = {}, {}
    for question in written_questions(attempt):
        raw = {}
        for criterion in question.rubric:
            value = form.get(f"r-{question.id}-{criterion.id}", "")
            try:
                raw[criterion.id] = float(value)
            except ValueError as error:
                raise BadRubricScores(question.id) from error
        try:
            scores[question.id] = dict(normalize_rubric_scores(question, raw))
        except InvalidResponse as error:
            raise BadRubricScores(question.id) from error
        feedback[question.id] = (form.get(f"f-{question.id}") or "").strip()
        if len(feedback[question.id]) > MAX_FEEDBACK:
            raise FeedbackTooLong(question.id, len(feedback[question.id]))
    return scores, feedback


def grade_written(attempt: Attempt, scores: dict[str, dict], feedback: dict[str, str], expected_version: int,
                  actor: User, now: datetime) -> None:
    """Record rubric scores and feedback, grade the attempt, and add the module grade to the ledger.

    The attempt's review_version must still be the one the grader saw; otherwise ReviewConflict.
    """
    claimed = db.session.execute(
        update(Attempt).where(Attempt.id == attempt.id, Attempt.review_version == expected_version,
                              Attempt.state == AttemptState.AWAITING_REVIEW)
        .values(review_version=Attempt.review_version + 1, reviewed_at=now, reviewed_by_id=actor.id)
        .execution_options(synchronize_session=False))
    if claimed.rowcount != 1:
        raise ReviewConflict()
    db.session.refresh(attempt)
    answers = {a.question_id: a for a in attempt.answers}
    for question_id, rubric in scores.items():
        answer = answers.get(question_id)
        if answer is not None:
            answer.rubric_scores, answer.feedback = rubric, feedback.get(question_id) or None
    db.session.flush()
    grade_attempt(attempt, scoring_definition(attempt), now)
    audit.record(actor, "attempt.reviewed", "attempt", attempt.id, now, learner=attempt.user_id,
                 score=attempt.score, scores=scores)
    answer_graded.send(__name__, attempt=attempt, actor=actor, now=now)
    log.info("attempt %s reviewed by %s: %s", attempt.id, actor.id, attempt.score)
