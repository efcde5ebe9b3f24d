"""Question type `rate`: rate every option 1-4."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from lms.domain.cases import (
    EFFECTIVENESS_MAX,
    EFFECTIVENESS_MIN,
    Option,
    Question,
    QuestionType,
)
from lms.domain.questions.base import (
    SCALE_SPAN,
    Grader,
    Result,
    _options,
    _result,
    register,
)
from lms.domain.responses import (
    InvalidResponse,
    Problem,
    Response,
    check_all_options,
    check_fields,
    check_integer,
    check_option_id,
)


@dataclass(frozen=True)
class RateResponse(Response):
    """A rating 1..4 for every option, in the question's option order."""

    ratings: Mapping[str, int]


@register
class RateGrader(Grader):
    """Rate every option 1..4; credit by closeness of each rating to the key."""

    type = QuestionType.RATE
    option_count = (3, 6)
    response_type = RateResponse

    def parse(self, question: Question, raw: Any, draft: bool) -> RateResponse:
        ratings = check_fields(raw, required=("ratings",))["ratings"]
        if not isinstance(ratings, Mapping):
            kind = type(ratings).__name__
            raise InvalidResponse(Problem.INVALID_TYPE, field="ratings", type=kind)
        for option_id in ratings:
            check_option_id(question, option_id, "ratings")
        check_all_options(question, ratings, "ratings")
        low, high = EFFECTIVENESS_MIN, EFFECTIVENESS_MAX
        checked = {
            o.id: check_integer(ratings[o.id], "ratings", low, high, option=o.id)
            for o in question.options
        }
        return RateResponse(MappingProxyType(checked))

    def score(self, question: Question, response: RateResponse, rubric_scores: Any) -> Result:
        def distance(option: Option) -> int:
            return abs(response.ratings[option.id] - option.effectiveness)

        worst_total = SCALE_SPAN * len(question.options)
        total = sum(distance(o) for o in question.options)
        fraction = 1.0 - total / worst_total if worst_total else 1.0
        options = _options(question, rating=lambda o: response.ratings[o.id], distance=distance)
        return _result(self.max_points(question), fraction, options=options)
