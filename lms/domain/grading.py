"""Grading of every question type: one grader per type in a registry, pure data in and out.

Each grader has the same contract (modelled on CTFd's flag classes):
`normalize(question, raw, *, draft=False)` checks an untrusted response and returns its
canonical dataclass (raises `InvalidResponse`), and `grade(question, response,
rubric_scores=None)` returns a `Result`. Adding a type means one class here plus tests.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from itertools import combinations
from types import MappingProxyType
from typing import Any, ClassVar

from lms.domain.cases import (
    EFFECTIVENESS_MAX,
    EFFECTIVENESS_MIN,
    Option,
    Question,
    QuestionType,
)
from lms.domain.responses import (
    InvalidResponse,
    Problem,
    Response,
    check_all_options,
    check_fields,
    check_integer,
    check_option_id,
    check_option_ids,
    check_text,
    normalize_rubric_scores,
)

SCALE_SPAN = EFFECTIVENESS_MAX - EFFECTIVENESS_MIN
RIGHT_MIN = 3  # multi: options valued 3..4 are the right picks
WEAK_VALUE = 2  # multi: picking a 2 costs half a right pick ...
WEAK_PENALTY = 0.5
HARMFUL_PENALTY = 1.0  # ... and picking a 1 (harmful) costs a whole one
POINT_PLACES = 4
_EMPTY: Mapping[str, Any] = MappingProxyType({})


def round_half_up(value: float, places: int) -> float:
    """The value rounded half away from zero to `places` decimals, via its shortest decimal form."""
    quantum = Decimal(1).scaleb(-places)
    return float(Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Result:
    """Points earned out of max_points, and machine data for the review screen (no prose)."""

    points: float
    max_points: float
    needs_review: bool = False
    details: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)

    @property
    def fraction(self) -> float:
        """The share of max_points earned (0 when max_points is 0)."""
        return self.points / self.max_points if self.max_points > 0 else 0.0


def _points(fraction: float, max_points: float) -> float:
    """The points for a fraction of max_points: clamped, rounded, never above the maximum."""
    fraction = min(max(fraction, 0.0), 1.0)
    return min(round_half_up(fraction * max_points, POINT_PLACES), max_points)


def _result(max_points: float, fraction: float, **details: Any) -> Result:
    """A Result for a fraction of max_points, with the fraction among the details."""
    details["fraction"] = round_half_up(min(max(fraction, 0.0), 1.0), POINT_PLACES)
    return Result(_points(fraction, max_points), max_points, details=MappingProxyType(details))


def _options(question: Question, **columns: Callable[[Option], Any]) -> dict[str, Any]:
    """Per-option review data: the expert value plus one entry per column."""
    return {
        o.id: {"effectiveness": o.effectiveness} | {name: col(o) for name, col in columns.items()}
        for o in question.options
    }


def _effectiveness(question: Question, option_id: str) -> int:
    """The expert value of an option already checked to exist."""
    option = question.option(option_id)
    assert option is not None  # normalize() has checked every id
    return option.effectiveness


def best_fraction(effectiveness: int) -> float:
    """Credit for picking an option as the best: 0 for a 1, full for a 4."""
    return (effectiveness - EFFECTIVENESS_MIN) / SCALE_SPAN


def worst_fraction(question: Question, effectiveness: int) -> float:
    """Credit for the worst pick: full for the question's lowest value, none for a 4."""
    lowest = min(o.effectiveness for o in question.options)
    if lowest >= EFFECTIVENESS_MAX:
        return 1.0
    return (EFFECTIVENESS_MAX - effectiveness) / (EFFECTIVENESS_MAX - lowest)


class Grader(ABC):
    """One question type: how to check a response and how to grade it."""

    type: ClassVar[QuestionType]
    response_type: ClassVar[type[Response]]

    def normalize(self, question: Question, raw: Any, *, draft: bool = False) -> Any:
        """The canonical response for raw input (or a canonical one); raises InvalidResponse."""
        if isinstance(raw, self.response_type):
            raw = raw.to_raw()
        return self.parse(question, raw, draft)

    def grade(self, question: Question, response: Any, rubric_scores: Any = None) -> Result:
        """The Result for a response (raw or canonical), re-checked against the question."""
        return self.score(question, self.normalize(question, response, draft=True), rubric_scores)

    def max_points(self, question: Question) -> float:
        """The most a question of this type can earn."""
        return float(question.points)

    @abstractmethod
    def parse(self, question: Question, raw: Any, draft: bool) -> Any:
        """Check raw input and build the canonical response."""

    @abstractmethod
    def score(self, question: Question, response: Any, rubric_scores: Any) -> Result:
        """Grade a canonical response."""


