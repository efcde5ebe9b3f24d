"""Where each learner stands in each module (work done, status, current grade): a fixed number of queries."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import and_, bindparam, case, func, select

from lms.catalog.outline import ModuleView, course_outline
from lms.domain.progress import (
    GradeSource,
    LedgerEntry,
    ModuleStatus,
    ModuleWork,
    current_grade,
    module_status,
)
from lms.extensions import db
from lms.models import (
    FINISHED_STATES,
    Attempt,
    Case,
    CaseVersion,
    GradeEntry,
    Lesson,
    LessonProgress,
    Module,
)


@dataclass(frozen=True)
class ModuleProgress:
    """One learner's standing in one module."""

    module: Module | ModuleView
    work: ModuleWork
    status: ModuleStatus
    grade: float | None
    grade_source: str | None


def _by_user_module(rows) -> dict[tuple[int, int], int]:
    return {(user_id, module_id): n for user_id, module_id, n in rows}


# The three queries, built once (building them cost more than running them for one learner); with and without a
# cohort, whose attempts and grades are counted.
_users = bindparam("user_ids", expanding=True)
_cohort = bindparam("cohort_id")
STUDIED = (select(LessonProgress.user_id, Lesson.module_id, func.count()).join(Lesson)
           .where(LessonProgress.user_id.in_(_users), Lesson.number > 0)
           .group_by(LessonProgress.user_id, Lesson.module_id))
_required_case_done = case((and_(Attempt.state.in_(FINISHED_STATES), CaseVersion.required.is_(True)),
                            Attempt.case_id))  # NULL otherwise: not counted
_attempts = (select(Attempt.user_id, Case.module_id, func.count(func.distinct(_required_case_done)), func.count())
             .join(Case, Case.id == Attempt.case_id).outerjoin(CaseVersion, CaseVersion.id == Case.current_version_id)
             .where(Attempt.user_id.in_(_users)).group_by(Attempt.user_id, Case.module_id))
ATTEMPTS = {False: _attempts, True: _attempts.where(Attempt.cohort_id == _cohort)}
_ledger = select(GradeEntry.user_id, GradeEntry.module_id, GradeEntry.id, GradeEntry.score, GradeEntry.source,
                 GradeEntry.created_at).where(GradeEntry.user_id.in_(_users))
LEDGER = {False: _ledger.where(GradeEntry.cohort_id.is_(None)), True: _ledger.where(GradeEntry.cohort_id == _cohort)}


def progress_for(user_ids: list[int], cohort_id: int | None, modules: Sequence[Module | ModuleView] | None = None
                 ) -> dict[int, list[ModuleProgress]]:
    """Each learner's progress in every module (the published outline unless modules are given): three queries for
    any number of learners."""
    modules = modules if modules is not None else course_outline().modules
    if not user_ids:
        return {}
    params = {"user_ids": user_ids, "cohort_id": cohort_id}
    studied = _by_user_module(db.session.execute(STUDIED, params))
    submitted, started = {}, {}
    for user_id, module_id, done, tried in db.session.execute(ATTEMPTS[cohort_id is not None], params):
        submitted[(user_id, module_id)], started[(user_id, module_id)] = done, tried
    ledger: dict[tuple[int, int], list[LedgerEntry]] = defaultdict(list)
    for row in db.session.execute(LEDGER[cohort_id is not None], params):
        ledger[(row.user_id, row.module_id)].append(LedgerEntry(row.id, row.score, GradeSource(row.source),
                                                                row.created_at))
    # what does not depend on the learner, once per module rather than once per learner and module
    sizes = [(module, len(module.lessons), sum(1 for c in module.cases if c.current and c.current.required))
             for module in modules]
    result = {}
    for user_id in user_ids:
        rows = []
        for module, lessons, required in sizes:
            key = (user_id, module.id)
            entries = ledger.get(key)
            entry = current_grade(entries) if entries else None
            work = ModuleWork(lessons, studied.get(key, 0), required,
                              submitted.get(key, 0), started.get(key, 0) > 0,
                              entry.score if entry else None, module.pass_mark,
                              entry is not None and entry.source == GradeSource.OVERRIDE)
            rows.append(ModuleProgress(module, work, module_status(work), work.grade,
                                       entry.source if entry else None))
        result[user_id] = rows
    return result
