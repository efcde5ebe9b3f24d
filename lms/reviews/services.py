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
from lms.domain.progress import GradeSource
from lms.essays.queries import essays_for
from lms.extensions import db
from lms.grades.ledger import get_current_grade, record_computed_grade
from lms.models import (
    Attempt,
    AttemptState,
    Case,
    CohortInstructor,
    Enrolment,
    EssayState,
    EssaySubmission,
    GradeEntry,
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
    """Scores that do not fit the rubric: `problem` says what (a level left unchosen: "missing_criterion"; a level
    or a criterion the rubric does not have, from a forged form: "not_a_level", "unknown_criterion"), `criterion`
    which one."""

    default_code = "bad_rubric_scores"

    def __init__(self, question_id: str | None, problem: str = "missing_criterion", criterion: str = "") -> None:
        super().__init__(question_id=question_id, problem=problem, criterion=criterion[:60])
        self.problem, self.criterion = problem, criterion[:60]


class NotRegradable(DomainError):
    """A regrade of an attempt whose written answers no instructor has graded (yet)."""

    status, default_code = 409, "not_regradable"


MAX_REASON = 2000  # characters of a regrade's reason, as for grade overrides


@dataclass(frozen=True)
class Regrade:
    """What a regrade changed: the attempt's score before and after, the ledger entry it added (None when the
    module grade did not change), and whether an override still decides the module grade."""

    old_score: float | None
    new_score: float | None
    entry: GradeEntry | None
    override_in_force: bool


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
    """Rubric scores and feedback per written question from the grading form (raises BadRubricScores, or
    FeedbackTooLong); a posted level of a criterion the rubric does not have is refused, not ignored."""
    questions = written_questions(attempt)
    known = {f"r-{q.id}-{c.id}" for q in questions for c in q.rubric}
    stray = sorted(key for key in form if key.startswith("r-") and key not in known)
    if stray:
        raise BadRubricScores(None, "unknown_criterion", stray[0][2:])
    scores, feedback = {}, {}
    for question in questions:
        raw = {}
        for criterion in question.rubric:
            value = (form.get(f"r-{question.id}-{criterion.id}") or "").strip()
            if not value:
                continue  # normalize_rubric_scores says which criterion is missing
            try:
                raw[criterion.id] = float(value)
            except ValueError as error:
                raise BadRubricScores(question.id, "not_a_level", criterion.id) from error
        try:
            scores[question.id] = dict(normalize_rubric_scores(question, raw))
        except InvalidResponse as error:
            raise BadRubricScores(question.id, str(error.code), str(error.params.get("criterion", ""))) from error
        feedback[question.id] = (form.get(f"f-{question.id}") or "").strip()
        if len(feedback[question.id]) > MAX_FEEDBACK:
            raise FeedbackTooLong(question.id, len(feedback[question.id]))
    return scores, feedback


def current_levels(attempt: Attempt) -> tuple[dict[str, float], dict[str, str]]:
    """The grading form's fields as the last grader left them: the level of each criterion and the feedback."""
    levels, feedback = {}, {}
    for answer in attempt.answers:
        for criterion_id, points in (answer.rubric_scores or {}).items():
            levels[f"r-{answer.question_id}-{criterion_id}"] = points
        if answer.feedback:
            feedback[answer.question_id] = answer.feedback
    return levels, feedback


def _claim(attempt: Attempt, expected_version: int, state: AttemptState, actor: User, now: datetime) -> None:
    """Take the attempt for this grader: its review_version must still be the one they saw, in this state;
    otherwise ReviewConflict. The grader and the time become theirs."""
    claimed = db.session.execute(
        update(Attempt).where(Attempt.id == attempt.id, Attempt.review_version == expected_version,
                              Attempt.state == state)
        .values(review_version=Attempt.review_version + 1, reviewed_at=now, reviewed_by_id=actor.id)
        .execution_options(synchronize_session=False))
    if claimed.rowcount != 1:
        raise ReviewConflict()
    db.session.refresh(attempt)


def _score_rubric(attempt: Attempt, scores: dict[str, dict], feedback: dict[str, str], now: datetime,
                  record: bool) -> None:
    """Write the rubric scores and feedback on the answers and score the attempt again (the one scoring path)."""
    answers = {a.question_id: a for a in attempt.answers}
    for question_id, rubric in scores.items():
        answer = answers.get(question_id)
        if answer is not None:
            answer.rubric_scores, answer.feedback = rubric, feedback.get(question_id) or None
    db.session.flush()
    grade_attempt(attempt, scoring_definition(attempt), now, record=record)


def grade_written(attempt: Attempt, scores: dict[str, dict], feedback: dict[str, str], expected_version: int,
                  actor: User, now: datetime) -> None:
    """Record rubric scores and feedback, grade the attempt, and add the module grade to the ledger.

    The attempt's review_version must still be the one the grader saw; otherwise ReviewConflict.
    """
    _claim(attempt, expected_version, AttemptState.AWAITING_REVIEW, actor, now)
    _score_rubric(attempt, scores, feedback, now, record=True)
    audit.record(actor, "attempt.reviewed", "attempt", attempt.id, now, learner=attempt.user_id,
                 score=attempt.score, scores=scores)
    answer_graded.send(__name__, attempt=attempt, actor=actor, now=now)
    log.info("attempt %s reviewed by %s: %s", attempt.id, actor.id, attempt.score)


def regrade_written(attempt: Attempt, scores: dict[str, dict], feedback: dict[str, str], reason: str,
                    expected_version: int, actor: User, now: datetime) -> Regrade:
    """Correct the grading of written answers already graded (an appeal, a grader's slip), with a reason.

    The attempt is scored again through the same path as its first grading; the module grade goes to the ledger
    when it changes, as a regrade by this person with the reason (older entries stay); an override in force
    stays in force. The learner is told as when the answer was graded. NotRegradable unless graded by an
    instructor; ReviewConflict if another grader saved since this one opened the form.
    """
    reason = (reason or "").strip()
    if not reason or len(reason) > MAX_REASON:
        raise DomainError("reason_required" if not reason else "reason_too_long")
    if not attempt.is_review_graded:
        raise NotRegradable()
    old_score = attempt.score
    _claim(attempt, expected_version, AttemptState.GRADED, actor, now)
    _score_rubric(attempt, scores, feedback, now, record=False)
    entry = record_computed_grade(attempt.user_id, attempt.case.module, attempt.cohort_id, now,
                                  GradeSource.REVIEW_REGRADE, attempt=attempt, actor=actor, reason=reason)
    audit.record(actor, "attempt.regraded", "attempt", attempt.id, now, learner=attempt.user_id,
                 old_score=old_score, score=attempt.score, reason=reason, scores=scores)
    answer_graded.send(__name__, attempt=attempt, actor=actor, now=now, regraded=True, reason=reason)
    log.info("attempt %s regraded by %s: %s -> %s", attempt.id, actor.id, old_score, attempt.score)
    return Regrade(old_score, attempt.score, entry, override_in_force(attempt))


def override_in_force(attempt: Attempt) -> bool:
    """True when an instructor's override decides the learner's grade in the attempt's chuyên đề (a regrade
    then changes only the computed grade in its history)."""
    current = get_current_grade(attempt.user_id, attempt.case.module_id, attempt.cohort_id)
    return current is not None and current.source == GradeSource.OVERRIDE