_GRADERS: dict[QuestionType, Grader] = {}
GRADERS: Mapping[QuestionType, Grader] = MappingProxyType(_GRADERS)


def register(cls: type[Grader]) -> type[Grader]:
    """Class decorator adding one grader per question type to GRADERS."""
    if cls.type in _GRADERS:
        raise ValueError(f"a grader for {cls.type} is already registered")
    _GRADERS[cls.type] = cls()
    return cls


def grader_for(question: Question) -> Grader:
    """The registered grader for the question's type."""
    return GRADERS[QuestionType(question.type)]


def normalize(question: Question, raw: Any, *, draft: bool = False) -> Any:
    """Check an untrusted response to a question and return its canonical form."""
    return grader_for(question).normalize(question, raw, draft=draft)


def grade(question: Question, response: Any, rubric_scores: Any = None) -> Result:
    """Grade a response to a question with the grader registered for its type."""
    return grader_for(question).grade(question, response, rubric_scores)


def max_points(question: Question) -> float:
    """The most a question can earn."""
    return grader_for(question).max_points(question)


# --- best_action -------------------------------------------------------------


@dataclass(frozen=True)
class BestActionResponse(Response):
    """The one option picked."""

    choice: str


@register
class BestActionGrader(Grader):
    """Pick one option; credit by its effectiveness on the 1..4 scale."""

    type = QuestionType.BEST_ACTION
    response_type = BestActionResponse

    def parse(self, question: Question, raw: Any, draft: bool) -> BestActionResponse:
        choice = check_fields(raw, required=("choice",))["choice"]
        return BestActionResponse(check_option_id(question, choice, "choice"))

    def score(self, question: Question, response: BestActionResponse, rubric_scores: Any) -> Result:
        fraction = best_fraction(_effectiveness(question, response.choice))
        options = _options(question, chosen=lambda o: o.id == response.choice)
        return _result(self.max_points(question), fraction, options=options)


# --- best_worst --------------------------------------------------------------


@dataclass(frozen=True)
class BestWorstResponse(Response):
    """The options picked as most and least effective."""

    best: str
    worst: str


@register
class BestWorstGrader(Grader):
    """Pick the best and the worst option; half the credit for each pick."""

    type = QuestionType.BEST_WORST
    response_type = BestWorstResponse

    def parse(self, question: Question, raw: Any, draft: bool) -> BestWorstResponse:
        fields_ = check_fields(raw, required=("best", "worst"))
        best = check_option_id(question, fields_["best"], "best")
        worst = check_option_id(question, fields_["worst"], "worst")
        if best == worst:
            raise InvalidResponse(Problem.SAME_OPTION, option=best)
        return BestWorstResponse(best, worst)

    def score(self, question: Question, response: BestWorstResponse, rubric_scores: Any) -> Result:
        best = best_fraction(_effectiveness(question, response.best))
        worst = worst_fraction(question, _effectiveness(question, response.worst))
        options = _options(
            question, best=lambda o: o.id == response.best, worst=lambda o: o.id == response.worst
        )
        return _result(
            self.max_points(question), (best + worst) / 2, options=options,
            best_fraction=round_half_up(best, POINT_PLACES),
            worst_fraction=round_half_up(worst, POINT_PLACES),
        )


# --- rank --------------------------------------------------------------------


@dataclass(frozen=True)
class RankResponse(Response):
    """Every option, most effective first."""

    order: tuple[str, ...]


def count_discordant(question: Question, order: tuple[str, ...]) -> tuple[int, int]:
    """(discordant, comparable) pairs of a ranking against the key; ties in the key are free."""
    values = [_effectiveness(question, option_id) for option_id in order]
    discordant = comparable = 0
    for earlier, later in combinations(values, 2):
        if earlier != later:
            comparable += 1
            discordant += earlier < later
    return discordant, comparable


