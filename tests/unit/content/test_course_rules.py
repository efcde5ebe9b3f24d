"""Course-wide rules: references a maintainer can trust, and one term for each thing."""
from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from lms.content.loader import load_course
from tests.unit.content.builders import example_course, write_course

TERMS = """\
- avoid: "module"
  use: "chuyên đề"
- avoid: "cần đối chiếu"
  use: "(viết lại câu)"
"""


def problems_of(tmp_path: Path, modules, terms: str | None = None) -> list[str]:
    """The problems of a course written under tmp_path/modules (with content/terms.yml when given)."""
    root = write_course(tmp_path / "modules", modules)
    if terms is not None:
        (tmp_path / "terms.yml").write_text(terms, encoding="utf-8")
    return [str(p) for p in load_course(root)[1]]


def reference(**fields) -> dict:
    """A reference of the example course with some fields changed."""
    return {"number": "144-QĐ/TW", "title": "Quy định về chuẩn mực đạo đức", "date": datetime.date(2024, 5, 9),
            "verified": True, "issuer": "Bộ Chính trị", "checked_on": datetime.date(2026, 12, 1),
            "source": "https://example.org/144", **fields}


def with_references(*references: dict, module: int = 0):
    """The example course whose module (0 or 1) lists these references."""
    modules = example_course()
    modules[module].files["module.md"].data["references"] = list(references)
    return modules


def test_the_example_course_passes_every_course_rule(tmp_path):
    assert problems_of(tmp_path, example_course(), TERMS) == []


@pytest.mark.parametrize(("changes", "expected"), [
    ({"number": "Luật năm 2013", "title": "Luật Tiếp công dân"}, "needs its official number"),
    ({"checked_on": None}, "say when (checked_on) and where (source)"),
    ({"source": None}, "say when (checked_on) and where (source)"),
    ({"in_force": False}, "is not in force"),
])
def test_a_reference_that_cannot_be_trusted_is_refused(tmp_path, changes, expected):
    fields = {key: value for key, value in reference(**changes).items() if value is not None}
    found = problems_of(tmp_path, with_references(fields))
    assert len(found) == 1 and expected in found[0] and "01-ly-luan/module.md: references[0]" in found[0]


def test_a_document_without_a_number_by_nature_may_be_named(tmp_path):
    found = problems_of(tmp_path, with_references(reference(number="Điều lệ Đảng", title="Điều lệ Đảng Cộng sản Việt Nam")))
    assert found == []


def test_the_same_document_must_carry_the_same_facts_in_every_module(tmp_path):
    modules = with_references(reference(date=datetime.date(2024, 5, 10)), module=1)
    found = problems_of(tmp_path, modules)
    assert len(found) == 1
    assert "02-he-thong/module.md: references[0]: 144-QĐ/TW is described differently in 01-ly-luan" in found[0]


def test_forbidden_terms_are_reported_with_their_line_but_not_in_links_or_code(tmp_path):
    modules = example_course()
    modules[0].files["lessons/01-mot.md"].body = (
        "## Mục 1\n\nTrong module này, ngày ban hành cần đối chiếu.\n\n"
        "Xem [chuyên đề 2](module:02-he-thong); thuật ngữ `module` không dùng.\n")
    found = problems_of(tmp_path, modules, TERMS)
    assert [p.split(": ", 1)[1] for p in found] == [
        "line 7: write 'chuyên đề', not 'module'", "line 7: write '(viết lại câu)', not 'cần đối chiếu'"]
    assert all(p.endswith("") and "01-ly-luan/lessons/01-mot.md" in p for p in found)
