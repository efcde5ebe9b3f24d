"""The web side of every question type, one module each; importing this package registers them all."""
import importlib
import pkgutil

from lms.cases.questions.base import (
    AnswerState,
    AnswerTooLong,
    QuestionUI,
    TamperedAnswer,
    registered_types,
    ui_for,
)

for _module in pkgutil.iter_modules(__path__):
    if _module.name != "base":
        importlib.import_module(f"{__name__}.{_module.name}")  # each type module registers its plugin

__all__ = ["AnswerState", "AnswerTooLong", "QuestionUI", "TamperedAnswer", "registered_types", "ui_for"]
