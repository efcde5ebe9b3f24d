"""Full-text search: the index follows every publication, fills in at import, pages, and survives any query."""
from __future__ import annotations

import pytest
from flask import current_app
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from lms.authoring import services as authoring
from lms.catalog.search import search
from lms.catalog.store import import_course
from lms.catalog.urls import resolver_factory
from lms.content.loader import load_course
from lms.content.schema import LessonDoc
from lms.extensions import db
from lms.jobs.runner import run_periodic
from lms.models import Role
from tests.services.conftest import add_lesson
from tests.unit.content.builders import Doc, lesson_data, module_files, write_course


def found(query: str, per_page: int = 50) -> list[str]:
    """The keys (lesson key or case slug) of the first page of results."""
    page = search(query, 1, per_page)
    return [hit.key for hit in page.items] if page else []


def test_a_published_version_replaces_the_old_text_in_the_index(module, make_user, now):
    lesson = add_lesson(module, now, body="## Mở đầu\n\nNội dung về phòng cháy chữa cháy.")
    assert found("phòng cháy") == [lesson.key] and found("tiêm chủng") == []
    author = make_user(Role.ADMIN)
    doc = LessonDoc(lesson.number, lesson.slug, "Bài 1", "Tóm tắt bài.", "Nội dung về tiêm chủng mở rộng.")
    authoring.publish_lesson(module, lesson, doc, resolver_factory(current_app)(module.key), author, now)
    db.session.commit()
    assert found("tiêm chủng") == [lesson.key] and found("phòng cháy") == []


def test_restoring_an_old_version_indexes_it_again(module, make_user, now):
    lesson = add_lesson(module, now, body="Nội dung về phòng cháy.")
    first = lesson.current
    author, resolve = make_user(Role.ADMIN), resolver_factory(current_app)(module.key)
    authoring.publish_lesson(module, lesson, LessonDoc(1, lesson.slug, "Bài 1", "Tóm tắt.", "Tiêm chủng."), resolve,
                             author, now)
    authoring.restore_lesson_version(lesson, first, resolve, author, now)
    db.session.commit()
    assert found("phong chay") == [lesson.key] and found("tiem chung") == []


def test_cases_are_found_and_a_retired_lesson_is_not(make_case, now):
    case = make_case()
    lesson = add_lesson(case.module, now, body="Tranh chấp lối đi giữa hai hộ.")
    assert sorted(found("loi di")) == sorted([case.slug, lesson.key])
    lesson.number = -lesson.id  # removed from the files: retired, kept for its learners' progress
    db.session.commit()
    assert found("loi di") == [case.slug]


def write_module(tmp_path, body: str):
    """A one-lesson course folder."""
    module = module_files("01-ly-luan", lessons=("01-mot",), cases=())
    module.files["lessons/01-mot.md"] = Doc(lesson_data("Bài 1. Vai trò"), body)
    return write_course(tmp_path / "modules", [module])


def import_folder(root, now):
    """Import a course folder as `flask content import` does."""
    course, problems = load_course(root)
    assert problems == []
    report = import_course(course, now, resolver_factory(current_app))
    db.session.commit()
    return report


def test_the_import_indexes_versions_that_were_current_before_the_index_existed(app, tmp_path, now):
    root = write_module(tmp_path, "Đối thoại với dân cư về giải phóng mặt bằng.\n")
    import_folder(root, now)
    db.session.remove()
    downgrade(revision="0013")  # the index did not exist; the lessons did
    upgrade()
    assert found("giai phong mat bang") == []
    report = import_folder(root, now)
    assert not report.changed and found("giai phong mat bang") == ["01-mot"]


def test_the_workers_tick_indexes_them_without_an_import(app, tmp_path, now):
    import_folder(write_module(tmp_path, "Đối thoại với dân cư về giải phóng mặt bằng.\n"), now)
    db.session.remove()
    downgrade(revision="0013")
    upgrade()
    assert found("giai phong mat bang") == []
    db.session.rollback()  # end the read, as a request does, so the tick's commit is seen
    run_periodic(app)
    assert found("giai phong mat bang") == ["01-mot"]
    run_periodic(app)  # nothing missing: nothing indexed twice
    assert db.session.execute(text("SELECT count(*) FROM search_index WHERE kind = 'lesson'")).scalar() == 1


def test_results_are_paged(module, now):
    for number in range(1, 8):
        add_lesson(module, now, number=number, slug=f"bai-{number}", body="Phòng cháy ở cơ sở. " * number)
    first, second = search("phong chay", 1, 5), search("phong chay", 2, 5)
    assert (first.total, first.pages, len(first.items), len(second.items)) == (7, 2, 5, 2)
    keys = [hit.key for hit in first.items + second.items]
    assert len(set(keys)) == 7
    past_the_end = search("phong chay", 3, 5)  # an old link: the last page, no error
    assert (past_the_end.page, [hit.key for hit in past_the_end.items]) == (2, keys[5:])


MALFORMED = ['"', '"đất đai', "đất*", "*", "-đất", "đất -đai", "đất OR đai", "OR", "AND NOT", "NEAR(đất đai, 2)",
             "NEAR/3", "(đất", "đất)", "((()))", "{title}: đất", "title:đất", "^đất", "đất:*", "'đất'", "đất & | !",
             "<->", "\\", "%_%", "?!.,;", "x" * 500, "đất " * 100, "đất\x00đai", "\x01\x02\x1f\x7f", "\u200b\u0301",
             "½ ² ǅ ⅷ ٣", "𝔡𝔞𝔱 😀", "a b c"]


@pytest.mark.parametrize("query", MALFORMED)
def test_malformed_queries_never_reach_the_query_language(module, now, query):
    add_lesson(module, now, body="Quản lý đất đai ở xã, phường.")
    page = search(query, 1)
    assert page is None or page.total in (0, 1)


def test_any_character_in_a_query_is_harmless(module, now):
    add_lesson(module, now, body="Quản lý đất đai ở xã, phường.")
    characters = [chr(code) for code in (*range(1, 0x250), *range(0x1E00, 0x1F00), *range(0x2000, 0x2070))]
    for start in range(0, len(characters), 40):
        search("đất " + " ".join(characters[start:start + 40]), 1)
        search("".join(characters[start:start + 40]), 1)
    assert found("dat dai") == ["01-bai-mot"]


def test_the_index_holds_one_row_per_lesson_or_case(make_case, now):
    case = make_case()
    add_lesson(case.module, now)
    rows = db.session.execute(text("SELECT kind, item_id FROM search_index ORDER BY kind")).all()
    assert [kind for kind, _ in rows] == ["case", "lesson"]
