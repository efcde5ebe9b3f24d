"""Question type `rank`: order every option."""
from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations
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
    register,
)
from lms.domain.responses import (
    Response,
    check_all_options,
    check_fields,
    check_option_ids,
)


@dataclass(frozen=True)
class RankResponse(Response):
    """Every option, most effective first."""

    order: tuple[str, ...]


def count_discordant(question: Question, order: tuple[str, ...]) -> tuple[int, int]:
    """(discordant, comparable) pairs of a ranking against the key; ties in the key are free."""
    values = [_effectiveness(question, option_id) for option_id in order]
    discordant = comparable = 0
    for earlier, later in combinations(values, 2):
        if earlier != later:
            comparable += 1
            discordant += earlier < later
    return discordant, comparable


@register
class RankGrader(Grader):
    """Order all options; credit for each pair ordered as the expert orders it."""

    type = QuestionType.RANK
    option_count = (3, 6)
    response_type = RankResponse

    def parse(self, question: Question, raw: Any, draft: bool) -> RankResponse:
        order = check_option_ids(question, check_fields(raw, required=("order",))["order"], "order")
        check_all_options(question, order, "order")
        return RankResponse(order)

    def score(self, question: Question, response: RankResponse, rubric_scores: Any) -> Result:
        discordant, comparable = count_discordant(question, response.order)
        fraction = 1.0 - discordant / comparable if comparable else 1.0
        options = _options(question, position=lambda o: response.order.index(o.id) + 1)
        return _result(
            self.max_points(question), fraction,
            options=options, discordant=discordant, comparable=comparable,
        )
