"""Round trips: parse(dump(x)) == x for files and whole courses, and content hashes."""
from __future__ import annotations

import dataclasses
from pathlib import Path

from hypothesis import HealthCheck, given, settings

from lms.content.export import (
    content_hash,
    dump_case,
    dump_lesson,
    dump_module,
    write_course,
)
from lms.content.loader import load_course
from lms.content.validate_case import parse_case_text
from lms.content.validate_module import parse_lesson_text, parse_module_text
from tests.unit.content.strategies import cases, lessons, modules

# few examples keep the suite under 5 s; raise max_examples locally when changing the format (400 pass)
FAST = settings(max_examples=20, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
CASES = settings(FAST, max_examples=10)


def reparse_case(case):
    """The case parsed back from its dump; fails on any problem."""
    parsed, problems = parse_case_text(dump_case(case), case.slug, "x.md")
    assert problems == [], [str(p) for p in problems]
    return parsed


@CASES
@given(cases())
def test_case_round_trip(case) -> None:
    assert reparse_case(case) == case


@FAST
@given(modules)
def test_module_round_trip(module) -> None:
    parsed, problems = parse_module_text(dump_module(module), module.key, "module.md")
    assert problems == [], [str(p) for p in problems]
    assert parsed == module


@FAST
@given(lessons)
def test_lesson_round_trip(lesson) -> None:
    parsed, problems = parse_lesson_text(dump_lesson(lesson), f"{lesson.key}.md", "lesson.md")
    assert problems == [] and parsed == lesson


def test_example_course_survives_write_and_load(course_dir: Path, tmp_path: Path) -> None:
    course, problems = load_course(course_dir)
    assert problems == []
    write_course(course, tmp_path / "exported")
    again, problems = load_course(tmp_path / "exported")
    assert problems == [] and again == course
    assert content_hash(again) == content_hash(course)


def test_dump_is_canonical_and_readable(course_dir: Path) -> None:
    course, _ = load_course(course_dir)
    module = course.modules[0]
    text = dump_case(module.cases[0])
    assert reparse_case(module.cases[0]) == module.cases[0]
    assert "kind: land_dispute\n" in text and "required" not in text and "effectiveness: 4\n" in text
    assert text.endswith("## Tình huống\n\n" + module.cases[0].scenario + "\n\n## Tổng kết\n\n"
                         + module.cases[0].debrief + "\n")
    assert "hours: 8\n" in dump_module(module) and "pass_mark" not in dump_module(module)


def test_content_hash_is_stable_and_changes_with_content(course_dir: Path) -> None:
    course, _ = load_course(course_dir)
    case = course.modules[0].cases[0]
    assert len(content_hash(case)) == 64 and content_hash(case) == content_hash(reparse_case(case))
    assert content_hash(dataclasses.replace(case, title=case.title + ".")) != content_hash(case)
    lesson = course.modules[0].lessons[0]
    assert content_hash(dataclasses.replace(lesson, body="Khác")) != content_hash(lesson)
    assert content_hash(course.modules[0]) != content_hash(course.modules[1])
