"""Module list, module and lesson pages, the 'studied' mark and diacritic-insensitive search."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import current_app
from sqlalchemy import func, select

from lms.catalog.store import import_course
from lms.catalog.urls import resolver_factory
from lms.content.loader import load_course
from lms.extensions import db
from lms.models import LessonProgress, Role
from tests.conftest import csrf_token
from tests.unit.content.builders import (
    Doc,
    lesson_data,
    module_data,
    module_files,
    write_course,
)

SHIPPED = Path(__file__).resolve().parents[2] / "content" / "modules"
MODULE = "01-ly-luan"
MODULE_URL = f"/modules/{MODULE}"
FIRST, SECOND = "01-mot", "02-hai"
FIRST_TITLE, SECOND_TITLE = "Bài 1. Vai trò của Bí thư", "Bài 2. Nhiệm vụ trọng tâm"
CASE_TITLE = "Hai hộ tranh chấp lối đi chung"
UNVERIFIED = "Chưa xác minh đủ (chỉ cán bộ soạn bài thấy)"
HIT_RE = re.compile(r'href="(/modules/[^"/]+/lessons/[^"]+|/cases/[^"]+)"')


def lesson_url(key: str) -> str:
    """The address of a lesson of the test module."""
    return f"{MODULE_URL}/lessons/{key}"


def import_folder(root: Path, now) -> None:
    """Load a content folder and import it, as `flask content import` does."""
    course, problems = load_course(root)
    assert problems == [], [str(p) for p in problems]
    import_course(course, now, resolver_factory(current_app))
    db.session.commit()


@pytest.fixture
def course(app, tmp_path, now) -> None:
    """One module with two lessons (a short one about handling situations, a 600-word one) and one case."""
    references = module_data()["references"] + [
        {"number": "42/2013/QH13", "title": "Luật Tiếp công dân", "verified": False}]
    module = module_files(MODULE, cases=("hai-ho-tranh-chap",))
    module.files["module.md"] = Doc(module_data(references=references), "Giới thiệu chuyên đề.")
    module.files[f"lessons/{FIRST}.md"] = Doc(lesson_data(FIRST_TITLE),
                                             "## Kỹ năng\n\nPhương pháp xử lý tình huống ở cơ sở.\n")
    module.files[f"lessons/{SECOND}.md"] = Doc(lesson_data(SECOND_TITLE), "Nội dung bài hai. " * 150)
    import_folder(write_course(tmp_path / "modules", [module]), now)


def page(client, url: str) -> str:
    """GET a page that must answer 200 and return its HTML."""
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def mark_studied(client, key: str = FIRST):
    """Press 'Đánh dấu đã học' on a lesson page."""
    token = csrf_token(client, lesson_url(key))
    return client.post(f"{lesson_url(key)}/studied", data={"csrf_token": token})


def progress_rows() -> int:
    """How many 'studied' marks are stored."""
    return db.session.scalar(select(func.count()).select_from(LessonProgress))


# --- the module list -------------------------------------------------------------------------------


def test_modules_page_lists_the_18_shipped_modules(app, learner, now):
    import_folder(SHIPPED, now)
    html = page(learner, "/modules")
    assert html.count('class="module-card"') == 18
    keys = sorted(folder.name for folder in SHIPPED.iterdir())
    assert all(f'href="/modules/{key}"' in html for key in keys)


def test_modules_page_without_content_says_so(learner):
    assert "flask content import" in page(learner, "/modules")


def test_modules_page_sends_visitors_to_sign_in(client, course):
    response = client.get("/modules")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login?next=")


def test_learner_progress_on_the_modules_page_follows_marking(course, learner):
    assert "Đã học 0/2 bài" in page(learner, "/modules")
    mark_studied(learner)
    html = page(learner, "/modules")
    assert "Đã học 1/2 bài" in html and '<progress max="100" value="50">' in html


def test_staff_see_the_modules_without_progress(course, login_as):
    html = page(login_as(Role.INSTRUCTOR), "/modules")
    assert f'href="{MODULE_URL}"' in html and "Đã học" not in html


# --- the module page -------------------------------------------------------------------------------


def test_module_page_shows_objectives_lessons_and_cases(course, learner):
    html = page(learner, MODULE_URL)
    for objective in module_data()["objectives"]:
        assert objective in html
    assert f'href="{lesson_url(FIRST)}">{FIRST_TITLE}</a>' in html
    assert f'href="{lesson_url(SECOND)}">{SECOND_TITLE}</a>' in html
    assert f'href="/cases/hai-ho-tranh-chap">{CASE_TITLE}</a>' in html
    assert "Giới thiệu chuyên đề." in html


def test_module_page_flags_unverified_references_to_staff_only(course, learner, login_as):
    """Learners read the bases without hedges (issue #13); authors and instructors see what is unverified."""
    html = page(learner, MODULE_URL)
    assert "144-QĐ/TW" in html and "Luật Tiếp công dân" in html
    assert UNVERIFIED not in html and "cần đối chiếu" not in html
    staff = page(login_as(Role.INSTRUCTOR), MODULE_URL)
    assert staff.count(UNVERIFIED) == 1
    assert staff.index("42/2013/QH13") < staff.index(UNVERIFIED)


def test_module_page_ticks_studied_lessons(course, learner):
    assert "✓ Đã học" not in page(learner, MODULE_URL)
    mark_studied(learner)
    assert page(learner, MODULE_URL).count("✓ Đã học") == 1


# --- the lesson page -------------------------------------------------------------------------------


@pytest.mark.parametrize("key, previous, following", [
    (FIRST, None, lesson_url(SECOND)),
    (SECOND, lesson_url(FIRST), None),
])
def test_lesson_page_links_the_previous_and_next_lessons(course, learner, key, previous, following):
    html = page(learner, lesson_url(key))
    assert (f'rel="prev" href="{previous}"' in html) if previous else 'rel="prev"' not in html
    assert (f'rel="next" href="{following}"' in html) if following else 'rel="next"' not in html


def test_last_lesson_leads_back_to_the_module(course, learner):
    assert f'<a href="{MODULE_URL}">Về trang chuyên đề ›</a>' in page(learner, lesson_url(SECOND))


@pytest.mark.parametrize("key, minutes", [(FIRST, 1), (SECOND, 3)])
def test_lesson_page_shows_the_reading_time(course, learner, key, minutes):
    assert f"Khoảng {minutes} phút đọc" in page(learner, lesson_url(key))


def test_lesson_page_shows_the_rendered_body(course, learner):
    html = page(learner, lesson_url(FIRST))
    assert f"<h1>{FIRST_TITLE}</h1>" in html and "Phương pháp xử lý tình huống ở cơ sở." in html


def test_learner_marks_a_lesson_studied(course, learner):
    response = mark_studied(learner)
    assert response.status_code == 302 and response.headers["Location"] == f"{lesson_url(FIRST)}#studied"
    row = db.session.scalar(select(LessonProgress))
    assert row.user_id == learner.user.id and progress_rows() == 1
    assert "Đồng chí đã học bài này." in page(learner, lesson_url(FIRST))


def test_marking_twice_stores_one_row(course, learner):
    assert mark_studied(learner).status_code == 302
    assert mark_studied(learner).status_code == 302
    assert progress_rows() == 1


def test_undo_removes_the_mark(course, learner):
    mark_studied(learner)
    token = csrf_token(learner, lesson_url(FIRST))
    learner.post(f"{lesson_url(FIRST)}/studied", data={"csrf_token": token, "undo": "1"})
    assert progress_rows() == 0


def test_marking_without_a_csrf_token_is_refused(course, learner):
    assert learner.post(f"{lesson_url(FIRST)}/studied").status_code == 400
    assert progress_rows() == 0


@pytest.mark.parametrize("role", [Role.INSTRUCTOR, Role.ADMIN])
def test_staff_cannot_mark_lessons_studied(course, login_as, role):
    staff = login_as(role)
    assert "Đánh dấu đã học" not in page(staff, lesson_url(FIRST))
    response = staff.post(f"{lesson_url(FIRST)}/studied", data={"csrf_token": csrf_token(staff, lesson_url(FIRST))})
    assert response.status_code == 403 and progress_rows() == 0


@pytest.mark.parametrize("url", [
    "/modules/99-khong-co",
    "/modules/khong-so",
    "/modules/01-sai-ten",
    f"{MODULE_URL}/lessons/09-khong-co",
    f"{MODULE_URL}/lessons/{FIRST[:2]}-sai-ten",
])
def test_unknown_module_or_lesson_is_a_friendly_404(course, learner, url):
    response = learner.get(url)
    assert response.status_code == 404 and "Không tìm thấy trang" in response.get_data(as_text=True)


def test_marking_an_unknown_lesson_is_a_404(course, learner):
    token = csrf_token(learner, lesson_url(FIRST))
    response = learner.post(f"{MODULE_URL}/lessons/09-khong-co/studied", data={"csrf_token": token})
    assert response.status_code == 404 and progress_rows() == 0


# --- search ----------------------------------------------------------------------------------------


def search_hits(client, query: str) -> list[str]:
    """The lesson and case links on the search page for a query."""
    return HIT_RE.findall(page(client, f"/search?q={query}"))


def test_search_page_is_reachable_with_its_form(learner):
    html = page(learner, "/search")
    assert 'role="search"' in html and 'name="q"' in html


@pytest.mark.parametrize("query", ["xu ly tinh huong", "Xử lý tình huống", "XỬ LÝ TÌNH HUỐNG", "  xu   LY tinh HUONG "])
def test_search_ignores_diacritics_and_case(course, learner, query):
    assert search_hits(learner, query) == [lesson_url(FIRST)]


def test_uppercase_search_finds_lessons_and_case_questions(course, learner):
    # the case's written question asks for a "phương án xử lý"
    assert sorted(search_hits(learner, "XỬ LÝ")) == sorted([lesson_url(FIRST), "/cases/hai-ho-tranh-chap"])


def test_search_finds_cases_too(course, learner):
    assert search_hits(learner, "loi di chung") == ["/cases/hai-ho-tranh-chap"]


def test_search_needs_every_word(course, learner):
    assert search_hits(learner, "xu ly trong tam") == []


@pytest.mark.parametrize("query", ["", "   "])
def test_empty_search_shows_no_results_and_no_error(course, learner, query):
    html = page(learner, f"/search?q={query}")
    assert HIT_RE.findall(html) == [] and "kết quả" not in html


@pytest.mark.parametrize("query", ["a", "x l t h"])
def test_search_ignores_one_letter_words(course, learner, query):
    html = page(learner, f"/search?q={query}")
    assert HIT_RE.findall(html) == [] and "Không có từ nào để tìm" in html
