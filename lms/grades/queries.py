"""Gradebook and cohort analytics: a fixed number of queries for any cohort size."""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from statistics import mean

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import joinedload

from lms.catalog.queries import list_modules_with_cases
from lms.catalog.store import case_definition
from lms.domain.progress import ModuleStatus, overall_percent
from lms.domain.scoring import combine_attempts, counting_attempts, round_half_up
from lms.domain.text import sort_key
from lms.extensions import db
from lms.grades.standing import ModuleProgress, progress_for
from lms.models import (
    FINISHED_STATES,
    Attempt,
    AttemptAnswer,
    AttemptState,
    Case,
    CaseVersion,
    Enrolment,
    LessonProgress,
    Module,
)
from lms.pagination import ListPage, page_of_list

SORTS = ("name", "commune", "average", "progress")


@dataclass(frozen=True)
class GradebookRow:
    """One learner's line: their enrolment and the 18 modules."""

    enrolment: Enrolment
    modules: list[ModuleProgress]

    @property
    def average(self) -> float | None:
        """Mean of the module grades, once every module has one."""
        grades = [m.grade for m in self.modules]
        return round_half_up(mean(grades), 1) if grades and None not in grades else None

    @property
    def percent(self) -> int:
        """Share of the course's work done."""
        total = sum(m.work.items_total for m in self.modules)
        return round(100 * sum(m.work.items_done for m in self.modules) / total) if total else 0

    def has_status(self, status: str) -> bool:
        """True if any module has this status."""
        return any(m.status == status for m in self.modules)


def _by_name(enrolment: Enrolment) -> tuple:
    """Vietnamese names sort by the given name (the last word), in Vietnamese order: Ánh before Bình, Dũng
    before Đức."""
    words = enrolment.user.full_name.split()
    return sort_key(words[-1] if words else ""), sort_key(enrolment.user.full_name)


ENROLMENT_SORTS = {"name": _by_name, "commune": lambda e: (sort_key(e.commune), _by_name(e))}
STANDING_SORTS = {
    "average": lambda r: (-(r.average if r.average is not None else -1), r.enrolment.user.full_name),
    "progress": lambda r: (-r.percent, r.enrolment.user.full_name),
}


def _enrolments(cohort_id: int, commune: str, learners: Collection[int] | None = None) -> list[Enrolment]:
    """The cohort's enrolments with their users, in one commune or ward when given, of these learners when given."""
    enrolments = db.session.scalars(select(Enrolment).where(Enrolment.cohort_id == cohort_id)
                                    .options(joinedload(Enrolment.user))).all()
    return [e for e in enrolments if (not commune or e.commune == commune)
            and (learners is None or e.user_id in learners)]


def gradebook(cohort_id: int, commune: str = "", status: str = "", sort: str = "name",
              learners: Collection[int] | None = None) -> list[GradebookRow]:
    """Every learner of the cohort (or these learners of it) x every module, filtered and sorted."""
    enrolments = _enrolments(cohort_id, commune, learners)
    progress = progress_for([e.user_id for e in enrolments], cohort_id, list_modules_with_cases())
    rows = [GradebookRow(e, progress.get(e.user_id, [])) for e in enrolments]
    if status in set(ModuleStatus):
        rows = [r for r in rows if r.has_status(status)]
    if sort in STANDING_SORTS:
        return sorted(rows, key=STANDING_SORTS[sort])
    by_enrolment = ENROLMENT_SORTS.get(sort, _by_name)
    return sorted(rows, key=lambda r: by_enrolment(r.enrolment))


def gradebook_page(cohort_id: int, page: int, per_page: int, commune: str = "", status: str = "",
                   sort: str = "name", learners: Collection[int] | None = None) -> ListPage:
    """One page of the gradebook (of these learners only, when given: the API's `updated_since`). Sorted by name or
    commune with no status filter, only the page's learners' standing is computed (the same statements; the work
    of 50 learners, not of the whole cohort)."""
    if status in set(ModuleStatus) or sort in STANDING_SORTS:
        return page_of_list(gradebook(cohort_id, commune, status, sort, learners), page, per_page)
    result = page_of_list(sorted(_enrolments(cohort_id, commune, learners), key=ENROLMENT_SORTS.get(sort, _by_name)),
                          page, per_page)
    progress = progress_for([e.user_id for e in result.items], cohort_id, list_modules_with_cases())
    result.items = [GradebookRow(e, progress.get(e.user_id, [])) for e in result.items]
    return result


