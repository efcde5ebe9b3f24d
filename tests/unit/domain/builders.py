"""Builders for case data in domain tests: short calls, valid content by default."""
from __future__ import annotations

from string import ascii_lowercase

from lms.domain.cases import (
    CaseDefinition,
    CaseKind,
    Option,
    Question,
    QuestionType,
    RubricCriterion,
    RubricLevel,
    Stage,
)


def options(*values: int, nexts: dict[str, str] | None = None) -> tuple[Option, ...]:
    """Options a, b, c ... with the given effectiveness values (and optional `next` by id)."""
    nexts = nexts or {}
    return tuple(
        Option(id=option_id, text=f"option {option_id}", effectiveness=value,
               rationale="why", next=nexts.get(option_id))
        for option_id, value in zip(ascii_lowercase, values)
    )


def criterion(criterion_id: str, *points: float) -> RubricCriterion:
    """A rubric criterion with one level per given points."""
    return RubricCriterion(
        id=criterion_id, title=criterion_id,
        levels=tuple(RubricLevel(points=p, description=f"level {p}") for p in points),
    )


def question(
    kind: QuestionType | str,
    *values: int,
    qid: str = "q1",
    points: float = 1.0,
    rubric: tuple[RubricCriterion, ...] = (),
    choice_points: float = 0.0,
    nexts: dict[str, str] | None = None,
) -> Question:
    """A question of the given type with options valued `values`."""
    return Question(
        id=qid, type=QuestionType(kind), prompt="What now?", options=options(*values, nexts=nexts),
        points=points, rubric=rubric, choice_points=choice_points,
    )


def written(
    *values: int, qid: str = "q1", points: float = 4.0, choice_points: float = 0.0
) -> Question:
    """A written question with a two-criterion rubric (best 2 + 3) and optional options."""
    rubric = (criterion("basis", 0, 1, 2), criterion("steps", 0, 1, 3))
    return question(
        QuestionType.WRITTEN, *values, qid=qid, points=points, rubric=rubric,
        choice_points=choice_points,
    )


def stage(stage_id: str, *questions: Question, next: str | None = None) -> Stage:
    """A stage asking the given questions."""
    return Stage(id=stage_id, title=stage_id, text="", questions=questions, next=next)


def case(*stages: Stage, slug: str = "tranh-chap") -> CaseDefinition:
    """A case made of the given stages; the first is the start."""
    return CaseDefinition(
        slug=slug, title="Case", kind=CaseKind.LAND_DISPUTE, summary="", scenario="", debrief="",
        stages=stages,
    )
