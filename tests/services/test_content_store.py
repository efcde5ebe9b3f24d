"""Importing the course into the database and exporting it back: versions, conflicts, round trips, the CLI."""
from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest
from flask import current_app
from sqlalchemy import func, select

from lms.catalog.store import (
    ImportReport,
    case_definition,
    export_course,
    import_course,
    module_doc,
    new_case_version,
    new_lesson_version,
)
from lms.catalog.urls import resolver_factory
from lms.content.export import write_course
from lms.content.loader import load_course
from lms.content.schema import Course
from lms.extensions import db
from lms.models import Case, CaseVersion, Lesson, LessonVersion, Module
from tests.unit.content.builders import Doc, ModuleFiles, lesson_data, module_files

SHIPPED = Path(__file__).resolve().parents[2] / "content" / "modules"
MODULE = "01-ly-luan"
CASE = "hai-ho-tranh-chap"
LESSON_BODY = """## Phân công

| Việc | Người phụ trách |
|---|---|
| Tiếp dân | Bí thư |

Xem [tình huống](case:hai-ho-tranh-chap) và [bài sau](lesson:02-hai).

<script>alert("xss")</script>
"""
LABELS = {"module": MODULE, "lesson": f"{MODULE}/lessons/01-mot", "case": f"{MODULE}/cases/{CASE}"}
MODELS = (Module, Lesson, LessonVersion, Case, CaseVersion)


@dataclasses.dataclass
class CourseFolder:
    """A small course on disk that tests edit file by file, then load."""

    root: Path
    module: ModuleFiles

    def edit(self, name: str, **data) -> None:
        """Change front-matter keys of one file ('module.md', 'lessons/01-mot.md', 'cases/x.md')."""
        doc = self.module.files[name]
        self.module.files[name] = Doc({**doc.data, **data}, doc.body)

    def load(self) -> Course:
        """Write the files and load them; fails on any problem."""
        self.module.write(self.root)
        course, problems = load_course(self.root)
        assert problems == [], [str(p) for p in problems]
        return course


@pytest.fixture
def folder(tmp_path) -> CourseFolder:
    """One module: module.md, two lessons (the first with a table, links and a script) and one case."""
    module = module_files(MODULE, cases=(CASE,), lesson_body=LESSON_BODY)
    module.files["lessons/02-hai.md"] = Doc(lesson_data("Bài 2. Nhiệm vụ"), "## Nhiệm vụ\n\nNội dung bài hai.\n")
    return CourseFolder(tmp_path / "modules", module)


def run_import(course: Course, now, force: bool = False) -> ImportReport:
    """Import and commit, as the CLI does."""
    report = import_course(course, now, resolver_factory(current_app), force=force)
    db.session.commit()
    return report


@pytest.fixture
def imported(app, folder, now) -> ImportReport:
    """The small course imported once."""
    return run_import(folder.load(), now)


def row_counts() -> dict[str, int]:
    """How many rows each content table holds."""
    return {model.__tablename__: db.session.scalar(select(func.count()).select_from(model)) for model in MODELS}


def item(kind: str):
    """The imported row behind a label kind: the module, lesson 01 or the case."""
    if kind == "module":
        return db.session.scalar(select(Module))
    if kind == "lesson":
        return db.session.scalar(select(Lesson).where(Lesson.slug == "mot"))
    return db.session.scalar(select(Case).where(Case.slug == CASE))


def versions(kind: str) -> list:
    """Every version row of lesson 01 or the case, oldest first."""
    model, owner = (LessonVersion, LessonVersion.lesson_id) if kind == "lesson" else (CaseVersion, CaseVersion.case_id)
    return list(db.session.scalars(select(model).where(owner == item(kind).id).order_by(model.version)))


def snapshot(row) -> dict:
    """Every column of a row, to prove it was left alone."""
    return {column.key: getattr(row, column.key) for column in row.__table__.columns}


EDITS = {"lesson": ("lessons/01-mot.md", {"summary": "Tóm tắt mới của bài một."}),
         "case": (f"cases/{CASE}.md", {"title": "Hai hộ tranh chấp lối đi chung (sửa)"})}


def edit_file(folder: CourseFolder, kind: str) -> None:
    """Change the file of lesson 01 or of the case."""
    name, data = EDITS[kind]
    folder.edit(name, **data)