@dataclass
class ModuleRate:
    """Completion and pass rates of one module in a cohort."""

    module_number: int
    title: str
    learners: int
    completed: int = 0
    passed: int = 0

    def rate(self, count: int) -> int:
        """count as a percentage of the cohort."""
        return round(100 * count / self.learners) if self.learners else 0


@dataclass
class CommuneRollup:
    """Supervisors' view of one commune or ward."""

    commune: str
    learners: int = 0
    percents: list[int] = field(default_factory=list)
    modules_passed: int = 0

    @property
    def average_percent(self) -> int:
        """Mean progress of the commune's learners."""
        return round(mean(self.percents)) if self.percents else 0


def module_rates(rows: list[GradebookRow]) -> list[ModuleRate]:
    """Per module: how many learners completed it and passed it."""
    rates = {}
    for row in rows:
        for m in row.modules:
            rate = rates.setdefault(m.module.id, ModuleRate(m.module.number, m.module.title, len(rows)))
            rate.completed += m.status in (ModuleStatus.COMPLETED, ModuleStatus.PASSED, ModuleStatus.NOT_PASSED)
            rate.passed += m.status == ModuleStatus.PASSED
    return sorted(rates.values(), key=lambda r: r.module_number)


def commune_rollup(rows: list[GradebookRow]) -> list[CommuneRollup]:
    """Progress and passes grouped by commune or ward."""
    rollup: dict[str, CommuneRollup] = {}
    for row in rows:
        item = rollup.setdefault(row.enrolment.commune, CommuneRollup(row.enrolment.commune))
        item.learners += 1
        item.percents.append(row.percent)
        item.modules_passed += sum(m.status == ModuleStatus.PASSED for m in row.modules)
    return sorted(rollup.values(), key=lambda c: sort_key(c.commune))


def inactive_learners(rows: list[GradebookRow], days: int, now: datetime) -> list[tuple[GradebookRow, datetime | None]]:
    """Learners with no study activity in the last `days` days (or never), longest idle first."""
    latest = last_activity([r.enrolment.user_id for r in rows])
    cutoff = now - timedelta(days=days)
    idle = [(r, latest.get(r.enrolment.user_id)) for r in rows
            if latest.get(r.enrolment.user_id) is None or latest[r.enrolment.user_id] < cutoff]
    return sorted(idle, key=lambda item: (item[1] is not None, item[1] or now))


@dataclass
class OptionChoice:
    """How many learners chose an option, beside the expert's value for it."""

    option_id: str
    text: str
    effectiveness: int
    count: int = 0


@dataclass
class QuestionChoices:
    """The cohort's choices on one choice question of one case version."""

    case_title: str
    case_slug: str
    version: int
    prompt: str
    options: list[OptionChoice]
    answered: int
    by_commune: dict[str, Counter] = field(default_factory=dict)  # commune -> option id -> how many chose it

    @property
    def disagrees(self) -> bool:
        """True when the cohort's most chosen option is not one the experts rate best."""
        if not self.answered:
            return False
        top = max(self.options, key=lambda o: o.count)
        return top.effectiveness < max(o.effectiveness for o in self.options)


