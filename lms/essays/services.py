"""Submitting and grading the final essay: units of work that flush and log, never commit."""
from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

from sqlalchemy import select, update

import lms.audit as audit
from lms.catalog.essay import essay_doc
from lms.domain.errors import DomainError
from lms.domain.grading import grade
from lms.domain.progress import ModuleStatus
from lms.domain.schedule import WindowState
from lms.domain.scoring import round_half_up
from lms.essays import files
from lms.extensions import db
from lms.grades.standing import progress_for
from lms.models import ESSAY, Cohort, CourseEssay, EssayState, EssaySubmission, User
from lms.schedule.services import window_for
from lms.signals import essay_graded, grade_recorded

log = logging.getLogger(__name__)


class EssayError(DomainError):
    """A submission or grading the rules refuse; `code` says why."""

    status = 409


def modules_not_passed(user: User, cohort: Cohort) -> list[int]:
    """The numbers of the chuyên đề the learner has not passed yet in the cohort (empty: eligible)."""
    rows = progress_for([user.id], cohort.id).get(user.id, [])
    return [row.module.number for row in rows if row.status != ModuleStatus.PASSED]


def submission_of(user: User, cohort: Cohort) -> EssaySubmission | None:
    """The learner's essay in the cohort, if any."""
    return db.session.scalar(select(EssaySubmission).filter_by(user_id=user.id, cohort_id=cohort.id))


def submit_essay(user: User, cohort: Cohort, essay: CourseEssay, text: str, upload: tuple[str, bytes] | None,
                 now: datetime, folder: Path) -> EssaySubmission:
    """Save (or replace, until it is graded) the learner's essay; an attached file is (name, content)."""
    state = window_for(user.id, cohort.id, None, ESSAY).state(now)
    if state in (WindowState.NOT_OPEN, WindowState.CLOSED):
        raise EssayError("essay_" + state)  # essay_not_open, essay_closed
    missing = modules_not_passed(user, cohort)
    if missing:
        raise EssayError("not_eligible", modules=", ".join(map(str, missing)))
    text = (text or "").strip()
    if not text:
        raise EssayError("empty_text", status=400)
    if len(text) > essay.max_chars:
        raise EssayError("too_long", status=400, limit=essay.max_chars, length=len(text))
    stored = None
    if upload is not None:
        kind = files.file_kind(upload[1])
        stored = (upload[0][:255], files.store(upload[1], kind, folder), kind, len(upload[1]))
    submission = submission_of(user, cohort)
    if submission is not None and submission.state == EssayState.GRADED:
        raise EssayError("already_graded")
    if submission is None:
        submission = EssaySubmission(user_id=user.id, cohort_id=cohort.id, text=text, submitted_at=now)
        db.session.add(submission)
    submission.text, submission.submitted_at = text, now
    if stored is not None:
        submission.file_name, submission.stored_name, submission.file_kind, submission.file_size = stored
    db.session.flush()
    audit.record(user, "essay.submitted", "essay", submission.id, now, cohort=cohort.id, chars=len(text),
                 file=stored[2] if stored else None)
    return submission


def grade_essay(submission: EssaySubmission, essay: CourseEssay, scores: dict, feedback: str, expected_version: int,
                actor: User, now: datetime) -> EssaySubmission:
    """Score the essay on its rubric (10 points) unless another grader saved first (EssayError 'conflict')."""
    result = grade(essay_doc(essay).as_question(), {"text": submission.text}, scores)  # InvalidResponse if off-rubric
    claimed = db.session.execute(
        update(EssaySubmission).where(EssaySubmission.id == submission.id,
                                      EssaySubmission.review_version == expected_version)
        .values(review_version=EssaySubmission.review_version + 1).execution_options(synchronize_session=False))
    if claimed.rowcount != 1:
        raise EssayError("conflict")
    db.session.refresh(submission)
    submission.rubric_scores, submission.feedback = dict(scores), (feedback or "").strip() or None
    submission.score = round_half_up(10 * result.points / result.max_points, 1)
    submission.state, submission.graded_by_id, submission.graded_at = EssayState.GRADED, actor.id, now
    db.session.flush()
    audit.record(actor, "essay.graded", "essay", submission.id, now, learner=submission.user_id,
                 score=submission.score, scores=dict(scores))
    grade_recorded.send(__name__, user_id=submission.user_id, cohort_id=submission.cohort_id, now=now)
    essay_graded.send(__name__, submission=submission, essay=essay, actor=actor, now=now)
    log.info("essay %s graded by %s: %s", submission.id, actor.id, submission.score)
    return submission


def graded_essay_scores(user_ids: list[int], cohort_id: int) -> dict[int, tuple[float, datetime | None]]:
    """The graded essay score of each of these learners in the cohort, with when it was graded."""
    if not user_ids:
        return {}
    rows = db.session.execute(select(EssaySubmission.user_id, EssaySubmission.score, EssaySubmission.graded_at).where(
        EssaySubmission.cohort_id == cohort_id, EssaySubmission.user_id.in_(user_ids),
        EssaySubmission.state == EssayState.GRADED))
    return {user_id: (score, graded_at) for user_id, score, graded_at in rows}
