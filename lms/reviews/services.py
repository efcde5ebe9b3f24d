"""Instructors grade written answers with rubrics; two graders never overwrite each other silently."""
from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import func, select, update

import lms.audit as audit
from lms.cases.services import definition_of, grade_attempt, scoring_definition
from lms.domain.cases import QuestionType
from lms.domain.errors import DomainError
from lms.domain.grading import InvalidResponse, normalize_rubric_scores
from lms.essays.queries import essays_for
from lms.extensions import db
from lms.models import Attempt, AttemptState, Case, CohortInstructor, EssayState, EssaySubmission, User
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


def awaiting_review(user: User, cohort_id: int | None = None, case_id: int | None = None):
    """The statement for attempts waiting for this grader: their cohorts' (all, for administrators), oldest first."""
    stmt = select(Attempt).join(Case, Case.id == Attempt.case_id).where(Attempt.state == AttemptState.AWAITING_REVIEW)
    if not user.is_admin:
        stmt = stmt.where(Attempt.cohort_id.in_(select(CohortInstructor.cohort_id).where(
            CohortInstructor.user_id == user.id)))
    if cohort_id:
        stmt = stmt.where(Attempt.cohort_id == cohort_id)
    if case_id:
        stmt = stmt.where(Attempt.case_id == case_id)
    return stmt.order_by(Attempt.submitted_at, Attempt.id)


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
