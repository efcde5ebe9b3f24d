"""A YAML mistake in a content file is named in a plain sentence with its line, never as the parser's English."""
from __future__ import annotations

import pytest

from lms.content.frontmatter import split_parts


@pytest.mark.parametrize(("text", "line", "words"), [
    ("---\ntitle: Ông A: nói\n---\n", 2, "put the whole value in double quotes"),
    ("---\ntitle: x\n\tsummary: y\n---\n", 3, "indent with spaces only"),
    ('---\ntitle: "abc\nsummary: y\n---\n', 3, "quotation mark is opened and never closed"),
    ("---\ntitle: a\ntitle: b\n---\n", 3, "the key 'title' is written twice"),
    ("---\nstages:\n  - id: s1\n   title: x\n---\n", 4, "the indentation does not line up"),
    ("---\ntitle: *abc\n---\n", 2, "starts with * or &"),
    ("---\ntitle: @abc\n---\n", 2, "a character YAML reserves"),
    ("---\ntitle: a\nsummary\nx: 1\n---\n", 4, "a line without its colon"),
])
def test_yaml_mistakes_read_as_plain_sentences_with_their_line(text, line, words):
    problems = split_parts(text).problems
    assert [p.location for p in problems] == [f"line {line}"]
    assert words in problems[0].message and "while scanning" not in problems[0].message


def test_the_sentences_are_translated(app):
    from flask_babel import force_locale

    from lms.authoring.problem_text import problem_text

    problem = split_parts("---\ntitle: Ông A: nói\n---\n").problems[0]
    with force_locale("vi"):
        assert "ngoặc kép" in problem_text(problem)
