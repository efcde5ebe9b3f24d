"""Question type `rate`: rate each option on the 1-4 effectiveness scale."""
from __future__ import annotations

import random

from flask_babel import gettext as _

from lms.cases.questions.base import (
    AnswerState,
    FormData,
    QuestionUI,
    number_value,
    option_field,
    register,
)
from lms.domain.cases import (
    EFFECTIVENESS_MAX,
    EFFECTIVENESS_MIN,
    Question,
    QuestionType,
)
from lms.domain.presentation import ShownQuestion


@register
class RateUI(QuestionUI):
    """A row of 1-4 radio buttons beside each option."""

    type = QuestionType.RATE

    def instruction(self) -> str:
        return _("Đánh giá mức hiệu quả của từng phương án (1: có hại, 4: tốt nhất).")

    def read(self, view: ShownQuestion, form: FormData) -> AnswerState:
        return {"ratings": {o.id: number_value(view.question, form.get(option_field(view, "rate", o)),
                                               EFFECTIVENESS_MIN, EFFECTIVENESS_MAX, "rate")
                            for o in view.question.options}}

    def to_response(self, question: Question, state: AnswerState) -> dict | None:
        ratings = {k: v for k, v in state.get("ratings", {}).items() if v}
        return {"ratings": ratings} if ratings else None

    def marks(self, question: Question, state: AnswerState) -> dict[str, str]:
        return {k: str(v) for k, v in state.get("ratings", {}).items() if v}

    def example_form(self, view: ShownQuestion, good: bool, rng: random.Random) -> list[tuple[str, str]]:
        def rating(value: int) -> int:
            return min(EFFECTIVENESS_MAX, max(EFFECTIVENESS_MIN, value + (0 if good else rng.choice((-1, 1)))))

        return [(option_field(view, "rate", o), str(rating(o.effectiveness))) for o in view.question.options]
