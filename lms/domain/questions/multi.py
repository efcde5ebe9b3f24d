"""Question type `multi`: pick every option that applies."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lms.domain.cases import (
    Question,
    QuestionType,
)
from lms.domain.questions.base import (
    HARMFUL_PENALTY,
    RIGHT_MIN,
    WEAK_PENALTY,
    WEAK_VALUE,
    Grader,
    Result,
    _options,
    _result,
    register,
)
from lms.domain.responses import (
    Response,
    check_fields,
    check_option_ids,
)


@dataclass(frozen=True)
class MultiResponse(Response):
    """The options picked as applying, sorted by id (may be empty)."""

    choices: tuple[str, ...]


@register
class MultiGrader(Grader):
    """Pick every option that applies: 3-4 are right; a 2 costs half a right pick, a 1 a whole."""

    type = QuestionType.MULTI
    response_type = MultiResponse

    def parse(self, question: Question, raw: Any, draft: bool) -> MultiResponse:
        choices = check_fields(raw, required=("choices",))["choices"]
        return MultiResponse(tuple(sorted(check_option_ids(question, choices, "choices"))))

    def score(self, question: Question, response: MultiResponse, rubric_scores: Any) -> Result:
        picked = [o for o in question.options if o.id in response.choices]
        right = sum(o.effectiveness >= RIGHT_MIN for o in question.options)
        hits = sum(o.effectiveness >= RIGHT_MIN for o in picked)
        weak = sum(o.effectiveness == WEAK_VALUE for o in picked)
        harmful = sum(o.effectiveness < WEAK_VALUE for o in picked)
        penalty = WEAK_PENALTY * weak + HARMFUL_PENALTY * harmful
        if right:
            fraction = (hits - penalty) / right
        else:  # nothing to find: full credit only for leaving the wrong ones alone
            fraction = 0.0 if penalty else 1.0
        options = _options(
            question,
            chosen=lambda o: o.id in response.choices,
            right=lambda o: o.effectiveness >= RIGHT_MIN,
        )
        return _result(
            self.max_points(question), fraction,
            options=options, hits=hits, picked_weak=weak, picked_harmful=harmful,
        )
