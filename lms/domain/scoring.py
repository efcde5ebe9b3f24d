"""Scoring a case attempt along the path taken, and grades on the Vietnamese 10-point scale."""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from lms.domain.cases import CaseDefinition, Question, Stage
from lms.domain.grading import (
    POINT_PLACES,
    Result,
    grade,
    max_points,
    normalize,
    round_half_up,
)

TEN = Decimal(10)
TENTH = Decimal("0.1")
DEFAULT_PASS_MARK = 5.0


def _decimal(value: float) -> Decimal:
    """The shortest decimal form of a float, so 6.25 stays 6.25."""
    return Decimal(str(value))


def _half_up_tenth(value: Decimal) -> float:
    """A decimal rounded half-up to one decimal place, as the 10-point scale shows it."""
    return float(value.quantize(TENTH, rounding=ROUND_HALF_UP))


# --- the path through a case -------------------------------------------------


def _is_answered(question: Question, responses: Mapping[str, Any]) -> bool:
    """True when the question has a response."""
    return responses.get(question.id) is not None


def next_stage_id(stage: Stage, responses_by_question_id: Mapping[str, Any]) -> str | None:
    """The chosen option's `next` on the stage's branching question, else the stage's `next`."""
    for question in stage.questions:
        if question.is_branching and _is_answered(question, responses_by_question_id):
            response = normalize(question, responses_by_question_id[question.id], draft=True)
            choice = getattr(response, "choice", None)
            option = question.option(choice) if choice else None
            if option is not None and option.next:
                return option.next
    return stage.next


def _walk(case: CaseDefinition, responses: Mapping[str, Any]) -> tuple[tuple[str, ...], bool]:
    """The stage ids the responses lead through, and whether the path reached its end."""
    path: list[str] = []
    stage: Stage | None = case.start
    while stage is not None:
        if stage.id in path:
            raise ValueError(f"case {case.slug}: stage {stage.id} is reached twice")
        path.append(stage.id)
        if not all(_is_answered(q, responses) for q in stage.questions):
            return tuple(path), False
        following = next_stage_id(stage, responses)
        if following is None:
            break
        stage = case.stage(following)
        if stage is None:
            raise ValueError(f"case {case.slug}: unknown stage {following}")
    return tuple(path), True


def walk_path(case: CaseDefinition, responses: Mapping[str, Any]) -> tuple[str, ...]:
    """The stage ids from the start, up to the first stage not fully answered or the final stage."""
    return _walk(case, responses)[0]


def is_path_complete(case: CaseDefinition, responses: Mapping[str, Any]) -> bool:
    """True when the responses answer every question on a path that ends at a final stage."""
    return _walk(case, responses)[1]


def is_reachable(case: CaseDefinition, path: Iterable[str], stage_id: str) -> bool:
    """True when the stage exists and lies on the path walked so far (so it may be answered)."""
    return case.stage(stage_id) is not None and stage_id in tuple(path)


def stage_of_question(case: CaseDefinition, question_id: str) -> Stage | None:
    """The stage that asks the question, or None."""
    return next((s for s in case.stages if any(q.id == question_id for q in s.questions)), None)


def off_path_question_ids(case: CaseDefinition, responses: Mapping[str, Any]) -> tuple[str, ...]:
    """Ids of answered questions that are unknown or on stages the responses do not reach."""
    path = walk_path(case, responses)
    return tuple(
        question_id
        for question_id in responses
        if (stage := stage_of_question(case, question_id)) is None or stage.id not in path
    )


# --- scoring an attempt ------------------------------------------------------


@dataclass(frozen=True)
class AttemptScore:
    """The score of one attempt over the questions on the path it took."""

    points: float
    max_points: float
    score10: float | None  # None while a written answer awaits review
    questions: Mapping[str, Result]
    needs_review: bool
    path: tuple[str, ...] = ()
    is_complete: bool = True  # False when the path stops before a final stage
    unanswered: tuple[str, ...] = ()  # ids of questions on the path without a response


def _unanswered_result(question: Question) -> Result:
    """Zero points out of the question's maximum."""
    return Result(0.0, max_points(question), details=MappingProxyType({"answered": False}))


def score_attempt(
    case: CaseDefinition,
    responses: Mapping[str, Any],
    rubric_scores_by_question: Mapping[str, Any] | None = None,
) -> AttemptScore:
    """Grade the questions on the path the responses take; unanswered ones earn 0."""
    rubric = rubric_scores_by_question or {}
    path, complete = _walk(case, responses)
    results: dict[str, Result] = {}
    unanswered: list[str] = []
    for question in _questions_on(case, path):
        if _is_answered(question, responses):
            results[question.id] = grade(question, responses[question.id], rubric.get(question.id))
        else:
            results[question.id] = _unanswered_result(question)
            unanswered.append(question.id)
    points = _sum_points(r.points for r in results.values())
    total = _sum_points(r.max_points for r in results.values())
    needs_review = any(r.needs_review for r in results.values())
    return AttemptScore(
        points=points,
        max_points=total,
        score10=None if needs_review else to_ten_point(points, total),
        questions=MappingProxyType(results),
        needs_review=needs_review,
        path=path,
        is_complete=complete,
        unanswered=tuple(unanswered),
    )


def _questions_on(case: CaseDefinition, path: Iterable[str]) -> list[Question]:
    """The questions of the stages on the path, in order."""
    stages = [case.stage(stage_id) for stage_id in path]
    return [question for stage in stages if stage is not None for question in stage.questions]