def edit_in_browser(kind: str, course: Course, now) -> None:
    """Save a different text of lesson 01 or the case as an instructor would in the browser."""
    resolve = resolver_factory(current_app)(MODULE)
    module = course.module(MODULE)
    if kind == "lesson":
        doc = dataclasses.replace(module.lessons[0], summary="Sửa trên trình duyệt.")
        new_lesson_version(item(kind), doc, resolve, now, source="browser")
    else:
        doc = dataclasses.replace(module.cases[0], summary="Sửa trên trình duyệt.")
        new_case_version(item(kind), doc, resolve, now, source="browser")
    db.session.commit()


# --- import ---------------------------------------------------------------------------------------


def test_first_import_creates_every_item(imported):
    assert imported.created == [MODULE, f"{MODULE}/lessons/01-mot", f"{MODULE}/lessons/02-hai",
                                f"{MODULE}/cases/{CASE}"]
    assert (imported.updated, imported.unchanged, imported.conflicts) == ([], 0, [])
    assert row_counts() == {"modules": 1, "lessons": 2, "lesson_versions": 2, "cases": 1, "case_versions": 1}


@pytest.mark.parametrize("kind", ["lesson", "case"])
def test_first_import_makes_version_1_current(imported, kind):
    current = item(kind).current
    assert (current.version, current.source, current.created_by_id) == (1, "import", None)


def test_reimport_of_the_same_files_changes_nothing(imported, folder, now):
    before = row_counts()
    report = run_import(folder.load(), now)
    assert report == ImportReport(unchanged=4)
    assert report.changed is False
    assert row_counts() == before


@pytest.mark.parametrize("kind", ["lesson", "case"])
def test_a_changed_item_gets_version_2_and_version_1_stays_as_it_was(imported, folder, now, kind):
    old = snapshot(versions(kind)[0])
    edit_file(folder, kind)
    report = run_import(folder.load(), now)
    assert report.updated == [LABELS[kind]] and report.created == [] and report.unchanged == 3
    first, second = versions(kind)
    assert snapshot(first) == old
    assert item(kind).current == second and second.version == 2 and second.content_hash != old["content_hash"]


def test_reordered_lessons_keep_their_identity_and_take_the_new_numbers(imported, folder, now):
    ids = {lesson.slug: lesson.id for lesson in item("module").lessons}
    files = folder.module.files
    first, second = files.pop("lessons/01-mot.md"), files.pop("lessons/02-hai.md")
    files["lessons/01-hai.md"], files["lessons/02-mot.md"] = second, Doc(first.data, "Bài một, nay là bài hai.\n")
    shutil.rmtree(folder.root)
    report = run_import(folder.load(), now)
    assert report.updated == [f"{MODULE}/lessons/02-mot"] and report.unchanged == 3
    assert [(lesson.number, lesson.slug, lesson.id) for lesson in item("module").lessons] == [
        (1, "hai", ids["hai"]), (2, "mot", ids["mot"])]


def test_a_changed_module_header_is_updated_in_place(imported, folder, now):
    folder.edit("module.md", title="Công tác dân vận (sửa)")
    report = run_import(folder.load(), now)
    assert report.updated == [MODULE]
    assert item("module").title == "Công tác dân vận (sửa)" and row_counts()["modules"] == 1


@pytest.mark.parametrize("kind", ["lesson", "case"])
def test_an_item_edited_in_the_browser_is_a_conflict_and_kept(imported, folder, now, kind):
    course = folder.load()
    edit_in_browser(kind, course, now)
    browser_version = item(kind).current
    report = run_import(course, now)
    assert report.conflicts == [LABELS[kind]] and report.changed is False
    assert item(kind).current == browser_version and len(versions(kind)) == 2


@pytest.mark.parametrize("kind", ["lesson", "case"])
def test_force_overwrites_an_item_edited_in_the_browser(imported, folder, now, kind):
    course = folder.load()
    edit_in_browser(kind, course, now)
    report = run_import(course, now, force=True)
    assert report.updated == [LABELS[kind]] and report.conflicts == []
    current = item(kind).current
    assert (current.version, current.source) == (3, "import")
    assert [v.source for v in versions(kind)] == ["import", "browser", "import"]


def test_module_header_edited_in_the_browser_is_a_conflict_until_forced(imported, folder, now):
    item("module").edited_in_browser = True
    db.session.commit()
    folder.edit("module.md", title="Tiêu đề trong tệp")
    course = folder.load()
    report = run_import(course, now)
    assert report.conflicts == [MODULE] and item("module").title == "Công tác dân vận"
    report = run_import(course, now, force=True)
    assert report.updated == [MODULE] and report.conflicts == []
    assert item("module").title == "Tiêu đề trong tệp" and item("module").edited_in_browser is False


