"""The attempt lifecycle: start, save, advance through stages, submit, grade. Flush only, never commit."""
from __future__ import annotations

import logging
import secrets
from datetime import datetime

from sqlalchemy import bindparam, exists, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

import lms.audit as audit
from lms.cases.answers import AnswerState, read_stage, to_response
from lms.cases.questions import ui_for
from lms.catalog.outline import module_view
from lms.catalog.store import case_definition
from lms.cohorts.queries import current_cohort_id
from lms.domain import attempts as rules
from lms.domain.cases import CaseDefinition
from lms.domain.errors import DomainError
from lms.domain.grading import InvalidResponse, normalize
from lms.domain.key_correction import corrected_definition
from lms.domain.presentation import paper_for
from lms.domain.progress import GradeSource
from lms.domain.schedule import Window, WindowState, earliest
from lms.domain.scoring import next_stage_id, score_attempt, to_ten_point
from lms.extensions import db
from lms.grades.ledger import record_computed_grade
from lms.jobs.runner import periodic
from lms.models import (
    FINISHED_STATES,
    MODULE,
    Attempt,
    AttemptAnswer,
    AttemptState,
    Case,
    CaseVersion,
    GradeEntry,
    ScheduleItem,
    User,
)
from lms.schedule.services import window_for
from lms.signals import attempt_regraded, attempt_started, attempt_submitted, stage_answered

log = logging.getLogger(__name__)


class AttemptError(DomainError):
    """An action the attempt's state does not allow; `code` says which."""

    status = 409


# Built once (building them took longer than running them): the row lock, and the attempt with its case, version
# and answers, which every write reads.
LOCK = select(Attempt.id).where(Attempt.id == bindparam("attempt_id")).with_for_update()
FOR_WRITING = (select(Attempt).where(Attempt.id == bindparam("attempt_id"))
               .options(joinedload(Attempt.case, innerjoin=True),
                        joinedload(Attempt.case_version, innerjoin=True)
                        .defer(CaseVersion.rendered).defer(CaseVersion.search_text),
                        joinedload(Attempt.answers)))
# A step (going on, submitting) also says what was done in the learning records, which name the cohort: read with
# the attempt, it is one statement fewer; an autosave, which says nothing, reads without it.
FOR_STEPPING = FOR_WRITING.options(joinedload(Attempt.cohort))


def attempt_for_writing(attempt_id: int, stepping: bool = False) -> Attempt | None:
    """The attempt and its answers, its row locked until the transaction ends, so that two requests on it take turns.

    On PostgreSQL a double tap on "continue" would otherwise run two saves side by side, both inserting the
    stage's first answers (a unique-constraint error for one of them); now the second waits, then finds the
    attempt on the next stage and is told its form is stale. The lock is taken by a statement of its own before
    the read: a read that waited for the lock would see the answers as they were before the first save committed.
    SQLite writing requests already take turns (BEGIN IMMEDIATE), so there the read is the only statement.
    """
    params = {"attempt_id": attempt_id}
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(LOCK, params)
    return db.session.scalars(FOR_STEPPING if stepping else FOR_WRITING, params).unique().one_or_none()


def definition_of(attempt: Attempt) -> CaseDefinition:
    """The case exactly as the learner saw it: the pinned version, with the question variants drawn for it."""
    return paper_for(case_definition(attempt.case_version, attempt.case.slug), attempt.option_seed)


def count_finished(user: User, case: Case) -> int:
    """How many attempts at the case the learner has submitted."""
    return db.session.scalar(select(func.count()).select_from(Attempt).where(
        Attempt.user_id == user.id, Attempt.case_id == case.id, Attempt.state.in_(FINISHED_STATES)))


def find_open_attempt(user: User, case: Case) -> Attempt | None:
    """The learner's attempt in progress at this case, if any."""
    return db.session.scalar(select(Attempt).where(Attempt.user_id == user.id, Attempt.case_id == case.id,
                                                   Attempt.state == AttemptState.IN_PROGRESS))