def _sum_points(values: Iterable[float]) -> float:
    """An exact decimal sum of points, rounded like question points."""
    return round_half_up(float(sum((_decimal(v) for v in values), Decimal(0))), POINT_PLACES)


def to_ten_point(points: float, max_points: float) -> float:
    """Points out of max_points on the 10-point scale, rounded half-up to one decimal."""
    if max_points <= 0:
        raise ValueError("max_points must be positive")
    top = _decimal(max_points)
    earned = min(max(_decimal(points), Decimal(0)), top)
    return _half_up_tenth(earned * TEN / top)


# --- combining scores --------------------------------------------------------


class GradingPolicy(StrEnum):
    """Which attempt at a case counts."""

    BEST = "best"
    LAST = "last"
    AVERAGE = "average"


def _exact_mean(scores: Sequence[float]) -> Decimal:
    """The mean, unrounded: a part of a grade that is rounded once, at the end."""
    return sum(_decimal(s) for s in scores) / len(scores)


def _mean(scores: Sequence[float]) -> float:
    """The mean, rounded half-up to one decimal."""
    return _half_up_tenth(_exact_mean(scores))


def combine_attempts(scores: Sequence[float], policy: GradingPolicy | str) -> float | None:
    """The counting score of a case from its graded attempts (oldest first); None if none."""
    policy = GradingPolicy(policy)
    if not scores:
        return None
    if policy is GradingPolicy.BEST:
        return max(scores)
    if policy is GradingPolicy.LAST:
        return scores[-1]
    return _mean(scores)


def counting_attempts(scores: Sequence[float], policy: GradingPolicy | str) -> frozenset[int]:
    """The positions (oldest first) of the graded attempts the case score comes from: the best one (the first
    when tied), the last one, or every one for the average."""
    policy = GradingPolicy(policy)
    if not scores:
        return frozenset()
    if policy is GradingPolicy.BEST:
        return frozenset({scores.index(max(scores))})
    if policy is GradingPolicy.LAST:
        return frozenset({len(scores) - 1})
    return frozenset(range(len(scores)))


def module_grade(
    case_scores: Mapping[str, float | None], required_slugs: Iterable[str],
    knowledge_slugs: Iterable[str] = (), knowledge_weight: float = 0.0,
) -> float | None:
    """The module grade; None while any required case or knowledge check lacks a score.

    The mean of the required situation cases; when the module also has knowledge checks, those count for
    `knowledge_weight` of the grade (their mean) and the cases for the rest. A module with only one kind
    takes that kind's mean. The case scores are the ones the learner sees (a tenth each); the means are not
    shown, so they stay exact and the grade is rounded once: rounding them first could lift a 4.94 to 5.0, a pass.
    """
    required = tuple(dict.fromkeys(required_slugs))
    checks = tuple(dict.fromkeys(s for s in knowledge_slugs if s not in required))
    scores = [case_scores.get(slug) for slug in required + checks]
    if not scores or any(score is None for score in scores):
        return None
    cases_mean = _exact_mean([case_scores[s] for s in required]) if required else None
    checks_mean = _exact_mean([case_scores[s] for s in checks]) if checks else None
    if cases_mean is None or checks_mean is None:
        return _half_up_tenth(cases_mean if checks_mean is None else checks_mean)
    weight = _decimal(knowledge_weight)
    return _half_up_tenth((1 - weight) * cases_mean + weight * checks_mean)


# --- classification ----------------------------------------------------------


class Classification(StrEnum):
    """Stable codes of the grade bands; the web layer shows them in Vietnamese or English."""

    EXCELLENT = "excellent"  # Xuất sắc
    GOOD = "good"  # Giỏi
    FAIR = "fair"  # Khá
    AVERAGE = "average"  # Trung bình
    FAIL = "fail"  # Không đạt


@dataclass(frozen=True)
class Band:
    """A classification earned by every score at or above min_score (up to the next band)."""

    min_score: float
    code: Classification


DEFAULT_BANDS: tuple[Band, ...] = (
    Band(9.0, Classification.EXCELLENT),
    Band(8.0, Classification.GOOD),
    Band(7.0, Classification.FAIR),
    Band(5.0, Classification.AVERAGE),
    Band(0.0, Classification.FAIL),
)


def make_bands(thresholds: Mapping[str, float]) -> tuple[Band, ...]:
    """The bands with these minimum scores (from configuration; unnamed ones keep the default); 'fail' starts at 0."""
    minimums = {**{band.code.value: band.min_score for band in DEFAULT_BANDS}, **thresholds, "fail": 0.0}
    bands = tuple(Band(float(minimums[code.value]), code) for code in Classification)
    if [b.min_score for b in bands] != sorted((b.min_score for b in bands), reverse=True):
        raise ValueError("classification minimums must fall from excellent to fail")
    return bands


def classify(score10: float, bands: Sequence[Band] = DEFAULT_BANDS) -> str:
    """The code of the highest band whose minimum the score reaches."""
    if not 0 <= score10 <= 10:
        raise ValueError(f"score {score10} is outside 0..10")
    for band in sorted(bands, key=lambda b: b.min_score, reverse=True):
        if score10 >= band.min_score:
            return band.code
    raise ValueError(f"no band covers score {score10}")


def is_passed(score10: float | None, pass_mark: float = DEFAULT_PASS_MARK) -> bool:
    """True when there is a score and it reaches the pass mark."""
    return score10 is not None and score10 >= pass_mark
