"""Question type `best_action`: pick the one best option (the only type whose options may branch)."""
from __future__ import annotations

import random

from flask_babel import gettext as _

from lms.cases.questions.base import (
    AnswerState,
    FormData,
    QuestionUI,
    by_value,
    field_name,
    option_value,
    register,
)
from lms.domain.cases import Question, QuestionType
from lms.domain.presentation import ShownQuestion


@register
class BestActionUI(QuestionUI):
    """One radio button per option."""

    type = QuestionType.BEST_ACTION

    def instruction(self) -> str:
        return _("Chọn một phương án xử lý tốt nhất.")

    def read(self, view: ShownQuestion, form: FormData) -> AnswerState:
        return {"choice": option_value(view, form.get(field_name(view.question)), "choice")}

    def to_response(self, question: Question, state: AnswerState) -> dict | None:
        return {"choice": state["choice"]} if state.get("choice") else None

    def example_form(self, view: ShownQuestion, good: bool, rng: random.Random) -> list[tuple[str, str]]:
        question = view.question
        return [(field_name(question), view.token(by_value(question)[0] if good else rng.choice(question.options)))]
