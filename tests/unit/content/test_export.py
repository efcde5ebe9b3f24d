"""Round trips: parse(dump(x)) == x for files and whole courses, and content hashes."""
from __future__ import annotations

import dataclasses
from pathlib import Path

from hypothesis import HealthCheck, given, settings

from lms.content.essay import load_essay, parse_essay_text
from lms.content.export import (
    content_hash,
    dump_case,
    dump_lesson,
    dump_module,
    write_course,
    write_essay,
)
from lms.content.loader import load_course
from lms.content.validate_case import parse_case_text
from lms.content.validate_module import parse_lesson_text, parse_module_text
from tests.conftest import CASE_FIXTURE
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


def test_the_shipped_course_survives_export_and_import(tmp_path: Path) -> None:
    """`flask content export` then `import` of the real course changes nothing (written variants included)."""
    shipped = Path(__file__).resolve().parents[3] / "content" / "modules"
    course, problems = load_course(shipped)
    assert problems == []
    write_course(course, tmp_path / "exported")
    again, problems = load_course(tmp_path / "exported")
    assert [str(p) for p in problems] == []
    assert again == course
    for path in shipped.rglob("*.md"):  # the canonical format: the repository files are written as exported
        assert (tmp_path / "exported" / path.relative_to(shipped)).read_text(encoding="utf-8") == \
            path.read_text(encoding="utf-8"), path


def test_the_shipped_essay_is_written_back_byte_for_byte_beside_the_modules(tmp_path: Path) -> None:
    shipped = Path(__file__).resolve().parents[3] / "content" / "modules"
    essay, problems = load_essay(shipped)
    assert problems == [] and essay is not None
    written = write_essay(essay, tmp_path / "content" / "modules")
    assert written == tmp_path / "content" / "essay.md"
    assert written.read_text(encoding="utf-8") == (shipped.parent / "essay.md").read_text(encoding="utf-8")
    assert parse_essay_text(written.read_text(encoding="utf-8"), str(written)) == (essay, [])


def test_a_written_variant_inherits_the_rubric_and_choice_points_it_does_not_give() -> None:
    """The format says a variant may omit `rubric` and `choice_points`; export omits them when unchanged."""
    options = ("        options:\n"
               "          - {id: a, text: \"Mời hai bên hòa giải\", effectiveness: 4, rationale: \"Đúng.\"}\n"
               "          - {id: b, text: \"Tự phân xử tại chỗ\", effectiveness: 1, rationale: \"Sai.\"}\n"
               "          - {id: c, text: \"Hẹn tuần sau gặp lại\", effectiveness: 2, rationale: \"Chậm.\"}\n")
    variant = ("        variants:\n"
               "          - prompt: \"Nêu cách xử lý của đồng chí\"\n"
               "            options:\n"
               "              - {id: x, text: \"Giao tổ hòa giải\", effectiveness: 4, rationale: \"Đúng.\"}\n"
               "              - {id: y, text: \"Để hai hộ tự lo\", effectiveness: 1, rationale: \"Bỏ mặc.\"}\n"
               "              - {id: z, text: \"Chờ thôn báo cáo\", effectiveness: 2, rationale: \"Chậm.\"}\n")
    anchor = "        prompt: \"Trình bày phương án\"\n        points: 2\n"
    text = CASE_FIXTURE.read_text(encoding="utf-8")
    assert anchor in text
    text = text.replace(anchor, anchor + "        choice_points: 1\n" + options + variant)
    parsed, problems = parse_case_text(text, "x", "x.md")
    assert [str(p) for p in problems] == []
    question = next(q for stage in parsed.stages for q in stage.questions if q.id == "q5")
    drawn = question.variants[0]
    assert drawn.rubric == question.rubric and drawn.choice_points == question.choice_points == 1
    assert "rubric" not in dump_case(parsed).split("variants:")[1]  # unchanged, so not repeated
    assert reparse_case(parsed) == parsed


def test_the_house_style_reads_back_as_written() -> None:
    import datetime

    import yaml

    from lms.content import house_yaml

    data = {"title": 'Trích "lời" ông A: \\ và: #', "id": "s2-tot", "type": "best_worst", "next": "Not An Id",
            "points": 2, "weight": 0.5, "required": True, "date": datetime.date(2026, 7, 1),
            "text": "Dòng một\n\nDòng ba\n", "tail": "không xuống dòng\ncuối", "many": "hai dòng trống\n\n",
            "roles": ["Bí thư", "Chủ tịch"], "levels": [{"points": 0, "description": "Không đạt: sai"}],
            "stages": [{"id": "s1", "questions": [{"id": "q1", "options": []}]}]}
    text = house_yaml.dump(data)
    assert yaml.safe_load(text) == data
    assert 'title: "Trích \\"lời\\" ông A: \\\\ và: #"' in text and "id: s2-tot" in text
    assert 'next: "Not An Id"' in text and 'roles: ["Bí thư", "Chủ tịch"]' in text
    assert '  - {points: 0, description: "Không đạt: sai"}' in text and "text: |\n  Dòng một\n\n  Dòng ba\n" in text
    assert "tail: |-\n" in text and "many: |+\n" in text and "  - id: s1\n    questions:\n      - id: q1\n" in text


def test_slugify_makes_an_address_from_a_vietnamese_title() -> None:
    from lms.content.text import slugify

    assert slugify("Đối thoại với hộ dân: điểm tập kết rác (phường)") == "doi-thoai-voi-ho-dan-diem-tap-ket-rac-phuong"
    assert slugify("  ") == "" and len(slugify("a " * 100)) <= 60
