"""The web side of every question type, one module each; importing this package registers them all."""
from lms.cases.questions import best_action, best_worst, multi, rank, rate, written  # noqa: F401  (registers)
from lms.cases.questions.base import (
    AnswerState,
    QuestionUI,
    TamperedAnswer,
    registered_types,
    ui_for,
)

__all__ = ["AnswerState", "QuestionUI", "TamperedAnswer", "registered_types", "ui_for"]