def option_choices(cohort_id: int, module: int | None = None, case_id: int | None = None, commune: str = ""
                   ) -> list[QuestionChoices]:
    """For every single-choice question answered in the cohort (or one chuyên đề, one case, one commune), the count
    of each option chosen, in all and by commune."""
    # the version's id per answer, the versions once after: a version row per answer decoded its JSON columns
    # (the rendered case) thousands of times, 1.9 s for a cohort of 30
    stmt = (select(AttemptAnswer.question_id, AttemptAnswer.state, Attempt.case_version_id, Case.slug,
                   Enrolment.commune)
            .join(Attempt, Attempt.id == AttemptAnswer.attempt_id).join(Case, Case.id == Attempt.case_id)
            .join(Enrolment, (Enrolment.user_id == Attempt.user_id) & (Enrolment.cohort_id == Attempt.cohort_id))
            .where(Attempt.cohort_id == cohort_id, Attempt.state != AttemptState.IN_PROGRESS))
    if module is not None:
        stmt = stmt.join(Module, Module.id == Case.module_id).where(Module.number == module)
    if case_id is not None:
        stmt = stmt.where(Case.id == case_id)
    if commune:
        stmt = stmt.where(Enrolment.commune == commune)
    counts: dict[tuple[int, str], Counter] = defaultdict(Counter)
    communes: dict[tuple[int, str], dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
    slugs = {}
    for question_id, state, version_id, slug, where in db.session.execute(stmt):
        slugs[version_id] = slug
        picked = state.get("choice") or state.get("best")
        if picked:
            counts[(version_id, question_id)][picked] += 1
            communes[(version_id, question_id)][where][picked] += 1
    versions = {v.id: (v, slugs[v.id]) for v in db.session.scalars(
        select(CaseVersion).where(CaseVersion.id.in_(list(slugs))))} if slugs else {}
    result = []
    for (version_id, question_id), counter in sorted(counts.items()):
        version, slug = versions[version_id]
        definition = case_definition(version, slug)
        question = next((q for s in definition.stages for q in s.questions if q.id == question_id), None)
        if question is None or not question.options:
            continue
        result.append(QuestionChoices(version.title, slug, version.version, question.prompt,
                                      [OptionChoice(o.id, o.text, o.effectiveness, counter.get(o.id, 0))
                                       for o in question.options], sum(counter.values()),
                                      dict(sorted(communes[(version_id, question_id)].items(),
                                                  key=lambda item: sort_key(item[0])))))
    return result


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


@dataclass(frozen=True)
class LearnerSummary:
    """One learner at a glance, for a cohort's list: share of the course done, chuyên đề passed, last active."""

    percent: int
    passed: int
    last_active: datetime | None


def learner_summaries(user_ids: list[int], cohort_id: int) -> dict[int, LearnerSummary]:
    """The summaries of a page of learners, read together (the standings' queries and two more)."""
    standings, latest = progress_for(user_ids, cohort_id), last_activity(user_ids)
    return {user_id: LearnerSummary(overall_percent([row.work for row in rows]),
                                    sum(row.status == ModuleStatus.PASSED for row in rows), latest.get(user_id))
            for user_id, rows in standings.items()}


RECENTLY_REVIEWED = (select(Attempt).where(Attempt.user_id == bindparam("user_id"), Attempt.reviewed_at.is_not(None))
                     .options(joinedload(Attempt.case_version).load_only(CaseVersion.title))
                     .order_by(Attempt.reviewed_at.desc()).limit(bindparam("limit")))  # built once: on two pages


def recently_reviewed(user_id: int, limit: int = 5) -> list[Attempt]:
    """The learner's attempts most recently graded by an instructor, newest first."""
    return list(db.session.scalars(RECENTLY_REVIEWED, {"user_id": user_id, "limit": limit}))


@dataclass(frozen=True)
class CaseAttempts:
    """A case of a module with the learner's finished attempts and which of them the grade comes from."""

    case: Case
    attempts: list[Attempt]
    counted: frozenset[int]  # ids of the attempts the case score comes from
    score: float | None  # the case's counting score


def standing_of(user_id: int, module: Module, cohort_id: int | None) -> dict:
    """What a grade page shows beside the ledger: the module's status and grade (`standing`), the attempts behind
    it (`behind`)."""
    return {"standing": progress_for([user_id], cohort_id, [module])[user_id][0],
            "behind": attempts_behind(user_id, module, cohort_id)}


def attempts_behind(user_id: int, module: Module, cohort_id: int | None) -> list[CaseAttempts]:
    """The attempts behind a learner's module grade: each case of the module, its finished attempts (oldest
    first) and those counted under the module's grading policy; one query."""
    rows = db.session.scalars(
        select(Attempt).join(Case, Case.id == Attempt.case_id)
        .where(Case.module_id == module.id, Attempt.user_id == user_id, Attempt.state.in_(FINISHED_STATES),
               *([Attempt.cohort_id == cohort_id] if cohort_id else []))
        .order_by(Attempt.submitted_at, Attempt.id)).all()
    by_case: dict[int, list[Attempt]] = defaultdict(list)
    for attempt in rows:
        by_case[attempt.case_id].append(attempt)
    result = []
    for case in module.cases:
        if case.current is None:
            continue
        attempts = by_case.get(case.id, [])
        graded = [a for a in attempts if a.state == AttemptState.GRADED and a.score is not None]
        positions = counting_attempts([a.score for a in graded], module.grading_policy)
        result.append(CaseAttempts(case, attempts, frozenset(graded[i].id for i in positions),
                                   combine_attempts([a.score for a in graded], module.grading_policy)))
    return result
