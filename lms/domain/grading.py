"""Grading of every question type, the one entry point: the registry and its functions, every type registered.

The contract and the registry live in `lms.domain.questions.base`; each type is one module of
`lms.domain.questions` (its response dataclass and its grader). Adding a type adds one module there.
"""
from __future__ import annotations

from lms.domain.questions.base import (
    GRADERS,
    POINT_PLACES,
    Grader,
    Result,
    grade,
    grader_for,
    max_points,
    normalize,
    register,
    round_half_up,
)
from lms.domain.questions.best_action import BestActionGrader, BestActionResponse
from lms.domain.questions.best_worst import BestWorstGrader, BestWorstResponse
from lms.domain.questions.multi import MultiGrader, MultiResponse
from lms.domain.questions.rank import RankGrader, RankResponse, count_discordant
from lms.domain.questions.rate import RateGrader, RateResponse
from lms.domain.questions.written import WrittenGrader, WrittenResponse
from lms.domain.responses import InvalidResponse, Problem, normalize_rubric_scores

__all__ = [
    "GRADERS", "POINT_PLACES", "BestActionGrader", "BestActionResponse", "BestWorstGrader", "BestWorstResponse",
    "Grader", "InvalidResponse", "MultiGrader", "MultiResponse", "Problem", "RankGrader", "RankResponse",
    "RateGrader", "RateResponse", "Result", "WrittenGrader", "WrittenResponse", "count_discordant", "grade",
    "grader_for", "max_points", "normalize", "normalize_rubric_scores", "register", "round_half_up",
]
