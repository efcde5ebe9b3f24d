"""Item analysis of case questions (the statistics Moodle's quiz report gives): pure numbers in and out.

For each question, over the finished attempts that reached it:
- facility: the mean score on the question as a share of its maximum (1.0: everyone earned full marks);
- discrimination: the Pearson correlation of the question's score with the rest of the case score (the case
  score without this question), so a question does not correlate with itself;
- the upper-lower index: the mean share earned by the strongest 27% of attempts (by case score) minus that of
  the weakest 27%;
- per option: how often it was chosen, and by the strongest 27%.
Flags in plain words: too easy, too hard, does not discriminate, negative discrimination, a distractor nobody
picks, and "key possibly wrong" when the strongest attempts prefer another option to the key's best.
"""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

from lms.domain.cases import QuestionType

GROUP_SHARE = 0.27
TOO_EASY, TOO_HARD = 0.9, 0.2
WEAK_DISCRIMINATION = 0.2
MIN_ATTEMPTS_FOR_FLAGS = 5


@dataclass(frozen=True)
class ItemResponse:
    """One attempt's result on one question: points out of max, the options it chose, the attempt's case score."""

    points: float
    max_points: float
    chosen: tuple[str, ...]
    case_points: float
    case_max: float


@dataclass(frozen=True)
class OptionStats:
    """How one option fared."""

    option_id: str
    rating: int
    chosen: int
    chosen_by_upper: int


@dataclass(frozen=True)
class ItemStats:
    """The statistics and flags of one question."""

    attempts: int
    facility: float | None
    discrimination: float | None
    upper_lower: float | None
    options: tuple[OptionStats, ...] = ()
    flags: tuple[str, ...] = field(default=())


def pearson(xs: list[float], ys: list[float]) -> float | None:
    """The correlation coefficient, or None when either series does not vary."""
    n = len(xs)
    if n < 2:
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / math.sqrt(sxx * syy)


def picks_options(question_type: str) -> bool:
    """Whether an answer to this type picks options, so that how often each was chosen (and the distractor and key
    flags read from it) means something: not for rank and rate, where every option gets a position or a rating."""
    return QuestionType(question_type) not in (QuestionType.RANK, QuestionType.RATE)


def group_size(n: int) -> int:
    """How many attempts make the upper (and the lower) group: 27%, at least one."""
    return max(1, round(GROUP_SHARE * n))


def analyse(responses: list[ItemResponse], ratings: dict[str, int]) -> ItemStats:
    """The statistics of one question from its responses; `ratings` maps each option id to its expert rating."""
    n = len(responses)
    if n == 0:
        return ItemStats(0, None, None, None, tuple(OptionStats(o, r, 0, 0) for o, r in ratings.items()))
    shares = [r.points / r.max_points if r.max_points else 0.0 for r in responses]
    rest = [(r.case_points - r.points) / (r.case_max - r.max_points) if r.case_max > r.max_points else 0.0
            for r in responses]
    facility = sum(shares) / n
    by_strength = sorted(range(n), key=lambda i: (responses[i].case_points / responses[i].case_max
                                                  if responses[i].case_max else 0.0))
    k = group_size(n)
    lower, upper = by_strength[:k], by_strength[-k:]
    upper_lower = sum(shares[i] for i in upper) / k - sum(shares[i] for i in lower) / k
    chosen = Counter(o for r in responses for o in r.chosen)
    chosen_upper = Counter(o for i in upper for o in responses[i].chosen)
    options = tuple(OptionStats(o, rating, chosen[o], chosen_upper[o]) for o, rating in ratings.items())
    discrimination = pearson(shares, rest)
    stats = ItemStats(n, facility, discrimination, upper_lower, options)
    return ItemStats(n, facility, discrimination, upper_lower, options, flags(stats))


def flags(stats: ItemStats) -> tuple[str, ...]:
    """Plain-word flags of a question's statistics (codes; the web layer words them)."""
    if stats.attempts < MIN_ATTEMPTS_FOR_FLAGS or stats.facility is None:
        return ()
    found = []
    if stats.facility > TOO_EASY:
        found.append("too_easy")
    elif stats.facility < TOO_HARD:
        found.append("too_hard")
    if stats.discrimination is not None and stats.discrimination < 0:
        found.append("negative_discrimination")
    elif stats.discrimination is None or stats.discrimination < WEAK_DISCRIMINATION:
        found.append("does_not_discriminate")
    if any(o.chosen == 0 and o.rating < max(x.rating for x in stats.options) for o in stats.options):
        found.append("unpicked_distractor")
    if _strong_prefer_another(stats.options):
        found.append("key_possibly_wrong")
    return tuple(found)


def _strong_prefer_another(options: tuple[OptionStats, ...]) -> bool:
    if not options:
        return False
    top = max(o.rating for o in options)
    best_upper = max((o.chosen_by_upper for o in options if o.rating == top), default=0)
    return any(o.rating < top and o.chosen_by_upper > best_upper for o in options)
