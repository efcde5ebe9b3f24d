"""Per-attempt option order and tokens: stable for an attempt, different between attempts, pinned kept."""
from __future__ import annotations

from dataclasses import replace

from lms.domain.cases import QuestionType
from lms.domain.presentation import option_order, shown

from .builders import question

Q = question(QuestionType.BEST_ACTION, 4, 3, 2, 1, 2, 3)


def ids(options) -> list[str]:
    """The ids of options in order."""
    return [o.id for o in options]


def test_the_order_is_the_same_for_one_attempt_and_varies_between_attempts():
    assert ids(option_order(Q, 41)) == ids(option_order(Q, 41))
    orders = {tuple(ids(option_order(Q, seed))) for seed in range(20)}
    assert len(orders) > 10


def test_no_seed_or_shuffling_off_keeps_the_authored_order():
    assert ids(option_order(Q, None)) == ids(Q.options)
    assert ids(option_order(replace(Q, shuffle=False), 41)) == ids(Q.options)


def test_a_pinned_option_keeps_its_place():
    pinned = replace(Q, options=Q.options[:-1] + (replace(Q.options[-1], pinned=True),))
    assert all(option_order(pinned, seed)[-1].id == "f" for seed in range(30))


def test_a_shuffled_question_posts_positions_that_map_back_and_never_its_ids():
    view = shown(Q, 41)
    tokens = [view.token(o) for o in view.options]
    assert tokens == ["1", "2", "3", "4", "5", "6"]
    assert [view.option_id(t) for t in tokens] == ids(view.options)
    assert view.option_id("a") is None and view.option_id("7") is None and view.option_id("0") is None


def test_an_unshuffled_question_posts_its_ids():
    view = shown(Q, None)
    assert [view.token(o) for o in view.options] == ids(Q.options)
    assert view.option_id("c") == "c" and view.option_id("1") is None
