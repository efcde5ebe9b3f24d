"""Answers as the learner left them: reading a stage's form through each question type's plugin, and
turning saved states into the responses the graders in lms.domain accept.

The saved *state* is the form as the learner left it (so a half-finished ranking comes back as left);
each question type's web plugin (`lms.cases.questions`) knows its fields and its state.
"""
from __future__ import annotations

from lms.cases.questions import AnswerState, AnswerTooLong, TamperedAnswer, ui_for
from lms.cases.questions.base import FormData
from lms.domain.cases import Question, Stage
from lms.domain.presentation import shown

__all__ = ["AnswerState", "AnswerTooLong", "FormData", "TamperedAnswer", "read_question", "read_stage", "to_response"]


def read_question(question: Question, form: FormData, seed: int | None = None) -> AnswerState:
    """The state of one question's fields in a form posted by the attempt with this option seed."""
    return ui_for(question).read(shown(question, seed), form)


def read_stage(stage: Stage, form: FormData, seed: int | None = None) -> dict[str, AnswerState]:
    """The states of every question of a stage (raises TamperedAnswer on a value no shown option posts)."""
    return {question.id: read_question(question, form, seed) for question in stage.questions}


def to_response(question: Question, state: AnswerState | None) -> dict | None:
    """The grader's response for a saved state, or None when nothing was answered."""
    return ui_for(question).to_response(question, state) if state else None
