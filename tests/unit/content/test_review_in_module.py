"""The review policy in module.md: read, written back, and refused when it leaks the key to a retake."""
from __future__ import annotations

import pytest

from lms.content.export import dump_module
from lms.content.validate_module import parse_module_text
from lms.domain.review_policy import DEFAULT
from tests.unit.content.builders import Doc, module_data


def parse(**extra):
    """The module and the problems of a module.md with these extra keys."""
    return parse_module_text(Doc(module_data(**extra), "Giới thiệu.").text(), "07-dan-van", "module.md")


def test_no_review_key_means_the_default():
    module, problems = parse()
    assert problems == [] and module.policy.review == DEFAULT


def test_a_review_policy_is_read_and_written_back():
    review = {"after_attempt": ["score"], "after_last": ["score", "path", "key"]}
    module, problems = parse(review=review)
    assert problems == []
    assert module.policy.review.after_attempt == {"score"} and module.policy.review.after_last == {"score", "path",
                                                                                                  "key"}
    again, _ = parse_module_text(dump_module(module), "07-dan-van", "module.md")
    assert again.policy == module.policy


@pytest.mark.parametrize(("extra", "refused"), [
    ({"review": {"after_attempt": ["score", "key"], "after_last": ["key"]}}, True),
    ({"review": {"after_attempt": ["rationale"], "after_last": []}, "attempts_allowed": 0}, True),
    ({"review": {"after_attempt": ["key"], "after_last": []}, "attempts_allowed": 1}, False),
    ({"review": {"after_attempt": ["key"], "after_last": []}, "grading_policy": "average"}, False),
])
def test_a_policy_that_leaks_the_key_while_attempts_remain_is_refused(extra, refused):
    _module, problems = parse(**extra)
    assert bool([p for p in problems if "retake for full marks" in p.message]) is refused


def test_unknown_parts_are_named():
    _module, problems = parse(review={"after_attempt": ["score", "answers"], "after_last": ["key"]})
    assert [p.message for p in problems] == [
        "review.after_attempt may list only: score, path, credit, key, rationale (got answers)"]


def test_when_discussions_open_is_read_written_back_and_checked():
    module, problems = parse()
    assert problems == [] and module.policy.discussion == "after_submit"
    module, problems = parse(discussion="after_key")
    assert problems == [] and module.policy.discussion == "after_key"
    assert "discussion: after_key" in dump_module(module)
    again, _ = parse_module_text(dump_module(module), "07-dan-van", "module.md")
    assert again.policy == module.policy
    _module, problems = parse(discussion="always")
    assert [p.message for p in problems] == ["discussion must be one of: after_submit, after_key"]
