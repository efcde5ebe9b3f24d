"""Question type `multi`: pick every option that applies (options rated 3-4 are the right picks)."""
from __future__ import annotations

import random

from flask_babel import gettext as _

from lms.cases.questions.base import (
    AnswerState,
    FormData,
    QuestionUI,
    field_name,
    option_value,
    register,
)
from lms.domain.cases import Question, QuestionType
from lms.domain.presentation import ShownQuestion


@register
class MultiUI(QuestionUI):
    """One checkbox per option."""

    type = QuestionType.MULTI

    def instruction(self) -> str:
        return _("Chọn tất cả các việc nên làm.")

    def read(self, view: ShownQuestion, form: FormData) -> AnswerState:
        chosen = form.getlist(field_name(view.question))
        return {"choices": sorted({option_value(view, value, "choices") for value in chosen if value})}

    def to_response(self, question: Question, state: AnswerState) -> dict | None:
        # Every multi question has right options, so picking none is treated as not answered yet.
        return {"choices": list(state["choices"])} if state.get("choices") else None

    def marks(self, question: Question, state: AnswerState) -> dict[str, str]:
        return dict.fromkeys(state.get("choices", []), "chosen")

    def example_form(self, view: ShownQuestion, good: bool, rng: random.Random) -> list[tuple[str, str]]:
        question = view.question
        right = [o for o in question.options if o.effectiveness >= 3]
        chosen = right if good else right[:1] + [rng.choice(question.options)]
        return [(field_name(question), view.token(o)) for o in dict.fromkeys(chosen)]