def start_attempt(user: User, case: Case, now: datetime) -> Attempt:
    """Resume the open attempt, or start a new one pinned to the case's current version."""
    existing = find_open_attempt(user, case)
    if existing:
        return existing
    module = case.module
    cohort_id = current_cohort_id(user.id)
    state = window_for(user.id, cohort_id, module.id).state(now)
    if state in (WindowState.NOT_OPEN, WindowState.CLOSED):
        raise AttemptError("module_" + state)  # module_not_open, module_closed
    if not rules.can_start_attempt(count_finished(user, case), module.attempts_allowed):
        raise AttemptError("no_attempts_left")
    number = 1 + (db.session.scalar(select(func.max(Attempt.number)).where(
        Attempt.user_id == user.id, Attempt.case_id == case.id)) or 0)
    definition = case_definition(case.current, case.slug)
    attempt = Attempt(user_id=user.id, case_id=case.id, case_version_id=case.current_version_id,
                      cohort_id=cohort_id, number=number, state=AttemptState.IN_PROGRESS,
                      option_seed=secrets.randbits(48),
                      path=[definition.start.id], started_at=now,
                      deadline_at=rules.deadline_for(now, module.time_limit_minutes))
    try:
        with db.session.begin_nested():  # two tabs starting at once: the unique index keeps one
            db.session.add(attempt)
    except IntegrityError:
        existing = find_open_attempt(user, case)
        if existing is None:
            raise
        return existing
    attempt_started.send(__name__, attempt=attempt, now=now)
    log.info("attempt %s started: user %s case %s v%s", attempt.id, user.id, case.slug, case.current.version)
    return attempt


def _answers(attempt: Attempt) -> dict[str, AttemptAnswer]:
    return {answer.question_id: answer for answer in attempt.answers}


def responses_of(attempt: Attempt, definition: CaseDefinition) -> dict[str, dict]:
    """The grader responses of every saved answer."""
    questions = {q.id: q for s in definition.stages for q in s.questions}
    return {qid: r for qid, a in _answers(attempt).items() if qid in questions
            and (r := to_response(questions[qid], a.state)) is not None}


def _window(attempt: Attempt) -> Window:
    """The learner's window for the attempt's chuyên đề (read once per request by the callers below)."""
    return window_for(attempt.user_id, attempt.cohort_id, attempt.case.module_id)


def _check_open(attempt: Attempt, definition: CaseDefinition, now: datetime, window: Window | None = None) -> Window:
    """Refuse work on an attempt that is finished, or submit it if it is overdue; the window, for the caller."""
    if attempt.state != AttemptState.IN_PROGRESS:
        raise AttemptError("not_open")
    window = window or _window(attempt)
    if finish_overdue(attempt, definition, now, window):
        raise AttemptError("time_up" if attempt.timed_out else "module_closed_submitted")
    return window


def read_answers(attempt: Attempt, form) -> dict[str, AnswerState]:
    """The states of the current stage's questions in a submitted form (raises TamperedAnswer on forged input).

    A form names the stage it was drawn for: a form of another stage (a second tab, the back button, a late
    autosave, a double tap on "continue") raises AttemptError("stale_stage") and saves nothing. A question the
    form did not show keeps its saved answer: only questions whose `q-<id>-shown` marker came are read (a form
    without any marker, from an older page, shows them all).
    """
    posted_stage, posted_length = form.get("stage"), form.get("path_length")
    if posted_stage is not None and (posted_stage != attempt.current_stage_id
                                     or posted_length != str(len(attempt.path))):
        raise AttemptError("stale_stage")
    states = read_stage(definition_of(attempt).stage(attempt.current_stage_id), form, attempt.option_seed)
    shown = {qid for qid in states if form.get(f"q-{qid}-shown")}
    return {qid: state for qid, state in states.items() if qid in shown} if shown else states


def save_answers(attempt: Attempt, states: dict[str, AnswerState], now: datetime) -> Window:
    """Save answer states of the current stage as the learner left them; other questions' states are ignored.
    Returns the learner's window, which a following advance or submit of the same request may reuse."""
    window = _stage_answers(attempt, states, now)
    db.session.flush()
    return window


def answer_stage(attempt: Attempt, states: dict[str, AnswerState], action: str, now: datetime) -> dict[str, str]:
    """Save the current stage's answers, then stay ("save"), go on ("continue") or submit ("submit"), in one
    write: the answers go to the database with the step's own changes (one flush, not two). Returns the step's
    errors, as advance and submit_attempt do."""
    window = _stage_answers(attempt, states, now)
    step = {"continue": advance, "submit": submit_attempt}.get(action)
    if step is None:
        db.session.flush()
        return {}
    return step(attempt, now, window)


