"""The item analysis read model: every question's statistics over the graded attempts of a cohort (or all),
filtered by chuyên đề and by commune/ward, in a fixed number of queries."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import and_, select

from lms.catalog.store import case_definition
from lms.domain.cases import Question
from lms.domain.item_analysis import ItemResponse, ItemStats, analyse, picks_options
from lms.domain.presentation import draw_variant
from lms.extensions import db
from lms.models import Attempt, AttemptAnswer, AttemptState, Case, CaseVersion, Enrolment, Module


@dataclass(frozen=True)
class ItemRow:
    """One question of one case with its statistics."""

    module_number: int
    case_title: str
    slug: str
    question: Question
    stage_number: int
    stats: ItemStats


@dataclass(frozen=True)
class ItemFilters:
    """Which attempts count: a cohort (None: every cohort), a chuyên đề number, a commune or ward."""

    cohort_id: int | None = None
    module_number: int | None = None
    commune: str = ""


def chosen_options(state: dict) -> tuple[str, ...]:
    """The options an answer picked (single choice, best pick, or every ticked one)."""
    picked = state.get("choice") or state.get("best")
    return (picked,) if picked else tuple(state.get("choices") or ())


def _attempt_rows(filters: ItemFilters):
    """The answers' columns the statistics need, in course order: whole rows (an attempt's path, a chuyên đề's
    objectives and references, all JSON) were decoded for every answer, 0.7 s for a cohort of 30."""
    stmt = (select(Attempt.case_id, Module.number, Attempt.option_seed, Attempt.points, Attempt.max_points,
                   AttemptAnswer.question_id, AttemptAnswer.points, AttemptAnswer.max_points, AttemptAnswer.state)
            .join(AttemptAnswer, AttemptAnswer.attempt_id == Attempt.id)
            .join(Case, Case.id == Attempt.case_id).join(Module, Module.id == Case.module_id)
            .where(Attempt.state == AttemptState.GRADED, Attempt.max_points > 0))
    if filters.cohort_id is not None:
        stmt = stmt.where(Attempt.cohort_id == filters.cohort_id)
    if filters.module_number is not None:
        stmt = stmt.where(Module.number == filters.module_number)
    if filters.commune:
        stmt = stmt.join(Enrolment, and_(Enrolment.user_id == Attempt.user_id, Enrolment.cohort_id == Attempt.cohort_id)
                         ).where(Enrolment.commune == filters.commune)
    return db.session.execute(stmt.order_by(Module.number, Case.position, Attempt.id)).all()


def item_rows(filters: ItemFilters) -> list[ItemRow]:
    """Every question with graded answers under the filters, in course order, with its statistics."""
    responses: dict[tuple[int, str], list[tuple[int | None, ItemResponse]]] = defaultdict(list)
    numbers: dict[int, int] = {}  # case id -> its chuyên đề's number, in course order
    for case_id, number, seed, case_points, case_max, question_id, points, max_points, state in _attempt_rows(filters):
        numbers[case_id] = number
        if max_points:
            responses[(case_id, question_id)].append((seed, ItemResponse(
                points or 0.0, max_points, chosen_options(state or {}), case_points or 0.0, case_max)))
    cases = {c.id: c for c in db.session.scalars(select(Case).where(Case.id.in_(list(numbers))))} if numbers else {}
    versions = {v.id: v for v in db.session.scalars(select(CaseVersion).where(
        CaseVersion.id.in_([c.current_version_id for c in cases.values() if c.current_version_id])))}
    rows = []
    for case_id, module_number in numbers.items():
        case = cases[case_id]
        version = versions.get(case.current_version_id)
        if version is None:
            continue
        definition = case_definition(version, case.slug)
        for stage_number, stage in enumerate(definition.stages, start=1):
            for question in stage.questions:
                for drawn, found in _by_variant(question, responses.get((case.id, question.id), [])):
                    ratings = {o.id: o.effectiveness for o in drawn.options} if picks_options(drawn.type) else {}
                    rows.append(ItemRow(module_number, version.title, case.slug, drawn, stage_number,
                                        analyse(found, ratings)))
    return rows


def _by_variant(question: Question, found: list[tuple[int | None, ItemResponse]]) -> list[tuple[Question, list]]:
    """The responses split by the version of the question each attempt drew (its variants have their own wording
    and options, so pooling them would mix different items); the question as written first, then each variant."""
    groups: dict[int, list[ItemResponse]] = defaultdict(list)
    versions = {0: question, **{v.variant: v for v in question.variants}}
    for seed, response in found:
        groups[draw_variant(question, seed).variant].append(response)
    return [(versions[n], groups[n]) for n in sorted(groups) if n in versions]
