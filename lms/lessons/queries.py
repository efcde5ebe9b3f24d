"""Read models for the module and lesson pages, and where a learner continues: a fixed number of queries."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import joinedload

from lms.catalog.outline import CaseView, LessonView, ModuleView, Outline
from lms.domain.scoring import combine_attempts
from lms.extensions import db
from lms.models import Attempt, AttemptState, Case, CaseVersion, Lesson, LessonProgress, User


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


@dataclass(frozen=True)
class Continue:
    """The one tap that takes the learner back to work: an open attempt, the next lesson to study or the next
    required case to hand in. The home page and the progress page both show it, so they never disagree."""

    kind: str  # "attempt" | "lesson" | "case" | "start" | "done"
    attempt: Attempt | None = None
    lesson: LessonView | None = None
    module: ModuleView | None = None
    case: CaseView | None = None


# The continue target's reads, built once (building a statement took longer than running these).
_touched = func.coalesce(Attempt.saved_at, Attempt.started_at)
ATTEMPTS_TOUCHED = (select(Attempt.id, Attempt.state, Case.module_id, _touched, Attempt.case_id)
                    .join(Case, Case.id == Attempt.case_id)
                    .where(Attempt.user_id == bindparam("user_id")).order_by(_touched.desc(), Attempt.id.desc()))
STUDIED_AT = select(LessonProgress.lesson_id, LessonProgress.studied_at).where(
    LessonProgress.user_id == bindparam("user_id"))


def continue_target(user_id: int, outline: Outline) -> Continue:
    """The open attempt last worked on; else, from the chuyên đề where the learner last worked and then from the
    top, the next lesson not studied or required case not handed in (a chuyên đề's lessons before its cases)."""
    attempts = db.session.execute(ATTEMPTS_TOUCHED, {"user_id": user_id}).all()
    open_id = next((row[0] for row in attempts if row[1] == AttemptState.IN_PROGRESS), None)
    if open_id is not None:
        return Continue("attempt", attempt=db.session.scalar(
            select(Attempt).where(Attempt.id == open_id)
            .options(joinedload(Attempt.case_version).load_only(CaseVersion.title))))
    # each chuyên đề's lessons, then its required cases: the work in course order
    items = [(item, module) for module in outline.modules
             for item in (*module.lessons, *(c for c in module.cases if c.current and c.current.required))]
    if not items:
        return Continue("done")
    studied_at = dict(db.session.execute(STUDIED_AT, {"user_id": user_id}).all())
    handed_in = {row[4] for row in attempts if row[1] != AttemptState.IN_PROGRESS}
    module_of = {lesson.id: module.id for module in outline.modules for lesson in module.lessons}
    candidates = [(module_of[lesson_id], at) for lesson_id, at in studied_at.items() if lesson_id in module_of]
    candidates = [max(candidates, key=lambda c: c[1])] if candidates else []
    candidates += [(row[2], row[3]) for row in attempts[:1]]  # the attempt touched last
    if not candidates:
        first, module = items[0]
        return Continue("start", lesson=first, module=module) if isinstance(first, LessonView) else \
            Continue("case", case=first, module=module)
    here = max(candidates, key=lambda c: c[1])[0]
    start = next((i for i, (_item, module) in enumerate(items) if module.id == here), 0)
    for item, module in items[start:] + items[:start]:  # from where the learner is, then from the top
        if isinstance(item, LessonView) and item.id not in studied_at:
            return Continue("lesson", lesson=item, module=module)
        if isinstance(item, CaseView) and item.id not in handed_in:
            return Continue("case", case=item, module=module)
    return Continue("done")
