"""Splitting front matter from the body: fences, YAML errors with file lines, NFC."""
from __future__ import annotations

import unicodedata

from lms.content.frontmatter import split_front_matter


def test_splits_data_and_body() -> None:
    data, body, problems = split_front_matter("---\ntitle: Bài 1\n---\nThân bài.\n")
    assert (data, body, problems) == ({"title": "Bài 1"}, "Thân bài.\n", [])


def test_empty_front_matter_is_an_empty_mapping() -> None:
    assert split_front_matter("---\n---\nx")[0] == {}


def test_missing_opening_fence() -> None:
    data, _, [problem] = split_front_matter("title: x\n", "a.md")
    assert data is None and str(problem).startswith("a.md: line 1: the file must start with a --- line")


def test_missing_closing_fence() -> None:
    data, _, [problem] = split_front_matter("---\ntitle: x\n")
    assert data is None and "no closing --- line" in problem.message


def test_yaml_error_has_the_file_line() -> None:
    _, _, [problem] = split_front_matter("---\ntitle: ok\nsummary: x\n  bad: indent\n---\n")
    assert problem.location == "line 4" and problem.message.startswith("a colon (:) inside a value")


def test_duplicate_keys_are_errors() -> None:
    data, _, [problem] = split_front_matter("---\ntitle: a\nsummary: b\ntitle: c\n---\n")
    assert data is None and problem.location == "line 4" and "the key 'title' is written twice" in problem.message


def test_front_matter_must_be_a_mapping() -> None:
    data, _, [problem] = split_front_matter("---\n- a\n- b\n---\n")
    assert data is None and "mapping" in problem.message


def test_text_is_nfc_normalised_and_line_ends_unified() -> None:
    decomposed = unicodedata.normalize("NFD", "Tình huống")
    data, body, _ = split_front_matter(f"\ufeff---\r\ntitle: {decomposed}\r\n---\r\n{decomposed}\r\n")
    assert data["title"] == "Tình huống" == unicodedata.normalize("NFC", decomposed)
    assert body == "Tình huống\n"