@register
class RankGrader(Grader):
    """Order all options; credit for each pair ordered as the expert orders it."""

    type = QuestionType.RANK
    response_type = RankResponse

    def parse(self, question: Question, raw: Any, draft: bool) -> RankResponse:
        order = check_option_ids(question, check_fields(raw, required=("order",))["order"], "order")
        check_all_options(question, order, "order")
        return RankResponse(order)

    def score(self, question: Question, response: RankResponse, rubric_scores: Any) -> Result:
        discordant, comparable = count_discordant(question, response.order)
        fraction = 1.0 - discordant / comparable if comparable else 1.0
        options = _options(question, position=lambda o: response.order.index(o.id) + 1)
        return _result(
            self.max_points(question), fraction,
            options=options, discordant=discordant, comparable=comparable,
        )


# --- rate --------------------------------------------------------------------


@dataclass(frozen=True)
class RateResponse(Response):
    """A rating 1..4 for every option, in the question's option order."""

    ratings: Mapping[str, int]


@register
class RateGrader(Grader):
    """Rate every option 1..4; credit by closeness of each rating to the key."""

    type = QuestionType.RATE
    response_type = RateResponse

    def parse(self, question: Question, raw: Any, draft: bool) -> RateResponse:
        ratings = check_fields(raw, required=("ratings",))["ratings"]
        if not isinstance(ratings, Mapping):
            kind = type(ratings).__name__
            raise InvalidResponse(Problem.INVALID_TYPE, field="ratings", type=kind)
        for option_id in ratings:
            check_option_id(question, option_id, "ratings")
        check_all_options(question, ratings, "ratings")
        low, high = EFFECTIVENESS_MIN, EFFECTIVENESS_MAX
        checked = {
            o.id: check_integer(ratings[o.id], "ratings", low, high, option=o.id)
            for o in question.options
        }
        return RateResponse(MappingProxyType(checked))

    def score(self, question: Question, response: RateResponse, rubric_scores: Any) -> Result:
        def distance(option: Option) -> int:
            return abs(response.ratings[option.id] - option.effectiveness)

        worst_total = SCALE_SPAN * len(question.options)
        total = sum(distance(o) for o in question.options)
        fraction = 1.0 - total / worst_total if worst_total else 1.0
        options = _options(question, rating=lambda o: response.ratings[o.id], distance=distance)
        return _result(self.max_points(question), fraction, options=options)


# --- multi -------------------------------------------------------------------


@dataclass(frozen=True)
class MultiResponse(Response):
    """The options picked as applying, sorted by id (may be empty)."""

    choices: tuple[str, ...]


@register
class MultiGrader(Grader):
    """Pick every option that applies: 3-4 are right; a 2 costs half a right pick, a 1 a whole."""

    type = QuestionType.MULTI
    response_type = MultiResponse

    def parse(self, question: Question, raw: Any, draft: bool) -> MultiResponse:
        choices = check_fields(raw, required=("choices",))["choices"]
        return MultiResponse(tuple(sorted(check_option_ids(question, choices, "choices"))))

    def score(self, question: Question, response: MultiResponse, rubric_scores: Any) -> Result:
        picked = [o for o in question.options if o.id in response.choices]
        right = sum(o.effectiveness >= RIGHT_MIN for o in question.options)
        hits = sum(o.effectiveness >= RIGHT_MIN for o in picked)
        weak = sum(o.effectiveness == WEAK_VALUE for o in picked)
        harmful = sum(o.effectiveness < WEAK_VALUE for o in picked)
        penalty = WEAK_PENALTY * weak + HARMFUL_PENALTY * harmful
        if right:
            fraction = (hits - penalty) / right
        else:  # nothing to find: full credit only for leaving the wrong ones alone
            fraction = 0.0 if penalty else 1.0
        options = _options(
            question,
            chosen=lambda o: o.id in response.choices,
            right=lambda o: o.effectiveness >= RIGHT_MIN,
        )
        return _result(
            self.max_points(question), fraction,
            options=options, hits=hits, picked_weak=weak, picked_harmful=harmful,
        )


# --- written -----------------------------------------------------------------


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
