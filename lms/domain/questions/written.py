"""Question type `written`: a written justification (optionally with a choice), graded with a rubric."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from lms.domain.cases import (
    Question,
    QuestionType,
)
from lms.domain.questions.base import (
    POINT_PLACES,
    Grader,
    Result,
    _effectiveness,
    _options,
    _points,
    best_fraction,
    register,
    round_half_up,
)
from lms.domain.responses import (
    InvalidResponse,
    Problem,
    Response,
    check_fields,
    check_option_id,
    check_text,
    normalize_rubric_scores,
)


@dataclass(frozen=True)
class WrittenResponse(Response):
    """A written justification and, when the question has options, the option picked."""

    text: str
    choice: str | None = None


@register
class WrittenGrader(Grader):
    """A justification graded by an instructor with the rubric, plus an optional choice part."""

    type = QuestionType.WRITTEN
    response_type = WrittenResponse

    def max_points(self, question: Question) -> float:
        """The rubric weight plus the choice weight."""
        return float(question.points) + self.choice_max(question)

    @staticmethod
    def choice_max(question: Question) -> float:
        """The weight of the choice part: choice_points when the question has options."""
        return float(question.choice_points) if question.options else 0.0

    def parse(self, question: Question, raw: Any, draft: bool) -> WrittenResponse:
        fields_ = check_fields(raw, required=("text",), optional=("choice",))
        text = check_text(fields_["text"], "text", allow_empty=draft)
        choice = fields_.get("choice")
        if choice is None:
            if question.options and not draft:
                raise InvalidResponse(Problem.MISSING_FIELD, field="choice")
            return WrittenResponse(text)
        if not question.options:
            raise InvalidResponse(Problem.UNEXPECTED_FIELD, field="choice")
        return WrittenResponse(text, check_option_id(question, choice, "choice"))

    def score(self, question: Question, response: WrittenResponse, rubric_scores: Any) -> Result:
        choice_fraction = (
            best_fraction(_effectiveness(question, response.choice)) if response.choice else 0.0
        )
        choice_points = _points(choice_fraction, self.choice_max(question))
        rubric = None if rubric_scores is None else normalize_rubric_scores(question, rubric_scores)
        rubric_points = (
            None if rubric is None
            else _points(self.rubric_fraction(question, rubric), float(question.points))
        )
        total = self.max_points(question)
        points = min(round_half_up(choice_points + (rubric_points or 0.0), POINT_PLACES), total)
        details = {
            "choice": response.choice,
            "choice_points": choice_points,
            "rubric_points": rubric_points,
            "rubric": None if rubric is None else self.rubric_details(question, rubric),
            "options": _options(question, chosen=lambda o: o.id == response.choice),
        }
        return Result(points, total, rubric is None, MappingProxyType(details))

    @staticmethod
    def rubric_fraction(question: Question, scores: Mapping[str, float]) -> float:
        """Sum of the levels given over the sum of the best levels, within 0..1."""
        best = sum(criterion.max_points for criterion in question.rubric)
        return min(max(sum(scores.values()) / best, 0.0), 1.0) if best > 0 else 0.0

    @staticmethod
    def rubric_details(question: Question, scores: Mapping[str, float]) -> dict[str, Any]:
        """Per-criterion points given and the best possible."""
        return {
            c.id: {"points": scores[c.id], "max_points": float(c.max_points)}
            for c in question.rubric
        }
