"""The rules of a case's cohort discussion."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from lms.domain import discussion as rules


@pytest.mark.parametrize(("opens", "submitted", "released", "reads"), [
    ("after_submit", False, False, False), ("after_submit", True, False, True), ("after_submit", False, True, True),
    ("after_key", True, False, False), ("after_key", False, True, True), ("after_key", True, True, True),
])
def test_who_reads_a_discussion(opens, submitted, released, reads):
    assert rules.may_read(opens, submitted, released) is reads


def test_post_problems_name_the_rule_and_its_figures():
    assert rules.post_problems("Nội dung", "Tiêu đề") == []
    assert rules.post_problems("Nội dung") == []  # a reply has no title
    assert rules.post_problems("  ", "") == [("title_missing", {}), ("body_missing", {})]
    assert rules.post_problems("x" * 5001) == [("body_too_long", {"max": 5000, "n": 5001})]
    assert rules.post_problems("x", "t" * 201) == [("title_too_long", {"max": 200, "n": 201})]
    assert rules.reason_problems(" ") == [("reason_missing", {})]
    assert rules.reason_problems("r" * 501) == [("reason_too_long", {"max": 500, "n": 501})]


def test_a_post_may_be_edited_within_the_window_only():
    written = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)
    assert rules.may_edit(written, written + timedelta(minutes=30))
    assert not rules.may_edit(written, written + timedelta(minutes=30, seconds=1))


def test_a_quotation_attributes_and_quotes_every_line_and_cuts_long_posts():
    assert rules.quotation("Lê Hà", "Dòng một\n\nDòng hai") == "> **Lê Hà:**\n>\n> Dòng một\n>\n> Dòng hai\n\n"
    assert rules.quotation("A", "x" * 700, limit=10).endswith("> xxxxxxxxxx …\n\n")


def test_the_tally_counts_each_learner_once_per_option_and_shares_of_those_who_answered():
    tally = rules.tally("q1", ["a", "b", "c"], [("a",), ("a",), ("b", "c"), ("b", "b"), ()])
    assert tally.answered == 4  # the empty answer did not reach the question
    assert [(o.option_id, o.count, o.share) for o in tally.options] == [("a", 2, 0.5), ("b", 2, 0.5), ("c", 1, 0.25)]
    assert rules.tally("q1", ["a"], []).options[0].share == 0.0


def test_branch_shares_and_the_threshold():
    assert rules.branch_shares(["s1", "s2a", "s2b"], [["s1", "s2a"], ["s1", "s2b"], ["s1", "s2a"], ["s1", "s2a"]]) == \
        {"s1": 1.0, "s2a": 0.75, "s2b": 0.25}
    assert rules.branch_shares(["s1"], []) == {"s1": 0.0}
    assert not rules.class_is_large_enough(4) and rules.class_is_large_enough(5)
    assert rules.class_is_large_enough(1, minimum=0)  # at least one learner, whatever the setting


def test_choices_compare_on_the_stages_both_answered():
    mine = {1: ("a",), 2: ("b", "c"), 3: ("a",)}
    theirs = {1: ("a",), 2: ("c",), 4: ("d",)}
    assert rules.compare_choices(mine, theirs) == ((1,), (2,))
