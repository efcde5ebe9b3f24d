"""Question type `best_worst`: pick the most and the least effective option."""
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
class BestWorstUI(QuestionUI):
    """A table of options with a 'best' and a 'worst' radio column."""

    type = QuestionType.BEST_WORST

    def instruction(self) -> str:
        return _("Chọn phương án hiệu quả nhất và phương án kém hiệu quả nhất.")

    def read(self, view: ShownQuestion, form: FormData) -> AnswerState:
        question = view.question
        return {"best": option_value(view, form.get(field_name(question, "best")), "best"),
                "worst": option_value(view, form.get(field_name(question, "worst")), "worst")}

    def to_response(self, question: Question, state: AnswerState) -> dict | None:
        return {k: state[k] for k in ("best", "worst") if state.get(k)} or None

    def marks(self, question: Question, state: AnswerState) -> dict[str, str]:
        return {state.get("best") or "": "best", state.get("worst") or "": "worst"}

    def example_form(self, view: ShownQuestion, good: bool, rng: random.Random) -> list[tuple[str, str]]:
        question = view.question
        ranked = by_value(question)
        worst = ranked[-1] if good else rng.choice(ranked[1:])  # drawn first: the demo's random sequence
        best = ranked[0] if good else rng.choice(ranked[:-1])
        return [(field_name(question, "best"), view.token(best)), (field_name(question, "worst"), view.token(worst))]
