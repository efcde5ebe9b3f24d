"""Fixtures shared by the service tests (app and database, no client): the people of a cohort."""
from __future__ import annotations

import pytest

from lms.models import Role


@pytest.fixture
def learner(make_user):
    """A learner account."""
    return make_user(Role.LEARNER)


@pytest.fixture
def instructor(make_user):
    """An instructor account."""
    return make_user(Role.INSTRUCTOR)


# Authoring: a module with the test case and one lesson ------------------------------------------------------

LESSON_BODY = "## Mở đầu\n\nNội dung bài một."


def add_lesson(module, now, number: int = 1, slug: str = "bai-mot", body: str = LESSON_BODY):
    """Give the module a lesson with one imported version."""
    from lms.catalog.store import new_lesson_version
    from lms.content.schema import LessonDoc
    from lms.extensions import db
    from lms.models import Lesson

    lesson = Lesson(module=module, number=number, slug=slug)
    db.session.add(lesson)
    db.session.flush()
    new_lesson_version(lesson, LessonDoc(number, slug, f"Bài {number}", "Tóm tắt bài.", body), lambda *_: None, now)
    db.session.commit()
    return lesson


@pytest.fixture
def module(case):
    """The module of the test case."""
    return case.module


@pytest.fixture
def lesson(module, now):
    """Lesson 01-bai-mot of the module, with one imported version."""
    return add_lesson(module, now)
