"""The learner pages read the course outline kept per content revision: a publication shows at the next request,
in both languages, and a cached catalogue card never carries one learner's progress to another."""
from __future__ import annotations

from lms.catalog.store import new_lesson_version
from lms.content.schema import LessonDoc
from lms.extensions import db
from lms.models import Role
from tests.conftest import csrf_token


def test_a_publication_shows_on_the_catalogue_module_and_lesson_pages_at_once(login_as, make_user, module, lesson,
                                                                             now):
    client = login_as(make_user(Role.LEARNER))
    lesson_path = f"/modules/{module.key}/lessons/{lesson.key}"
    for path in ("/modules", f"/modules/{module.key}", lesson_path):
        assert client.get(path).status_code == 200  # the outline and the cards are cached now
    module.title = "Chuyên đề đã đổi tên"
    new_lesson_version(lesson, LessonDoc(lesson.number, lesson.slug, "Bài một, bản mới", "Tóm tắt.", "Nội dung mới."),
                       lambda *_: None, now)
    db.session.commit()
    assert "Chuyên đề đã đổi tên" in client.get("/modules").get_data(as_text=True)
    assert "Bài một, bản mới" in client.get(f"/modules/{module.key}").get_data(as_text=True)
    page = client.get(lesson_path).get_data(as_text=True)
    assert "Bài một, bản mới" in page and "Nội dung mới." in page


def test_the_catalogue_cards_follow_the_language_and_each_learners_progress(login_as, make_user, module, lesson):
    studied, fresh = make_user(Role.LEARNER), make_user(Role.LEARNER)
    first = login_as(studied)
    path = f"/modules/{module.key}/lessons/{lesson.key}"
    assert first.post(f"{path}/studied", data={"csrf_token": csrf_token(first, path)}).status_code == 302
    assert "Đã học 1/1 bài" in first.get("/modules").get_data(as_text=True)
    second = login_as(fresh)
    page = second.get("/modules").get_data(as_text=True)
    assert "Đã học 0/1 bài" in page and "1 bài học · " in page
    second.post("/language", data={"lang": "en", "next": "/modules", "csrf_token": csrf_token(second, "/modules")})
    english = second.get("/modules").get_data(as_text=True)
    assert "1 lessons · " in english or "1 lesson · " in english
    assert "bài học · " not in english


def test_a_kept_chuyen_de_page_shows_each_learner_only_their_own_studied_marks(login_as, make_user, module, lesson):
    first, second = login_as(make_user(Role.LEARNER)), login_as(make_user(Role.LEARNER))
    path = f"/modules/{module.key}/lessons/{lesson.key}"
    assert first.post(f"{path}/studied", data={"csrf_token": csrf_token(first, path)}).status_code == 302
    assert "✓ Đã học" in first.get(f"/modules/{module.key}").get_data(as_text=True)
    assert "✓ Đã học" not in second.get(f"/modules/{module.key}").get_data(as_text=True)
    assert "✓ Đã học" in first.get(f"/modules/{module.key}").get_data(as_text=True)
