"""One failing example per module.md and lesson rule, plus the valid shapes they accept."""
from __future__ import annotations

import datetime

import pytest

from lms.content.schema import ModulePolicy
from lms.content.validate_module import parse_lesson_text, parse_module_text
from tests.unit.content.builders import Doc, lesson_data, module_data


def parse_module(doc: Doc, folder: str = "01-ly-luan", index=None):
    """Parse the doc as module.md of the folder."""
    return parse_module_text(doc.text(), folder, "01-ly-luan/module.md", index=index)


def test_valid_module_parses_with_default_policy() -> None:
    module, problems = parse_module(Doc(module_data(), "\nGiới thiệu.\n\n"))
    assert problems == []
    assert (module.key, module.group, module.hours, module.intro) == ("01-ly-luan", 2, 8.0, "Giới thiệu.")
    assert module.policy == ModulePolicy()
    assert module.references[0].date == datetime.date(2024, 5, 9) and module.references[0].verified


def test_policy_values_are_read() -> None:
    data = module_data(pass_mark=6.5, attempts_allowed=0, grading_policy="average", time_limit_minutes=45,
                       key_visible=datetime.date(2026, 1, 31))
    module, problems = parse_module(Doc(data))
    assert problems == []
    assert module.policy == ModulePolicy(6.5, 0, "average", 45, datetime.date(2026, 1, 31))


def test_key_visible_after_submit_means_no_date() -> None:
    module, _ = parse_module(Doc(module_data(key_visible="after_submit")))
    assert module.policy.key_visible_from is None


def test_reference_date_and_verified_are_optional() -> None:
    module, problems = parse_module(Doc(module_data(references=[{"number": "Luật 2024", "title": "Luật Đất đai"}])))
    assert problems == [] and module.references[0].date is None and not module.references[0].verified


MODULE_RULES = [
    # (changes to the front matter, folder name, location, message fragment)
    ({}, "7-ly-luan", "folder name", "folder name must be NN-slug"),
    ({}, "07-Ly-Luan", "folder name", "must be NN-slug"),
    ({}, "07-ly--luan", "folder name", "must be NN-slug"),
    ({}, "19-ly-luan", "folder name", "number must be from 01 to 18"),
    ({}, "00-ly-luan", "folder name", "number must be from 01 to 18"),
    ({"title": None}, "", "front matter", "title missing"),
    ({"summary": ""}, "", "front matter", "summary must not be empty"),
    ({"group": 4}, "", "front matter", "group must be an integer from 1 to 3"),
    ({"group": "2"}, "", "front matter", "group must be an integer from 1 to 3"),
    ({"hours": 0}, "", "front matter", "hours must be a number greater than 0"),
    ({"hours": "tám"}, "", "front matter", "hours must be a number"),
    ({"objectives": ["Một mục tiêu."]}, "", "front matter", "objectives must list at least 2"),
    ({"objectives": ["Một.", 2]}, "", "front matter", "objectives[1] must be non-empty text"),
    ({"references": []}, "", "front matter", "references must list at least 1"),
    ({"references": [{"number": "1", "title": "A", "date": "09/05/2024"}]}, "", "references[0]",
     "date must be a date written YYYY-MM-DD"),
    ({"references": [{"number": "1", "title": "A", "date": "2024-02-30"}]}, "", "references[0]", "YYYY-MM-DD"),
    ({"references": [{"number": "1", "title": "A", "verified": "yes"}]}, "", "references[0]",
     "verified must be true or false"),
    ({"references": [{"number": "1"}]}, "", "references[0]", "title missing"),
    ({"references": [{"number": "1", "title": "A", "url": "x"}]}, "", "references[0]", "unknown key url"),
    ({"references": ["144-QĐ/TW"]}, "", "references[0]", "must be a mapping"),
    ({"pass_mark": 11}, "", "front matter", "pass_mark must be a number from 0 to 10"),
    ({"attempts_allowed": -1}, "", "front matter", "attempts_allowed must be a whole number of at least 0"),
    ({"grading_policy": "max"}, "", "front matter", "grading_policy must be one of: best, last, average"),
    ({"time_limit_minutes": 1.5}, "", "front matter", "time_limit_minutes must be a whole number"),
    ({"key_visible": "sau khi nộp"}, "", "front matter", "key_visible must be after_submit or a date"),
    ({"author": "x"}, "", "front matter", "unknown key author"),
]


