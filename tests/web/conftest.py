"""Fixtures shared by the web tests (a test client against the app)."""
from __future__ import annotations

import pytest

from lms.models import Role


@pytest.fixture
def learner(login_as):
    """A signed-in learner's client."""
    return login_as(Role.LEARNER)


# Authoring: the module of the test case, its lesson, and a signed-in author of the module --------------------

@pytest.fixture
def module(case):
    """The module of the test case."""
    return case.module


@pytest.fixture
def lesson(module, now):
    """Lesson 01-bai-mot of the module, with one imported version."""
    from tests.services.conftest import add_lesson

    return add_lesson(module, now)


@pytest.fixture
def base(module) -> str:
    """The module's authoring home."""
    return f"/instructor/modules/{module.key}"


@pytest.fixture
def author(login_as, make_user, module, now):
    """A client signed in as an instructor assigned to author the module."""
    from lms.extensions import db
    from lms.models import ModuleInstructor

    user = make_user(Role.INSTRUCTOR, full_name="Nguyễn Văn Soạn")
    db.session.add(ModuleInstructor(module_id=module.id, user_id=user.id, assigned_at=now))
    db.session.commit()
    return login_as(user)
