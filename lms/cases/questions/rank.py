"""Question type `rank`: order every option from most to least effective."""
from __future__ import annotations

import random

from flask_babel import gettext as _

from lms.cases.questions.base import (
    AnswerState,
    FormData,
    QuestionUI,
    by_value,
    number_value,
    option_field,
    register,
)
from lms.domain.cases import Question, QuestionType
from lms.domain.presentation import ShownQuestion


@register
class RankUI(QuestionUI):
    """A position menu (1..n) beside each option."""

    type = QuestionType.RANK

    def instruction(self) -> str:
        return _("Xếp hạng các phương án từ hiệu quả nhất (1) đến kém nhất.")

    def read(self, view: ShownQuestion, form: FormData) -> AnswerState:
        question, n = view.question, len(view.question.options)
        return {"positions": {o.id: number_value(question, form.get(option_field(view, "rank", o)), 1, n, "rank")
                              for o in question.options}}

    def to_response(self, question: Question, state: AnswerState) -> dict | None:
        positions = {k: v for k, v in state.get("positions", {}).items() if v}
        if not positions:
            return None
        return {"order": [oid for oid, _position in sorted(positions.items(), key=lambda item: item[1])]}

    def incomplete(self, question: Question, state: AnswerState | None) -> str | None:
        positions = [v for v in (state or {}).get("positions", {}).values() if v]
        complete = len(positions) == len(question.options) and len(set(positions)) == len(positions)
        return None if complete or not positions else "rank_incomplete"

    def marks(self, question: Question, state: AnswerState) -> dict[str, str]:
        return {k: str(v) for k, v in state.get("positions", {}).items() if v}

    def example_form(self, view: ShownQuestion, good: bool, rng: random.Random) -> list[tuple[str, str]]:
        ranked = by_value(view.question)
        order = ranked if good else rng.sample(ranked, len(ranked))
        return [(option_field(view, "rank", o), str(i)) for i, o in enumerate(order, start=1)]
