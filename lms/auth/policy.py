"""Who may do what: every `can_*` rule of the application and the `*_or_403` helpers views start with.

The role gates (signed in, learner, staff, administrator) are decorators in `lms.auth.access`; the rules
here decide about one object: a cohort, a learner's work, an attempt, a module to author or regrade.
Each takes the acting user as a parameter, never the request.
"""
from __future__ import annotations

from datetime import datetime

from flask import abort
from flask_babel import get_timezone
from sqlalchemy import func, select

from lms.catalog.queries import get_module
from lms.catalog.store import review_policy_of
from lms.domain.discussion import may_read
from lms.domain.review_policy import visible_parts
from lms.extensions import db
from lms.models import (
    FINISHED_STATES,
    Announcement,
    ApiToken,
    Attempt,
    Case,
    CohortInstructor,
    Enrolment,
    Job,
    Module,
    ModuleInstructor,
    User,
)


def can_teach(user: User, cohort_id: int) -> bool:
    """True if the user is an administrator or an instructor assigned to the cohort."""
    if user.is_admin:
        return True
    return db.session.scalar(select(func.count()).select_from(CohortInstructor).where(
        CohortInstructor.cohort_id == cohort_id, CohortInstructor.user_id == user.id)) > 0


def can_edit_announcement(user: User, announcement: Announcement, teaches: bool | None = None) -> bool:
    """Correct or withdraw a cohort's announcement: the staff who teach the cohort (its author while they teach it,
    another instructor of the cohort) and administrators; never a learner, nor an author who no longer teaches the
    cohort ("notify again" would message a class that is not theirs). `teaches`: `can_teach` for the cohort, when
    the caller knows it already."""
    if not user.is_staff:
        return False
    return can_teach(user, announcement.cohort_id) if teaches is None else teaches


def can_see_learner_work(user: User, learner_id: int, cohort_id: int | None) -> bool:
    """The learner themself, an administrator, or an instructor of the cohort the work belongs to."""
    if user.id == learner_id or user.is_admin:
        return True
    return user.is_instructor and cohort_id is not None and can_teach(user, cohort_id)


def can_view_attempt(user: User, attempt: Attempt) -> bool:
    """The owner, an administrator, or an instructor of the attempt's cohort."""
    return can_see_learner_work(user, attempt.user_id, attempt.cohort_id)


def can_grade_answers(user: User, attempt: Attempt) -> bool:
    """Grade, or regrade, an attempt's written answers: the staff who teach its cohort and administrators, never
    the attempt's own author."""
    return user.is_staff and user.id != attempt.user_id and can_view_attempt(user, attempt)


def can_author(user: User, module: Module) -> bool:
    """Administrators author every module; instructors only the modules they are assigned to."""
    if user.is_admin:
        return True
    if not user.is_instructor:
        return False
    return db.session.scalar(select(func.count()).select_from(ModuleInstructor).where(
        ModuleInstructor.module_id == module.id, ModuleInstructor.user_id == user.id)) > 0


def can_regrade(user: User, module: Module) -> bool:
    """Regrading rewrites grades in every cohort, so it belongs to the module's authors and administrators."""
    return can_author(user, module)


def can_see_job(user: User, job: Job) -> bool:
    """Administrators see every job; anyone else only the jobs they asked for."""
    return user.is_admin or (job.created_by_id is not None and job.created_by_id == user.id)


def is_enrolled(user: User, cohort_id: int) -> bool:
    """True if the user is a learner of the cohort."""
    return db.session.scalar(select(func.count()).select_from(Enrolment).where(
        Enrolment.cohort_id == cohort_id, Enrolment.user_id == user.id)) > 0


def _standing(case: Case, finished: int, now: datetime) -> tuple[bool, bool]:
    module = case.module
    parts = visible_parts(review_policy_of(module), finished, module.attempts_allowed, module.key_visible_from,
                          now.astimezone(get_timezone()).date())
    return finished > 0, "key" in parts


def case_standing(user: User, case: Case, now: datetime) -> tuple[bool, bool]:
    """Whether the learner has submitted the case, and whether its key is released to them by the module's review
    policy (after the last attempt, or from the key date)."""
    finished = db.session.scalar(select(func.count()).select_from(Attempt).where(
        Attempt.user_id == user.id, Attempt.case_id == case.id, Attempt.state.in_(FINISHED_STATES)))
    return _standing(case, finished, now)


