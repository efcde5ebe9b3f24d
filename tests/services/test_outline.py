"""The course outline kept per content revision: read once, reused, and replaced in every worker on publication."""
from __future__ import annotations

from lms.catalog.outline import course_outline, outline_module, revision_token
from lms.catalog.store import new_lesson_version
from lms.content.schema import LessonDoc
from lms.extensions import db
from tests.services.conftest import add_lesson


def _republish(lesson, title: str, now) -> None:
    new_lesson_version(lesson, LessonDoc(lesson.number, lesson.slug, title, "Tóm tắt mới.", "Nội dung mới."),
                       lambda *_: None, now)


def test_the_outline_holds_the_published_structure(module, lesson, case):
    outline = course_outline()
    view = outline_module(module.key)
    assert [m.key for m in outline.modules] == [module.key]
    assert outline.by_id[module.id] is view
    assert [(item.key, item.current.title) for item in view.lessons] == [(lesson.key, lesson.current.title)]
    assert view.lessons[0].current.body_html == lesson.current.body_html
    assert [(c.slug, c.current.title, c.current.required) for c in view.cases] == \
        [(case.slug, case.current.title, case.current.required)]
    assert outline_module("99-khong-co") is None


def test_the_outline_is_read_once_per_revision(module, lesson, count_queries):
    first = course_outline()
    with count_queries() as queries:
        again = course_outline()
    assert again is first and queries() == 1  # the revision token only


def test_a_publication_reaches_a_worker_that_had_the_outline_cached(app, module, lesson, now):
    """Two app instances on one database: the one that cached the outline sees the other's publication."""
    from config import TestConfig
    from lms import create_app
    from lms.models import Lesson

    assert outline_module(module.key).lessons[0].current.title == "Bài 1"
    before, lesson_id = revision_token(), lesson.id  # read here: inside the other app, the test's session would
    db.session.commit()                             # take a connection of that app's pool
    second = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})
    with second.app_context():
        _republish(db.session.get(Lesson, lesson_id), "Bài 1 (sửa)", now)
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    db.session.commit()  # this worker's next request
    assert revision_token() != before
    assert outline_module(module.key).lessons[0].current.title == "Bài 1 (sửa)"


def test_a_rolled_back_change_keeps_the_revision(module, lesson, now):
    cached = course_outline()
    token = revision_token()
    _republish(lesson, "Không lưu", now)
    assert revision_token() != token  # inside the transaction the change is seen
    db.session.rollback()
    assert revision_token() == token
    assert course_outline() is cached


def test_learner_work_does_not_change_the_revision(module, lesson, learner, now):
    from lms.lessons.services import mark_studied

    token = revision_token()
    mark_studied(learner, lesson, now)
    db.session.commit()
    assert revision_token() == token


def test_a_lesson_added_in_a_new_module_appears(module, lesson, now):
    from lms.models import Module

    course_outline()
    other = Module(number=module.number + 1, slug="mot-chuyen-de-khac", title="Chuyên đề khác", summary="", group=1,
                   hours=4, objectives=[], references=[], content_hash="x", updated_at=now)
    db.session.add(other)
    db.session.flush()
    add_lesson(other, now, slug="bai-khac")
    assert [m.key for m in course_outline().modules] == [module.key, other.key]
    assert outline_module(other.key).lessons[0].slug == "bai-khac"