def test_an_unchanged_file_is_not_a_conflict_even_after_a_browser_edit_of_the_module(imported, folder, now):
    item("module").edited_in_browser = True
    db.session.commit()
    assert run_import(folder.load(), now) == ImportReport(unchanged=4)


# --- rendering at import --------------------------------------------------------------------------


def test_lesson_html_is_rendered_at_import_with_internal_links_resolved(imported):
    html = item("lesson").current.body_html
    assert "<table>" in html and "<td>Tiếp dân</td>" in html
    assert f'href="/cases/{CASE}"' in html
    assert f'href="/modules/{MODULE}/lessons/02-hai"' in html
    assert "case:" not in html and "lesson:" not in html


def test_a_script_in_a_lesson_body_is_not_in_the_html(imported):
    version = item("lesson").current
    assert "<script" in version.body_md
    assert "<script" not in version.body_html and "alert(" not in version.body_html


def test_case_texts_are_rendered_and_searchable_at_import(imported):
    version = item("case").current
    assert version.rendered["scenario"].startswith("<p>") and "lối đi chung" in version.rendered["scenario"]
    assert set(version.rendered["stages"]) == {"s1", "s2a", "s2b", "s3"}
    assert "tranh chap loi di chung" in version.search_text


def test_lesson_search_text_is_folded_and_words_are_counted(imported):
    version = item("lesson").current
    assert "phan cong" in version.search_text and "tiep dan" in version.search_text
    assert version.word_count > 10


# --- reading back ---------------------------------------------------------------------------------


def test_module_doc_rebuilds_the_imported_module(imported, folder):
    assert module_doc(item("module")) == folder.load().module(MODULE)


def test_case_definition_parses_a_stored_version(imported, folder):
    assert case_definition(item("case").current, CASE) == folder.load().case(CASE)


def test_case_definition_reads_old_versions_too(imported, folder, now):
    original = folder.load().case(CASE)
    edit_file(folder, "case")
    run_import(folder.load(), now)
    first, second = versions("case")
    assert case_definition(first, CASE) == original
    assert case_definition(second, CASE).title == EDITS["case"][1]["title"]


def test_export_then_import_of_the_small_course_changes_nothing(imported, folder, tmp_path, now):
    exported = export_course()
    assert exported == folder.load()
    write_course(exported, tmp_path / "exported")
    again, problems = load_course(tmp_path / "exported")
    assert problems == []
    report = run_import(again, now)
    assert report.changed is False and report.conflicts == []


def test_export_then_import_of_the_shipped_course_changes_nothing(app, tmp_path, now):
    course, problems = load_course(SHIPPED)
    assert problems == [] and len(course.modules) == 18
    run_import(course, now)
    write_course(export_course(), tmp_path / "exported")
    again, problems = load_course(tmp_path / "exported")
    assert problems == [], [str(p) for p in problems[:5]]
    report = run_import(again, now)
    assert report.changed is False and report.conflicts == []
    assert report.unchanged == sum(1 + len(m.lessons) + len(m.cases) for m in course.modules)
    # and the exported files are the repository's, byte for byte (the canonical format, content/README.md)
    shipped = sorted(p.relative_to(SHIPPED) for p in SHIPPED.rglob("*.md"))
    exported = sorted(p.relative_to(tmp_path / "exported") for p in (tmp_path / "exported").rglob("*.md"))
    assert exported == shipped
    differing = [str(p) for p in shipped if (SHIPPED / p).read_bytes() != (tmp_path / "exported" / p).read_bytes()]
    assert differing == []


# --- the command line -----------------------------------------------------------------------------


@pytest.fixture
def flask_cli(app):
    """flask_cli('content', 'import', path) -> the click result; the test's own transaction is ended around it."""

    def run(*args):
        db.session.commit()
        result = app.test_cli_runner().invoke(args=[str(arg) for arg in args])
        db.session.commit()
        return result

    return run


def test_cli_import_loads_a_folder_and_reports_counts(flask_cli, folder):
    folder.load()
    result = flask_cli("content", "import", folder.root)
    assert result.exit_code == 0, result.output
    assert "created 4, new versions 0, unchanged 0, conflicts 0" in result.output
    assert row_counts()["lesson_versions"] == 2


