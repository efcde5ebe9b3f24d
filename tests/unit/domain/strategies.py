"""Hypothesis strategies: valid questions of every type (per the content rules) and responses."""
from __future__ import annotations

from hypothesis import strategies as st

from lms.domain.cases import Question
from lms.domain.cases import QuestionType as T

from .builders import criterion, question

OPTION_COUNTS = {T.RANK: (3, 6), T.RATE: (3, 6)}  # other types: 3..8
WEIGHTS = st.sampled_from([0.5, 1.0, 1.5, 2.0, 3.0, 7.0, 0.3, 12.25])


@st.composite
def effectiveness_keys(draw, kind: T) -> tuple[int, ...]:
    """Option values with at least one 4 (and a 1 or 2 for best_worst), the 4 anywhere."""
    low, high = OPTION_COUNTS.get(kind, (3, 8))
    values = draw(st.lists(st.integers(1, 4), min_size=low - 1, max_size=high - 1))
    if kind is T.BEST_WORST and min(values) > 2:
        values[-1] = draw(st.integers(1, 2))
    values.insert(draw(st.integers(0, len(values))), 4)
    return tuple(values)


LEVELS = [(0, 1), (0, 1, 2), (0, 0.5, 1), (0, 1, 3, 5), (0, 2)]


@st.composite
def rubrics(draw):
    """One to four criteria, each with a 0 level and distinct positive levels."""
    count = draw(st.integers(1, 4))
    return tuple(criterion(f"c{i}", *draw(st.sampled_from(LEVELS))) for i in range(count))


@st.composite
def questions(draw, kind: T) -> Question:
    """A valid question of the given type."""
    if kind is T.WRITTEN:
        values = draw(st.none() | effectiveness_keys(T.BEST_ACTION)) or ()
        return question(
            kind, *values, points=draw(WEIGHTS), rubric=draw(rubrics()),
            choice_points=draw(WEIGHTS) if values else 0.0,
        )
    return question(kind, *draw(effectiveness_keys(kind)), points=draw(WEIGHTS))


@st.composite
def responses(draw, q: Question) -> dict:
    """A valid raw response to the question."""
    ids = [o.id for o in q.options]
    if q.type is T.BEST_ACTION:
        return {"choice": draw(st.sampled_from(ids))}
    if q.type is T.BEST_WORST:
        best, worst = draw(st.permutations(ids))[:2]
        return {"best": best, "worst": worst}
    if q.type is T.RANK:
        return {"order": draw(st.permutations(ids))}
    if q.type is T.RATE:
        return {"ratings": {i: draw(st.integers(1, 4)) for i in ids}}
    if q.type is T.MULTI:
        return {"choices": draw(st.lists(st.sampled_from(ids), unique=True))}
    raw: dict = {"text": draw(st.sampled_from(["Phương án", " x ", "a\r\nb"]))}
    if ids:
        raw["choice"] = draw(st.sampled_from(ids))
    return raw


@st.composite
def rubric_scores(draw, q: Question) -> dict | None:
    """None (not reviewed yet) or a level for every criterion."""
    if draw(st.booleans()):
        return None
    return {c.id: draw(st.sampled_from([level.points for level in c.levels])) for c in q.rubric}


def expert_response(q: Question) -> dict:
    """What the expert key itself answers."""
    by_value = sorted(q.options, key=lambda o: -o.effectiveness)
    ids = [o.id for o in q.options]
    if q.type is T.BEST_ACTION:
        return {"choice": by_value[0].id}
    if q.type is T.BEST_WORST:
        return {"best": by_value[0].id, "worst": by_value[-1].id}
    if q.type is T.RANK:
        return {"order": [o.id for o in by_value]}
    if q.type is T.RATE:
        return {"ratings": {o.id: o.effectiveness for o in q.options}}
    if q.type is T.MULTI:
        return {"choices": [o.id for o in q.options if o.effectiveness >= 3]}
    return {"text": "Phương án", "choice": by_value[0].id} if ids else {"text": "Phương án"}


def expert_rubric_scores(q: Question) -> dict:
    """The best level of every criterion."""
    return {c.id: c.max_points for c in q.rubric}


@st.composite
def graded_inputs(draw, kind: T) -> tuple[Question, dict, dict | None]:
    """A question of the type, a valid response to it and maybe rubric scores, in one draw."""
    q = draw(questions(kind))
    return q, draw(responses(q)), draw(rubric_scores(q))
