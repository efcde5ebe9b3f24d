"""Hypothesis strategies for valid content objects in the shipped format (already tidy and NFC)."""
from __future__ import annotations

import datetime

from hypothesis import strategies as st

from lms.content.schema import (
    GRADING_POLICIES,
    LessonDoc,
    ModuleDoc,
    ModulePolicy,
    Reference,
)
from lms.domain.cases import (
    CaseDefinition,
    CaseKind,
    Option,
    Question,
    RubricCriterion,
    RubricLevel,
    Stage,
)
from lms.domain.cases import QuestionType as T

# no '#', '!', '[' or backticks: those would make headings, call-outs, links or code the validator checks
ALPHABET = "abcdeghiklmnopqrstuvxyABCDĐđàáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹ0123456789 .,:;?'\"-()/%&*_<>"
TEXT = st.text(alphabet=ALPHABET, min_size=1, max_size=16).map(str.strip).filter(bool)
MARKDOWN = st.lists(TEXT, min_size=1, max_size=4).flatmap(
    lambda lines: st.sampled_from(["\n", "\n\n"]).map(lambda sep: sep.join(lines)))
SLUG = st.from_regex(r"[a-z0-9]{1,5}(-[a-z0-9]{1,4}){0,2}", fullmatch=True)
WEIGHT = st.sampled_from([1.0, 2.0, 0.5, 4.0]) | st.floats(0.01, 100, allow_nan=False)
DATES = st.dates(datetime.date(1945, 9, 2), datetime.date(2100, 12, 31))
COUNTS = {T.RANK: (3, 6), T.RATE: (3, 6)}


@st.composite
def options(draw, kind: T, branch_to: tuple[str, ...] = ()) -> tuple[Option, ...]:
    """Valid options for a question type; branching options lead to the given stages."""
    low, high = COUNTS.get(kind, (3, 8))
    values = [4] + draw(st.lists(st.integers(1, 4), min_size=low - 1, max_size=high - 1))
    if kind is T.BEST_WORST and min(values) > 2:
        values[-1] = 1
    values = draw(st.permutations(values))
    return tuple(Option("abcdefgh"[i], draw(TEXT), value, draw(TEXT), draw(st.just("") | TEXT),
                        draw(st.sampled_from(branch_to)) if branch_to and draw(st.booleans()) else None)
                 for i, value in enumerate(values))


@st.composite
def rubric(draw) -> tuple[RubricCriterion, ...]:
    """One to three criteria, each with a 0 level and distinct other levels."""
    return tuple(RubricCriterion(f"c{i}", draw(TEXT), tuple(
        RubricLevel(points, draw(TEXT))
        for points in draw(st.permutations([0.0, *draw(st.sets(st.sampled_from([0.5, 1.0, 2.0, 3.0]), min_size=1))]))))
        for i in range(draw(st.integers(1, 3))))


@st.composite
def question(draw, question_id: str, branch_to: tuple[str, ...] = ()) -> Question:
    """A valid question; only a best_action question given stages to branch to may branch."""
    kind = T.BEST_ACTION if branch_to else draw(st.sampled_from(list(T)))
    if kind is T.WRITTEN:
        paired = draw(st.none() | options(T.BEST_ACTION)) or ()
        return Question(question_id, kind, draw(TEXT), paired, draw(WEIGHT), draw(rubric()),
                        draw(WEIGHT) if paired else 0.0)
    return Question(question_id, kind, draw(TEXT), draw(options(kind, branch_to)), draw(WEIGHT))


@st.composite
def cases(draw) -> CaseDefinition:
    """A valid case: stages in a chain, the first may branch forward (so no loops, all reachable)."""
    count = draw(st.integers(1, 4))
    ids = [f"s{i}" for i in range(count)]
    stages = []
    for i, stage_id in enumerate(ids):
        later = tuple(ids[i + 1:]) if i == 0 else ()
        first = draw(question(f"q{i}a", later))
        extra = draw(st.lists(question(f"q{i}b"), max_size=1))
        stages.append(Stage(stage_id, draw(TEXT), draw(st.just("") | MARKDOWN), (first, *extra),
                            ids[i + 1] if i + 1 < count else None))
    return CaseDefinition(draw(SLUG), draw(TEXT), draw(st.sampled_from([k for k in CaseKind if k != CaseKind.KNOWLEDGE_CHECK])), draw(TEXT),
                          draw(MARKDOWN), draw(MARKDOWN), tuple(stages), draw(st.booleans()),
                          tuple(draw(st.lists(TEXT, max_size=2))))


policies = st.builds(ModulePolicy, st.floats(0, 10, allow_nan=False), st.integers(0, 10),
                     st.sampled_from(GRADING_POLICIES), st.integers(0, 240), st.none() | DATES)
references = st.builds(Reference, TEXT, TEXT, st.none() | DATES, st.booleans())
modules = st.builds(ModuleDoc, st.integers(1, 18), SLUG, TEXT, TEXT, st.integers(1, 3),
                    st.floats(0.25, 500, allow_nan=False) | st.integers(1, 60).map(float),
                    st.lists(TEXT, min_size=2, max_size=4).map(tuple),
                    st.lists(references, min_size=1, max_size=3).map(tuple), policies, st.just("") | MARKDOWN)
lessons = st.builds(LessonDoc, st.integers(1, 99), SLUG, TEXT, TEXT, st.just("") | MARKDOWN)