def test_cli_import_refuses_a_folder_with_a_broken_case(flask_cli, folder):
    folder.edit(f"cases/{CASE}.md", kind="not-a-kind")
    folder.module.write(folder.root)
    result = flask_cli("content", "import", folder.root)
    assert result.exit_code != 0
    assert f"{CASE}.md" in result.output and "nothing imported" in result.output
    assert set(row_counts().values()) == {0}


def test_cli_import_reports_conflicts_and_force_overwrites(flask_cli, imported, folder, now):
    edit_in_browser("lesson", folder.load(), now)
    result = flask_cli("content", "import", folder.root)
    assert result.exit_code == 0 and f"conflict: {LABELS['lesson']}" in result.output
    result = flask_cli("content", "import", "--force", folder.root)
    assert result.exit_code == 0 and "new versions 1" in result.output
    assert item("lesson").current.source == "import"


def test_cli_check_passes_the_shipped_course(flask_cli):
    result = flask_cli("content", "check", SHIPPED)
    assert result.exit_code == 0, result.output
    assert "18 module(s)" in result.output and "no problems" in result.output


def test_cli_check_lists_problems_and_fails(flask_cli, folder):
    folder.edit(f"cases/{CASE}.md", kind="not-a-kind")
    folder.module.write(folder.root)
    result = flask_cli("content", "check", folder.root)
    assert result.exit_code == 1
    assert f"cases/{CASE}.md" in result.output and "1 problem(s)" in result.output


def test_cli_export_writes_the_course_files(flask_cli, imported, tmp_path):
    target = tmp_path / "out"
    result = flask_cli("content", "export", target)
    assert result.exit_code == 0 and "exported 1 module(s)" in result.output
    files = sorted(str(p.relative_to(target)) for p in target.rglob("*.md"))
    assert files == [f"{MODULE}/cases/{CASE}.md", f"{MODULE}/lessons/01-mot.md", f"{MODULE}/lessons/02-hai.md",
                     f"{MODULE}/module.md"]
    assert (target / MODULE / "lessons" / "01-mot.md").read_text(encoding="utf-8").startswith("---\ntitle:")


def test_cli_export_writes_the_final_essay_where_the_import_reads_it(flask_cli, imported, tmp_path, now):
    from lms.catalog.essay import import_essay
    from lms.content.essay import load_essay

    shipped = Path(__file__).resolve().parents[2] / "content" / "modules"
    essay, _problems = load_essay(shipped)
    import_essay(essay, now, lambda *_: None)
    db.session.commit()
    result = flask_cli("content", "export", tmp_path / "content" / "modules")
    assert result.exit_code == 0 and f"final essay: {tmp_path / 'content' / 'essay.md'}" in result.output
    # the stored essay comes back as the shipped file, byte for byte (its links name lessons of the whole course)
    assert (tmp_path / "content" / "essay.md").read_text(encoding="utf-8") == \
        (shipped.parent / "essay.md").read_text(encoding="utf-8")


def test_a_renamed_lesson_retires_the_old_one_and_keeps_its_progress(app, folder, imported, now, make_user):
    """Renaming 02-hai.md to 02-nhiem-vu.md: the new lesson takes number 2, the old one is retired, not deleted."""
    from lms.lessons.services import mark_studied
    from lms.models import LessonProgress, Role

    old = db.session.scalar(select(Lesson).where(Lesson.slug == "hai"))
    mark_studied(make_user(Role.LEARNER), old, now)
    db.session.commit()
    folder.module.files["lessons/02-nhiem-vu.md"] = folder.module.files.pop("lessons/02-hai.md")
    first = folder.module.files["lessons/01-mot.md"]
    folder.module.files["lessons/01-mot.md"] = Doc(first.data, first.body.replace("lesson:02-hai", "lesson:02-nhiem-vu"))
    shutil.rmtree(folder.root)
    report = run_import(folder.load(), now)
    assert report.retired == [f"{MODULE}/lessons/02-hai"] and f"{MODULE}/lessons/02-nhiem-vu" in report.created
    db.session.refresh(old)
    assert old.number <= 0 and old not in old.module.lessons
    assert [lesson.slug for lesson in old.module.lessons] == ["mot", "nhiem-vu"]
    assert db.session.scalar(select(LessonProgress).where(LessonProgress.lesson_id == old.id)) is not None