@pytest.mark.parametrize(("changes", "folder", "location", "fragment"), MODULE_RULES,
                         ids=[f"{r[1] or list(r[0])[0]}:{r[3][:30]}" for r in MODULE_RULES])
def test_each_module_rule_reports_its_problem(changes: dict, folder: str, location: str, fragment: str) -> None:
    data = {key: value for key, value in (module_data() | changes).items() if value is not None}
    module, problems = parse_module(Doc(data), folder or "01-ly-luan")
    assert module is None
    assert [(p.location, fragment in p.message) for p in problems] == [(location, True)], [str(p) for p in problems]


def test_front_matter_must_be_a_mapping() -> None:
    module, [problem] = parse_module(Doc(["title"]))
    assert module is None and "must be a mapping" in problem.message


def test_intro_links_and_callouts_are_checked_with_file_lines(index) -> None:
    doc = Doc(module_data(), "Giới thiệu.\n\n!!! tips\n    Sai loại.\n\nXem [bài](lesson:03-khong).\n")
    _, problems = parse_module(doc, index=index)
    first_body_line = doc.text().split("\n").index("Giới thiệu.") + 1
    assert [(p.location, p.params.get("kind")) for p in problems] == [
        (f"line {first_body_line + 2}", "tips"), (f"line {first_body_line + 5}", "lesson")]


def parse_lesson(doc: Doc, name: str = "02-vai-tro.md", index=None):
    """Parse the doc as a lesson of module 01-ly-luan."""
    return parse_lesson_text(doc.text(), name, f"lessons/{name}", index=index, module_key="01-ly-luan")


def test_valid_lesson_parses() -> None:
    body = "\n## Mục 1\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nChú thích[^1].\n\n[^1]: Luật.\n\n```\n# không phải tiêu đề\n```\n"
    lesson, problems = parse_lesson(Doc(lesson_data(), body))
    assert problems == []
    assert (lesson.number, lesson.slug, lesson.key) == (2, "vai-tro", "02-vai-tro")
    assert lesson.body.startswith("## Mục 1") and lesson.body.endswith("```")


LESSON_RULES = [
    # (file name, front matter changes, body, location, message fragment)
    ("2-vai-tro.md", {}, "", "file name", "file name must be NN-slug"),
    ("02_vai_tro.md", {}, "", "file name", "must be NN-slug"),
    ("02-vai-tro.md", {"summary": None}, "", "front matter", "summary missing"),
    ("02-vai-tro.md", {"title": 5}, "", "front matter", "title must be text"),
    ("02-vai-tro.md", {"objectives": ["x"]}, "", "front matter", "unknown key objectives"),
    ("02-vai-tro.md", {}, "# Tiêu đề\n\nNội dung.\n", "line 5", "headings start at ##"),
    ("02-vai-tro.md", {}, "Nội dung.\n\n!!! info\n    x\n", "line 7", "unknown call-out kind info"),
    ("02-vai-tro.md", {}, "Xem [bài](lesson:05-khong).\n", "line 5", "the link lesson:05-khong goes nowhere"),
    ("02-vai-tro.md", {}, "Xem [x](ftp://a.b/c).\n", "line 5", "links may only go to http(s)"),
]


@pytest.mark.parametrize(("name", "changes", "body", "location", "fragment"), LESSON_RULES,
                         ids=[r[4][:40] for r in LESSON_RULES])
def test_each_lesson_rule_reports_its_problem(index, name: str, changes: dict, body: str, location: str,
                                              fragment: str) -> None:
    data = {key: value for key, value in (lesson_data() | changes).items() if value is not None}
    lesson, problems = parse_lesson(Doc(data, body), name, index)
    assert lesson is None
    assert [(p.location, fragment in p.message) for p in problems] == [(location, True)], [str(p) for p in problems]


def test_same_module_and_cross_module_lesson_links_resolve(index) -> None:
    body = "[a](lesson:01-mot) [b](lesson:02-he-thong/01-to-chuc) [c](module:02-he-thong) [d](case:hai-ho-tranh-chap)"
    lesson, problems = parse_lesson(Doc(lesson_data(), body), index=index)
    assert problems == [] and lesson is not None


def test_links_are_not_checked_without_an_index() -> None:
    lesson, problems = parse_lesson(Doc(lesson_data(), "[a](lesson:09-khong)"))
    assert problems == [] and lesson is not None
