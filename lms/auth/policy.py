"""Who may do what: every `can_*` rule of the application and the `*_or_403` helpers views start with.

The role gates (signed in, learner, staff, administrator) are decorators in `lms.auth.access`; the rules
here decide about one object: a cohort, a learner's work, an attempt, a module to author or regrade.
Each takes the acting user as a parameter, never the request.
"""
from __future__ import annotations

from flask import abort
from sqlalchemy import func, select

from lms.catalog.queries import get_module
from lms.extensions import db
from lms.models import Attempt, CohortInstructor, Job, Module, ModuleInstructor, User


def can_teach(user: User, cohort_id: int) -> bool:
    """True if the user is an administrator or an instructor assigned to the cohort."""
    if user.is_admin:
        return True
    return db.session.scalar(select(func.count()).select_from(CohortInstructor).where(
        CohortInstructor.cohort_id == cohort_id, CohortInstructor.user_id == user.id)) > 0


def can_see_learner_work(user: User, learner_id: int, cohort_id: int | None) -> bool:
    """The learner themself, an administrator, or an instructor of the cohort the work belongs to."""
    if user.id == learner_id or user.is_admin:
        return True
    return user.is_instructor and cohort_id is not None and can_teach(user, cohort_id)


def can_view_attempt(user: User, attempt: Attempt) -> bool:
    """The owner, an administrator, or an instructor of the attempt's cohort."""
    return can_see_learner_work(user, attempt.user_id, attempt.cohort_id)


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


def teach_or_403(user: User, cohort_id: int) -> None:
    """Stop with 403 unless the user teaches the cohort (or administers)."""
    if not can_teach(user, cohort_id):
        abort(403)


def view_attempt_or_403(user: User, attempt: Attempt) -> Attempt:
    """The attempt, if the user may see it; 403 otherwise."""
    if not can_view_attempt(user, attempt):
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
