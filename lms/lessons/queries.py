"""Read models for the module and lesson pages: a fixed number of queries per page."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, func, select

from lms.catalog.outline import ModuleView, Outline
from lms.domain.scoring import combine_attempts
from lms.extensions import db
from lms.models import Attempt, AttemptState, Case, Lesson, LessonProgress, User


@dataclass(frozen=True)
class ModuleSummary:
    """A module in the list, with the learner's lesson progress."""

    module: ModuleView
    lessons: int
    studied: int
    cases: int

    @property
    def percent(self) -> int:
        """Share of lessons studied, 0-100."""
        return round(100 * self.studied / self.lessons) if self.lessons else 0


# The two per-learner reads of these pages, built once: building a statement costs more than running these.
STUDIED_PER_MODULE = (select(Lesson.module_id, func.count()).join(LessonProgress, LessonProgress.lesson_id == Lesson.id)
                      .where(LessonProgress.user_id == bindparam("user_id"), Lesson.number > 0)
                      .group_by(Lesson.module_id))
STUDIED_IN_MODULE = (select(LessonProgress.lesson_id).join(Lesson)
                     .where(LessonProgress.user_id == bindparam("user_id"), Lesson.module_id == bindparam("module_id")))


def list_modules(user: User, outline: Outline) -> list[ModuleSummary]:
    """Every module in order, with how many of its lessons the user has studied (one query)."""
    studied = dict(db.session.execute(STUDIED_PER_MODULE, {"user_id": user.id}).all())
    return [ModuleSummary(m, len(m.lessons), studied.get(m.id, 0), len(m.cases)) for m in outline.modules]


ATTEMPTS_IN_MODULE = (select(Attempt.case_id, Attempt.state, Attempt.score).join(Case, Case.id == Attempt.case_id)
                      .where(Attempt.user_id == bindparam("user_id"), Case.module_id == bindparam("module_id"))
                      .order_by(Attempt.id))


@dataclass(frozen=True)
class CaseStanding:
    """Where the learner stands on one case: working on it, waiting for an instructor, or graded (the score that
    counts under the chuyên đề's policy)."""

    state: str  # "in_progress" | "awaiting_review" | "graded"
    score: float | None = None


def case_standings(user: User, module: ModuleView) -> dict[int, CaseStanding]:
    """The learner's standing on each case of the module they have started (one indexed read)."""
    found: dict[int, list[tuple[str, float | None]]] = {}
    for case_id, state, score in db.session.execute(ATTEMPTS_IN_MODULE, {"user_id": user.id, "module_id": module.id}):
        found.setdefault(case_id, []).append((state, score))
    standings = {}
    for case_id, attempts in found.items():
        graded = [score for state, score in attempts if state == AttemptState.GRADED and score is not None]
        states = {state for state, _score in attempts}
        if AttemptState.IN_PROGRESS in states:
            standings[case_id] = CaseStanding("in_progress")
        elif graded:
            standings[case_id] = CaseStanding("graded", combine_attempts(graded, module.grading_policy))
        elif states & {AttemptState.AWAITING_REVIEW, AttemptState.SUBMITTED}:
            standings[case_id] = CaseStanding("awaiting_review")
    return standings


def studied_lesson_ids(user: User, module: ModuleView) -> set[int]:
    """The ids of the module's lessons the user has marked studied."""
    return set(db.session.scalars(STUDIED_IN_MODULE, {"user_id": user.id, "module_id": module.id}))