def discussion_readers(case: Case, cohort_id: int, now: datetime) -> list[User]:
    """The active learners of the cohort who may read the case's discussion now (two queries, for telling them)."""
    finished = dict(db.session.execute(
        select(Attempt.user_id, func.count()).join(Enrolment, Enrolment.user_id == Attempt.user_id)
        .where(Enrolment.cohort_id == cohort_id, Attempt.case_id == case.id, Attempt.state.in_(FINISHED_STATES))
        .group_by(Attempt.user_id)).all())
    learners = db.session.scalars(select(User).join(Enrolment, Enrolment.user_id == User.id).where(
        Enrolment.cohort_id == cohort_id, User.is_active_account.is_(True))).all()
    opens = case.module.discussion_opens
    return [u for u in learners if may_read(opens, *_standing(case, finished.get(u.id, 0), now))]


def can_read_discussion(user: User, case: Case, cohort_id: int, now: datetime) -> bool:
    """Staff who teach the cohort read its discussions; a learner of the cohort once the module opens the case's
    discussion to them (after submitting, or after the key is released); nobody from another cohort."""
    if user.is_admin or user.is_instructor:
        return can_teach(user, cohort_id)
    if not is_enrolled(user, cohort_id):
        return False
    return may_read(case.module.discussion_opens, *case_standing(user, case, now))


def can_moderate_discussion(user: User, cohort_id: int) -> bool:
    """Instructors of the cohort and administrators moderate, pin notes, mark exemplary posts and close."""
    return (user.is_admin or user.is_instructor) and can_teach(user, cohort_id)


def api_token_refusal(token: ApiToken | None, now: datetime) -> str | None:
    """Why a presented API token does not stand for its owner (a machine code), or None when it does: it must be
    known, neither revoked nor expired, and its owner still an active administrator (only administrators make
    tokens; a demoted or deactivated owner's tokens stop working)."""
    if token is None:
        return "token_unknown"
    if token.revoked_at is not None:
        return "token_revoked"
    if now >= token.expires_at:
        return "token_expired"
    return None if token.user.is_active and token.user.is_admin else "token_owner_not_admin"


def api_token_may(token: ApiToken, scope: str) -> bool:
    """The token was given this scope: "read" for every read of /api/v1, "enrol" for enrolling learners and
    setting extensions."""
    return scope in token.scope_list


def role_change_refusal(actor: User, user: User) -> str | None:
    """Why the actor may not swap the account between instructor and administrator (a machine code), or None:
    only administrators change roles, only between the two staff roles (learners come and stay through rosters),
    and never their own (an administrator cannot demote themself, so one always remains)."""
    if not actor.is_admin:
        return "not_admin"
    if not user.is_staff:
        return "not_staff"
    return "own_account" if user.id == actor.id else None


def teach_or_403(user: User, cohort_id: int) -> None:
    """Stop with 403 unless the user teaches the cohort (or administers)."""
    if not can_teach(user, cohort_id):
        abort(403)


def edit_announcement_or_403(user: User, announcement: Announcement) -> Announcement:
    """The announcement, if the user may correct or withdraw it; 403 otherwise."""
    if not can_edit_announcement(user, announcement):
        abort(403)
    return announcement


def view_attempt_or_403(user: User, attempt: Attempt) -> Attempt:
    """The attempt, if the user may see it; 403 otherwise."""
    if not can_view_attempt(user, attempt):
        abort(403)
    return attempt


def grade_answers_or_403(user: User, attempt: Attempt) -> Attempt:
    """The attempt, if the user may grade or regrade its written answers; 403 otherwise."""
    if not can_grade_answers(user, attempt):
        abort(403)
    return attempt


def see_learner_work_or_403(user: User, learner_id: int, cohort_id: int | None) -> None:
    """Stop with 403 unless the user may see this learner's work in this cohort."""
    if not can_see_learner_work(user, learner_id, cohort_id):
        abort(403)


def module_for_author_or_403(user: User, module_key: str) -> Module:
    """The module if the user may author it; 404 if there is none, 403 if they may not."""
    module = get_module(module_key)
    if module is None:
        abort(404)
    if not can_author(user, module):
        abort(403)
    return module


def regrade_or_403(user: User, module: Module) -> None:
    """Stop with 403 unless the user may regrade the module's cases."""
    if not can_regrade(user, module):
        abort(403)
