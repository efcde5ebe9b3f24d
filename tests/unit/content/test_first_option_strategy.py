"""A learner who always picks the first option shown (and leaves a ranking as shown) scores at chance level.

Over every single-best, best-and-worst and rank question of the shipped course, the strategy's mean credit
with shuffled options is compared with the exact expected credit of answering at random; in the authored
order (no shuffling) the same strategy is what issue #12 measured: full marks without reading.
"""
from __future__ import annotations

from itertools import permutations
from pathlib import Path
from statistics import mean

from lms.content.loader import load_course
from lms.domain.cases import QuestionType
from lms.domain.grading import grade
from lms.domain.presentation import option_order

SHIPPED = Path(__file__).resolve().parents[3] / "content" / "modules"
SEEDS = range(1, 61)
TYPES = (QuestionType.BEST_ACTION, QuestionType.BEST_WORST, QuestionType.RANK)


def questions():
    """Every shipped question the strategy applies to."""
    course, problems = load_course(SHIPPED)
    assert problems == []
    return [q for m in course.modules for c in m.cases for s in c.stages for q in s.questions if q.type in TYPES]


def credit(question, order) -> float:
    """The share of the question's points the first-option strategy earns with the options in this order."""
    ids = [o.id for o in order]
    response = {QuestionType.BEST_ACTION: {"choice": ids[0]},
                QuestionType.BEST_WORST: {"best": ids[0], "worst": ids[-1]},
                QuestionType.RANK: {"order": ids}}[question.type]
    result = grade(question, response)
    return result.points / result.max_points


def chance(question) -> float:
    """The exact expected credit of the strategy when every order is equally likely (= answering at random)."""
    return mean(credit(question, order) for order in permutations(question.options))


def test_the_first_option_strategy_scores_at_chance_level_once_options_are_shuffled(capsys):
    shipped = questions()
    authored = mean(credit(q, q.options) for q in shipped)
    shuffled = mean(credit(q, option_order(q, seed)) for q in shipped for seed in SEEDS)
    expected = mean(chance(q) for q in shipped)
    with capsys.disabled():
        print(f"\nfirst-option strategy over {len(shipped)} questions: authored order {authored:.2f}, "
              f"shuffled {shuffled:.2f}, chance {expected:.2f}")
    assert abs(shuffled - expected) < 0.03


def test_two_attempts_see_different_orders():
    shipped = [q for q in questions() if q.shuffle and len(q.options) >= 3]
    assert shipped
    differ = sum([o.id for o in option_order(q, 1)] != [o.id for o in option_order(q, 2)] for q in shipped)
    assert differ / len(shipped) > 0.6