def _stage_answers(attempt: Attempt, states: dict[str, AnswerState], now: datetime) -> Window:
    """save_answers without the flush: the answers wait in the unit of work (the attempt's collection holds them)."""
    definition = definition_of(attempt)
    window = _check_open(attempt, definition, now)
    stage_questions = {q.id for q in definition.stage(attempt.current_stage_id).questions}
    existing = _answers(attempt)
    for question_id, state in states.items():
        if question_id not in stage_questions:
            continue
        answer = existing.get(question_id)
        if answer is None:
            db.session.add(AttemptAnswer(attempt=attempt, question_id=question_id, state=state, saved_at=now))
        elif answer.state != state:
            answer.state, answer.saved_at = state, now
    attempt.saved_at = now
    return window


def stage_errors(attempt: Attempt, definition: CaseDefinition) -> dict[str, str]:
    """For each question of the current stage that is not fully answered, a machine code saying why."""
    stage = definition.stage(attempt.current_stage_id)
    responses = responses_of(attempt, definition)
    states = {a.question_id: a.state for a in attempt.answers}
    errors = {}
    for question in stage.questions:
        response = responses.get(question.id)
        incomplete = ui_for(question).incomplete(question, states.get(question.id))
        if incomplete:
            errors[question.id] = incomplete
            continue
        if response is None:
            errors[question.id] = "unanswered"
            continue
        try:
            normalize(question, response)
        except InvalidResponse as error:
            errors[question.id] = str(error.code)
    return errors


def advance(attempt: Attempt, now: datetime, window: Window | None = None) -> dict[str, str]:
    """Lock the current stage and move to the stage its answers lead to; returns errors if not complete."""
    definition = definition_of(attempt)
    _check_open(attempt, definition, now, window)
    errors = stage_errors(attempt, definition)
    if errors:
        return errors
    stage = definition.stage(attempt.current_stage_id)
    next_id = next_stage_id(stage, responses_of(attempt, definition))
    if next_id:
        attempt.path = [*attempt.path, next_id]
        db.session.flush()
        stage_answered.send(__name__, attempt=attempt, stage_id=stage.id, now=now)
    return {}


def is_final_stage(attempt: Attempt, definition: CaseDefinition) -> bool:
    """True when the current stage leads nowhere further (the learner may submit after answering it)."""
    stage = definition.stage(attempt.current_stage_id)
    return next_stage_id(stage, responses_of(attempt, definition)) is None and not any(
        o.next for q in stage.questions for o in q.options)


CLAIM = (update(Attempt).where(Attempt.id == bindparam("attempt_id"), Attempt.state == AttemptState.IN_PROGRESS)
         .values(state=AttemptState.SUBMITTED, submitted_at=bindparam("now"))
         .execution_options(synchronize_session=False))  # built once, like FOR_WRITING


def _claim_submission(attempt: Attempt, now: datetime) -> bool:
    """Move the attempt out of 'in progress' exactly once, whatever the number of concurrent submits.

    The UPDATE goes straight to the connection: answers saved by the same request stay in the unit of work and
    reach the database in the grading's flush, with their points (an ORM statement would flush them first)."""
    result = db.session.connection().execute(CLAIM, {"attempt_id": attempt.id, "now": now})
    if result.rowcount != 1:
        db.session.refresh(attempt)  # another request got there first: see what it did
        return False
    set_committed_value(attempt, "state", AttemptState.SUBMITTED)  # what the UPDATE wrote, without reading it back
    set_committed_value(attempt, "submitted_at", now)
    return True


def submit_attempt(attempt: Attempt, now: datetime, window: Window | None = None) -> dict[str, str]:
    """Submit a finished attempt and grade it; returns errors when the current stage is not complete.

    Submitting twice, replaying the request or two tabs at once grade the attempt exactly once.
    """
    definition = definition_of(attempt)
    if attempt.state != AttemptState.IN_PROGRESS:
        return {}
    window = _check_open(attempt, definition, now, window)
    errors = stage_errors(attempt, definition)
    if errors:
        return errors
    if next_stage_id(definition.stage(attempt.current_stage_id), responses_of(attempt, definition)):
        return advance(attempt, now, window) or {"_stage": "not_final"}
    if _claim_submission(attempt, now):
        attempt.late = window.is_late(now)
        grade = grade_attempt(attempt, definition, now)
        attempt_submitted.send(__name__, attempt=attempt, now=now, grade=grade)
    return {}


def finish_overdue(attempt: Attempt, definition: CaseDefinition, now: datetime, window: Window | None = None) -> bool:
    """Submit, with what was saved, an attempt whose time ran out or whose chuyên đề closed for this learner
    (whichever comes first)."""
    window = window or _window(attempt)
    deadline = earliest(attempt.deadline_at, window.closes_at)
    if not rules.is_overdue(deadline, now) or not _claim_submission(attempt, deadline):
        return False
    attempt.timed_out = deadline == attempt.deadline_at
    attempt.late = window.is_late(deadline)
    grade = grade_attempt(attempt, definition, now)
    attempt_submitted.send(__name__, attempt=attempt, now=now, grade=grade)
    return True


