"""Loading folders: names, numbering, unexpected files, course-wide slugs, and the check command."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lms.content.check import main
from lms.content.loader import load_course, load_module_dir
from tests.unit.content.builders import Doc, case_body, case_data, module_files


def messages(problems) -> list[str]:
    """Problems as printed lines with the test's tmp root cut off."""
    return [str(p) for p in problems]


def test_example_course_loads_without_problems(course_dir: Path) -> None:
    course, problems = load_course(course_dir)
    assert problems == []
    assert [m.key for m in course.modules] == ["01-ly-luan", "02-he-thong"]
    assert [lesson.key for lesson in course.modules[0].lessons] == ["01-mot", "02-hai"]
    assert course.case("tu-tap-dong-nguoi").stages[0].id == "s1"
    assert course.module("02-he-thong").lesson("01-to-chuc").title.startswith("Bài 1")


def test_module_numbers_have_no_gaps(course_dir: Path) -> None:
    (course_dir / "02-he-thong").rename(course_dir / "03-he-thong")
    _, problems = load_course(course_dir)
    assert [(p.path, p.message) for p in problems] == [
        (str(course_dir), "modules must be numbered 01, 02, ... without gaps: missing 02")]


def test_module_numbers_are_not_shared(course_dir: Path) -> None:
    module_files("02-khac", lessons=("01-a",)).write(course_dir)
    _, problems = load_course(course_dir)
    assert [p.message for p in problems] == ["modules share the number 02: 02-he-thong, 02-khac"]


def test_lesson_numbering_and_slugs(course_dir: Path) -> None:
    lessons = course_dir / "01-ly-luan" / "lessons"
    shutil.copy(lessons / "01-mot.md", lessons / "04-mot.md")
    _, problems = load_course(course_dir)
    assert [(p.path, p.message) for p in problems] == [
        (str(lessons), "lessons must be numbered 01, 02, ... without gaps: missing 03"),
        (str(lessons), "the lesson slug mot is used by 01-mot, 04-mot"),
    ]


def test_bad_file_names_and_unexpected_files(course_dir: Path) -> None:
    module = course_dir / "01-ly-luan"
    (module / "lessons" / "02-hai.md").rename(module / "lessons" / "2-hai.md")
    (module / "lessons" / "ghi-chu.txt").write_text("x")
    (module / "notes.md").write_text("x")
    (module / ".DS_Store").write_text("x")
    (course_dir / "README.md").write_text("x")
    (module / "cases" / "hai-ho-tranh-chap.md").rename(module / "cases" / "Hai_Ho.md")
    _, problems = load_course(course_dir)
    assert sorted(p.path.removeprefix(str(course_dir)) + ": " + p.message.split(":")[0] for p in problems) == sorted([
        ": unexpected file README.md",
        "/01-ly-luan: unexpected notes.md",
        "/01-ly-luan/cases/Hai_Ho.md: a case slug must be lower-case ASCII letters, digits and single hyphens (got 'Hai_Ho')",
        "/01-ly-luan/lessons/2-hai.md: file name must be NN-slug",
        "/01-ly-luan/lessons: unexpected ghi-chu.txt",
        # the case link in module 02 no longer resolves
        "/02-he-thong/lessons/01-to-chuc.md: the link case",
        "/02-he-thong/lessons/01-to-chuc.md: the link lesson",
    ])


def test_missing_module_md(course_dir: Path) -> None:
    (course_dir / "02-he-thong" / "module.md").unlink()
    course, problems = load_course(course_dir)
    assert messages(problems) == [f"{course_dir / '02-he-thong'}: module.md missing"]
    assert [m.key for m in course.modules] == ["01-ly-luan"]


def test_case_slugs_are_unique_across_the_course(course_dir: Path) -> None:
    source = course_dir / "01-ly-luan" / "cases" / "hai-ho-tranh-chap.md"
    shutil.copy(source, course_dir / "02-he-thong" / "cases" / "hai-ho-tranh-chap.md")
    _, problems = load_course(course_dir)
    assert messages(problems) == [
        f"{course_dir}/02-he-thong/cases/hai-ho-tranh-chap.md: file name: the case slug hai-ho-tranh-chap is "
        f"also used by {source}; case slugs must be unique across the course"]


def test_files_that_are_not_utf8_are_reported(course_dir: Path) -> None:
    (course_dir / "01-ly-luan" / "lessons" / "01-mot.md").write_bytes("---\ntitle: Bài\n".encode("cp1258"))
    _, problems = load_course(course_dir)
    assert [p.message for p in problems][0].startswith("the file is not UTF-8 text")


def test_every_problem_in_every_file_is_reported(course_dir: Path) -> None:
    case = Doc(case_data(), case_body())
    case.data["kind"] = "flood"
    case.data["stages"][0]["questions"][0]["options"][1]["effectiveness"] = 9
    (course_dir / "01-ly-luan" / "cases" / "hai-ho-tranh-chap.md").write_text(case.text())
    (course_dir / "02-he-thong" / "lessons" / "01-to-chuc.md").write_text("no front matter")
    _, problems = load_course(course_dir)
    assert len(problems) == 3 and len({p.path for p in problems}) == 2


def test_single_module_resolves_links_against_sibling_folders(course_dir: Path) -> None:
    module, problems = load_module_dir(course_dir / "02-he-thong")
    assert problems == [] and module.lessons[0].key == "01-to-chuc"


def test_media_images_must_exist(course_dir: Path) -> None:
    lesson = course_dir / "01-ly-luan" / "lessons" / "01-mot.md"
    lesson.write_text(lesson.read_text() + "\n![sơ đồ](media/so-do.png)\n")
    _, problems = load_module_dir(course_dir / "01-ly-luan")
    assert [p.message for p in problems] == ["the image media/so-do.png is not in the module's media folder"]
    (course_dir / "01-ly-luan" / "media").mkdir()
    (course_dir / "01-ly-luan" / "media" / "so-do.png").write_bytes(b"png")
    assert load_module_dir(course_dir / "01-ly-luan")[1] == []


def test_check_prints_problems_and_a_summary(course_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(course_dir)]) == 0
    assert capsys.readouterr().out == "2 module(s), 3 lesson(s), 2 case(s) checked: no problems\n"
    (course_dir / "02-he-thong").rename(course_dir / "03-he-thong")
    (course_dir / "03-he-thong" / "lessons" / "01-to-chuc.md").write_text("---\ntitle: x\n---\n")
    assert main([str(course_dir)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        f"{course_dir}/03-he-thong/lessons/01-to-chuc.md: front matter: summary missing",
        f"{course_dir}: modules must be numbered 01, 02, ... without gaps: missing 02",
        "2 module(s), 3 lesson(s), 2 case(s) checked: 2 problem(s) in 2 file(s)",
    ]


def test_check_of_one_module_skips_course_numbering(course_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (course_dir / "02-he-thong").rename(course_dir / "03-he-thong")
    assert main([str(course_dir / "03-he-thong")]) == 0
    assert capsys.readouterr().out == "1 module(s), 1 lesson(s), 1 case(s) checked: no problems\n"


def test_check_of_one_module_reports_slugs_taken_by_siblings(course_dir: Path, capsys) -> None:
    source = course_dir / "01-ly-luan" / "cases" / "hai-ho-tranh-chap.md"
    shutil.copy(source, course_dir / "02-he-thong" / "cases" / "hai-ho-tranh-chap.md")
    assert main([str(course_dir / "02-he-thong")]) == 1
    assert "case slugs must be unique" in capsys.readouterr().out


def test_check_of_a_missing_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path / "nowhere")]) == 1
    assert "no such folder" in capsys.readouterr().out
