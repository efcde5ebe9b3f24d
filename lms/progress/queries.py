"""Progress read models: every learner x module in a fixed number of queries, whatever the cohort size."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from lms.domain.progress import GradeSource, LedgerEntry, ModuleStatus, ModuleWork, current_grade, module_status
from lms.extensions import db
from lms.models import FINISHED_STATES, Attempt, Case, CaseVersion, GradeEntry, Lesson, LessonProgress, Module



@dataclass(frozen=True)
class ModuleProgress:
    """One learner's standing in one module."""

    module: Module
    work: ModuleWork
    status: ModuleStatus
    grade: float | None
    grade_source: str | None


def list_modules_with_cases() -> list[Module]:
    """Every module in order, with its lessons and cases' current versions loaded."""
    return list(db.session.scalars(select(Module).order_by(Module.number).options(
        selectinload(Module.lessons), selectinload(Module.cases).selectinload(Case.current))))


def _by_user_module(rows) -> dict[tuple[int, int], int]:
    return {(user_id, module_id): n for user_id, module_id, n in rows}


def progress_for(user_ids: list[int], cohort_id: int | None, modules: list[Module] | None = None
                 ) -> dict[int, list[ModuleProgress]]:
    """Each learner's progress in every module: five queries for any number of learners."""
    modules = modules if modules is not None else list_modules_with_cases()
    if not user_ids:
        return {}
    studied = _by_user_module(db.session.execute(
        select(LessonProgress.user_id, Lesson.module_id, func.count()).join(Lesson)
        .where(LessonProgress.user_id.in_(user_ids), Lesson.number > 0)
        .group_by(LessonProgress.user_id, Lesson.module_id)))
    in_cohort = [Attempt.cohort_id == cohort_id] if cohort_id else []
    submitted = _by_user_module(db.session.execute(
        select(Attempt.user_id, Case.module_id, func.count(func.distinct(Attempt.case_id)))
        .join(Case, Case.id == Attempt.case_id).join(CaseVersion, CaseVersion.id == Case.current_version_id)
        .where(Attempt.user_id.in_(user_ids), Attempt.state.in_(FINISHED_STATES), CaseVersion.required.is_(True), *in_cohort)
        .group_by(Attempt.user_id, Case.module_id)))
    started = _by_user_module(db.session.execute(
        select(Attempt.user_id, Case.module_id, func.count()).join(Case, Case.id == Attempt.case_id)
        .where(Attempt.user_id.in_(user_ids), *in_cohort).group_by(Attempt.user_id, Case.module_id)))
    in_cohort_grades = GradeEntry.cohort_id == cohort_id if cohort_id else GradeEntry.cohort_id.is_(None)
    ledger: dict[tuple[int, int], list[LedgerEntry]] = defaultdict(list)
    for row in db.session.execute(select(GradeEntry.user_id, GradeEntry.module_id, GradeEntry.id, GradeEntry.score,
                                         GradeEntry.source, GradeEntry.created_at)
                                  .where(GradeEntry.user_id.in_(user_ids), in_cohort_grades)):
        ledger[(row.user_id, row.module_id)].append(LedgerEntry(row.id, row.score, GradeSource(row.source),
                                                                row.created_at))
    result = {}
    for user_id in user_ids:
        rows = []
        for module in modules:
            key = (user_id, module.id)
            entry = current_grade(ledger.get(key, []))
            work = ModuleWork(len(module.lessons), studied.get(key, 0),
                              sum(1 for c in module.cases if c.current and c.current.required),
                              submitted.get(key, 0), started.get(key, 0) > 0,
                              entry.score if entry else None, module.pass_mark)
            rows.append(ModuleProgress(module, work, module_status(work), work.grade,
                                       entry.source if entry else None))
        result[user_id] = rows
    return result


def activity_times(user_id: int) -> list[datetime]:
    """When the learner finished each piece of work (lessons studied, attempts submitted), for the chart."""
    lessons = db.session.scalars(select(LessonProgress.studied_at).where(LessonProgress.user_id == user_id))
    attempts = db.session.scalars(select(Attempt.submitted_at).where(
        Attempt.user_id == user_id, Attempt.submitted_at.is_not(None)))
    return [*lessons, *attempts]


def last_activity(user_ids: list[int]) -> dict[int, datetime]:
    """Each learner's latest study activity (lesson studied, attempt saved or started)."""
    latest: dict[int, datetime] = {}
    queries = (select(LessonProgress.user_id, func.max(LessonProgress.studied_at)).group_by(LessonProgress.user_id),
               select(Attempt.user_id, func.max(func.coalesce(Attempt.saved_at, Attempt.started_at)))
               .group_by(Attempt.user_id))
    for stmt in queries:
        for user_id, moment in db.session.execute(stmt.where(stmt.selected_columns[0].in_(user_ids))):
            if moment is not None:
                latest[user_id] = max(latest.get(user_id, moment), moment)
    return latest


def recently_reviewed(user_id: int, limit: int = 5) -> list[Attempt]:
    """The learner's attempts most recently graded by an instructor, newest first."""
    return list(db.session.scalars(select(Attempt).where(Attempt.user_id == user_id, Attempt.reviewed_at.is_not(None))
                                   .order_by(Attempt.reviewed_at.desc()).limit(limit)))
