"""Question type `best_worst`: pick the best and the worst option."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lms.domain.cases import (
    Question,
    QuestionType,
)
from lms.domain.questions.base import (
    POINT_PLACES,
    Grader,
    Result,
    _effectiveness,
    _options,
    _result,
    best_fraction,
    register,
    round_half_up,
    worst_fraction,
)
from lms.domain.responses import (
    InvalidResponse,
    Problem,
    Response,
    check_fields,
    check_option_id,
)


@dataclass(frozen=True)
class BestWorstResponse(Response):
    """The options picked as most and least effective."""

    best: str
    worst: str


@register
class BestWorstGrader(Grader):
    """Pick the best and the worst option; half the credit for each pick."""

    type = QuestionType.BEST_WORST
    response_type = BestWorstResponse

    def parse(self, question: Question, raw: Any, draft: bool) -> BestWorstResponse:
        fields_ = check_fields(raw, required=("best", "worst"))
        best = check_option_id(question, fields_["best"], "best")
        worst = check_option_id(question, fields_["worst"], "worst")
        if best == worst:
            raise InvalidResponse(Problem.SAME_OPTION, option=best)
        return BestWorstResponse(best, worst)

    def score(self, question: Question, response: BestWorstResponse, rubric_scores: Any) -> Result:
        best = best_fraction(_effectiveness(question, response.best))
        worst = worst_fraction(question, _effectiveness(question, response.worst))
        options = _options(
            question, best=lambda o: o.id == response.best, worst=lambda o: o.id == response.worst
        )
        return _result(
            self.max_points(question), (best + worst) / 2, options=options,
            best_fraction=round_half_up(best, POINT_PLACES),
            worst_fraction=round_half_up(worst, POINT_PLACES),
        )