def grade_attempt(attempt: Attempt, definition: CaseDefinition, now: datetime, rubric_scores=None,
                  record: bool = True) -> GradeEntry | None:
    """Score the attempt over the path it took; written answers leave it awaiting an instructor's review.

    A graded attempt adds the module's recomputed grade to the ledger (unless the caller records it); returns
    that entry when the grade changed.
    """
    rubric = rubric_scores or {a.question_id: a.rubric_scores for a in attempt.answers if a.rubric_scores}
    result = score_attempt(definition, responses_of(attempt, definition), rubric)
    unreached = 0.0 if result.is_complete else rules.continuation_max_points(definition, result.path)
    answers = _answers(attempt)
    for question_id, question_result in result.questions.items():
        answer = answers.get(question_id)
        if answer is not None:
            answer.points, answer.max_points = question_result.points, question_result.max_points
    attempt.points, attempt.max_points = result.points, result.max_points + unreached
    attempt.path = list(result.path)
    if result.needs_review:
        attempt.state, attempt.score = AttemptState.AWAITING_REVIEW, None
    else:
        attempt.state, attempt.graded_at = AttemptState.GRADED, now
        attempt.score = to_ten_point(attempt.points, attempt.max_points)
    db.session.flush()
    entry = None
    if record and attempt.state == AttemptState.GRADED:
        entry = record_computed_grade(attempt.user_id, module_view(attempt.case.module_id), attempt.cohort_id, now,
                                      attempt=attempt)
    log.info("attempt %s %s: %s/%s", attempt.id, attempt.state, attempt.points, attempt.max_points)
    return entry


def scoring_definition(attempt: Attempt) -> CaseDefinition:
    """The case an attempt is scored against: the version answered, with a later corrected key where the
    learner saw the same options."""
    answered = definition_of(attempt)
    if attempt.regraded_version_id is None:
        return answered
    corrected = paper_for(case_definition(db.session.get(CaseVersion, attempt.regraded_version_id),
                                          attempt.case.slug), attempt.option_seed)
    return corrected_definition(answered, corrected)[0]


def _regradable(case: Case):
    """The case's finished attempts: those a regrade scores again."""
    return (Attempt.case_id == case.id, Attempt.state.in_([AttemptState.GRADED, AttemptState.AWAITING_REVIEW]))


def regradable_count(case: Case) -> int:
    """How many finished attempts regrade_case would score again."""
    return db.session.scalar(select(func.count()).select_from(Attempt).where(*_regradable(case)))


def regrade_case(case: Case, actor: User, now: datetime) -> int:
    """Score every finished attempt of the case again with its current (corrected) key, and record new grades.

    Attempts stay pinned to the version they answered: only questions whose options the learner saw unchanged
    take the corrected key.
    """
    attempts = db.session.scalars(select(Attempt).where(*_regradable(case))).all()
    touched = set()
    for attempt in attempts:
        attempt.regraded_version_id = case.current_version_id
        db.session.flush()
        grade_attempt(attempt, scoring_definition(attempt), now, record=False)
        attempt_regraded.send(__name__, attempt=attempt, actor=actor, now=now)
        touched.add((attempt.user_id, attempt.cohort_id))
    for user_id, cohort_id in touched:
        record_computed_grade(user_id, case.module, cohort_id, now, GradeSource.REGRADE, actor=actor)
    audit.record(actor, "case.regraded", "case", case.id, now, attempts=len(attempts),
                 version=db.session.get(CaseVersion, case.current_version_id).version)
    return len(attempts)


@periodic
def submit_overdue_attempts(now: datetime) -> int:
    """The worker's sweep: submit, as they stand, open attempts whose time ran out or whose chuyên đề closed."""
    closed = exists().where(ScheduleItem.cohort_id == Attempt.cohort_id, ScheduleItem.kind == MODULE,
                            ScheduleItem.module_id == Case.module_id, ScheduleItem.closes_at <= now)
    candidates = db.session.scalars(select(Attempt).join(Case, Case.id == Attempt.case_id).where(
        Attempt.state == AttemptState.IN_PROGRESS, or_(Attempt.deadline_at <= now, closed))).all()
    return sum(finish_overdue(attempt, definition_of(attempt), now) for attempt in candidates)
