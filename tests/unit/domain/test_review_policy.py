"""The review policy matrix: each part, before and after the last attempt, before and after the key date."""
from __future__ import annotations

from datetime import date

import pytest

from lms.domain.review_policy import DEFAULT, PARTS, ReviewPolicy, leak_problem, visible_parts

TODAY, KEY_DATE = date(2026, 12, 7), date(2026, 12, 20)


@pytest.mark.parametrize("part", PARTS)
@pytest.mark.parametrize(("used", "key_date", "final"), [
    (1, None, False), (3, None, True),            # before / after the last of 3 attempts
    (1, KEY_DATE, False), (1, TODAY, True),       # before / after the key date (module close)
    (3, KEY_DATE, True),
])
def test_each_part_shows_by_the_policy_before_and_after_the_last_attempt_and_the_key_date(part, used, key_date,
                                                                                          final):
    only_at_end = ReviewPolicy.from_lists([], [part])
    always = ReviewPolicy.from_lists([part], [part])
    assert (part in visible_parts(only_at_end, used, 3, key_date, TODAY)) is final
    assert part in visible_parts(always, used, 3, key_date, TODAY)


def test_the_default_shows_score_and_path_then_everything():
    assert visible_parts(DEFAULT, 1, 3, None, TODAY) == {"score", "path"}
    assert visible_parts(DEFAULT, 3, 3, None, TODAY) == set(PARTS)
    assert visible_parts(DEFAULT, 9, 0, None, TODAY) == {"score", "path"}  # unlimited attempts: never final
    assert visible_parts(DEFAULT, 9, 0, TODAY, TODAY) == set(PARTS)


@pytest.mark.parametrize(("after_attempt", "allowed", "grading", "leaks"), [
    (["score", "path"], 3, "best", None),
    (["key"], 3, "best", "key"),
    (["credit", "rationale"], 0, "best", "credit, rationale"),
    (["key", "rationale"], 1, "best", None),       # one attempt: nothing to retake
    (["key"], 3, "average", None),                 # a retake cannot replace a poor first score
    (["key"], 3, "last", None),
])
def test_a_policy_that_shows_the_key_while_attempts_remain_is_refused_unless_harmless(after_attempt, allowed,
                                                                                      grading, leaks):
    assert leak_problem(ReviewPolicy.from_lists(after_attempt, PARTS), allowed, grading) == leaks
