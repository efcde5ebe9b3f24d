"""Question type `best_action`: pick the one best option."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lms.domain.cases import (
    Question,
    QuestionType,
)
from lms.domain.questions.base import (
    Grader,
    Result,
    _effectiveness,
    _options,
    _result,
    best_fraction,
    register,
)
from lms.domain.responses import (
    Response,
    check_fields,
    check_option_id,
)


@dataclass(frozen=True)
class BestActionResponse(Response):
    """The one option picked."""

    choice: str


@register
class BestActionGrader(Grader):
    """Pick one option; credit by its effectiveness on the 1..4 scale."""

    type = QuestionType.BEST_ACTION
    response_type = BestActionResponse

    def parse(self, question: Question, raw: Any, draft: bool) -> BestActionResponse:
        choice = check_fields(raw, required=("choice",))["choice"]
        return BestActionResponse(check_option_id(question, choice, "choice"))

    def score(self, question: Question, response: BestActionResponse, rubric_scores: Any) -> Result:
        fraction = best_fraction(_effectiveness(question, response.choice))
        options = _options(question, chosen=lambda o: o.id == response.choice)
        return _result(self.max_points(question), fraction, options=options)
