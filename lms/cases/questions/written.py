"""Question type `written`: a written justification, optionally with one choice; graded with a rubric."""
from __future__ import annotations

import random

from flask_babel import gettext as _

from lms.cases.questions.base import (
    MAX_TEXT,
    AnswerState,
    AnswerTooLong,
    FormData,
    QuestionUI,
    by_value,
    field_name,
    option_value,
    register,
)
from lms.domain.cases import Question, QuestionType
from lms.domain.presentation import ShownQuestion

EXAMPLE_TEXT = ("Trước hết tôi báo cáo Thường trực Đảng ủy, chỉ đạo UBND xã nắm chắc tình hình, "
                "tổ chức đối thoại với người dân, xử lý đúng thẩm quyền và báo cáo cấp trên đúng thời hạn.")


@register
class WrittenUI(QuestionUI):
    """A text area, after radio buttons when the question also asks for a choice."""

    type = QuestionType.WRITTEN
    max_text = MAX_TEXT  # shown under the text area

    def instruction(self) -> str:
        return _("Trình bày lập luận của đồng chí.")

    def read(self, view: ShownQuestion, form: FormData) -> AnswerState:
        question = view.question
        state: AnswerState = {"text": form.get(field_name(question, "text")) or ""}
        if question.options:
            state["choice"] = option_value(view, form.get(field_name(question)), "choice")
        if len(state["text"]) > MAX_TEXT:
            raise AnswerTooLong(question.id, len(state["text"]), state)
        return state

    def to_response(self, question: Question, state: AnswerState) -> dict | None:
        response = {"text": state.get("text", "")}
        if question.options and state.get("choice"):
            response["choice"] = state["choice"]
        return response if (response["text"].strip() or "choice" in response) else None

    def example_form(self, view: ShownQuestion, good: bool, rng: random.Random) -> list[tuple[str, str]]:
        question = view.question
        fields = [(field_name(question, "text"), EXAMPLE_TEXT)]
        if question.options:
            pick = by_value(question)[0] if good else rng.choice(question.options)
            fields.insert(0, (field_name(question), view.token(pick)))
        return fields
