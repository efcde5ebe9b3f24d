"""A learner's pages run a fixed number of SQL statements: more chuyên đề, lessons, cases, attempts and
notifications do not add queries (issue #20 asks for one or two indexed queries of per-learner state)."""
from __future__ import annotations

from flask import current_app

from lms.catalog.store import new_lesson_version
from lms.catalog.urls import resolver_factory
from lms.content.schema import LessonDoc
from lms.extensions import db
from lms.lessons import services as lessons
from lms.models import Event, Lesson, Role
from lms.notifications.services import notify
from tests.conftest import EXPERT_PATH, play_attempt

GOOD = EXPERT_PATH


def add_module(make_case, slug: str, lessons_count: int, now):
    """A module with a case and some lessons."""
    case = make_case(slug=slug)
    for number in range(1, lessons_count + 1):
        lesson = Lesson(module=case.module, number=number, slug=f"bai-{number}")
        db.session.add(lesson)
        db.session.flush()
        new_lesson_version(lesson, LessonDoc(number, f"bai-{number}", f"Bài {number}", "Tóm tắt", "Nội dung."),
                           resolver_factory(current_app)(case.module.key), now)
    db.session.commit()
    return case


def page_costs(client, count_queries, case) -> dict[str, int]:
    """The statements each learner page runs (one request each)."""
    module = case.module.key
    lesson = case.module.lessons[0].key
    costs = {}
    for name, url in {"home": "/", "catalogue": "/modules", "module": f"/modules/{module}",
                      "lesson": f"/modules/{module}/lessons/{lesson}", "progress": "/progress",
                      "case": f"/cases/{case.slug}"}.items():
        with count_queries() as statements:
            assert client.get(url).status_code == 200, url
        costs[name] = statements()
    return costs


def test_learner_pages_cost_the_same_whatever_the_course_and_the_learners_work(
        login_as, make_user, make_cohort, make_case, count_queries, now):
    learner = make_user(Role.LEARNER)
    make_cohort(learners=[learner])
    first = add_module(make_case, "tinh-huong-1", 1, now)
    client = login_as(learner)
    ungraded = page_costs(client, count_queries, first)
    play_attempt(learner, first, GOOD, now)  # a grade in the chuyên đề: its page asks whether to invite feedback
    db.session.commit()
    small = page_costs(client, count_queries, first)
    assert ungraded["module"] <= small["module"], (ungraded, small)  # without a grade, no standing is computed
    for n in range(2, 7):  # five more chuyên đề with lessons and cases, work done in each, notifications
        case = add_module(make_case, f"tinh-huong-{n}", 4, now)
        for lesson in case.module.lessons:
            lessons.mark_studied(learner, lesson, now)
        play_attempt(learner, case, GOOD, now)
        notify(learner, Event.ANNOUNCEMENT, {"title": f"Thông báo {n}", "text": "..."}, "/", now)
    lessons.mark_studied(learner, first.module.lessons[0], now)
    play_attempt(learner, first, GOOD, now)  # a second attempt
    db.session.commit()
    large = page_costs(client, count_queries, first)
    # the home page takes another path once there is work to continue; no page costs more with more data
    assert all(large[page] <= small[page] for page in small), (small, large)
    assert max(small.values()) <= 30, small
