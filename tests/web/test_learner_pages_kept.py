"""The home and progress pages are kept per learner under a fingerprint of their rows (grades.fingerprint):
a repeat visit runs a few statements, and whatever the learner, their teachers or the schedule change shows at the
next visit."""
from __future__ import annotations

from datetime import timedelta

import pytest

from lms.cases import services as attempts
from lms.cohorts.services import create_cohort
from lms.domain.schedule import Window
from lms.extensions import db
from lms.grades.fingerprint import learner_fingerprint
from lms.grades.ledger import override_grade
from lms.lessons import services as lessons
from lms.models import (
    MODULE,
    Announcement,
    Attempt,
    CourseEssay,
    Enrolment,
    EssaySubmission,
    FeedbackReceipt,
    Role,
)
from lms.notifications import announcements
from lms.schedule.services import grant_extension, set_window
from tests.conftest import EXPERT_PATH, csrf_token, play_attempt
from tests.services.conftest import add_lesson

GOOD = EXPERT_PATH


@pytest.fixture
def course(make_user, make_cohort, case, now):
    """A learner in a cohort with an instructor, a chuyên đề with two lessons and the test case."""
    learner, instructor = make_user(Role.LEARNER), make_user(Role.INSTRUCTOR)
    cohort = make_cohort(instructors=[instructor], learners=[learner])
    add_lesson(case.module, now, 1, "bai-mot")
    add_lesson(case.module, now, 2, "bai-hai")
    return learner, instructor, cohort, case


def _start(learner, case, now):
    attempts.start_attempt(learner, case, now)


def _save(learner, case, now):
    attempt = db.session.query(Attempt).filter_by(user_id=learner.id).one()
    attempts.save_answers(attempt, attempts.read_answers(attempt, GOOD[0]), now + timedelta(minutes=5))


def _essay(learner, cohort, now, **graded):
    essay = db.session.query(CourseEssay).first() or CourseEssay(
        title="Bài thu hoạch", summary="", brief_md="", brief_html="", rubric=[], weight=0.0, pass_mark=5.0,
        max_chars=10000, content_hash="x", updated_at=now)
    db.session.add(essay)
    db.session.add(EssaySubmission(user_id=learner.id, cohort_id=cohort.id, text="Bài làm", submitted_at=now, **graded))


# Each change a learner's own pages must show at the next visit, made the way the app makes it.
CHANGES = {
    "lesson studied": lambda learner, instructor, cohort, case, now: lessons.mark_studied(
        learner, case.module.lessons[0], now),
    "attempt submitted": lambda learner, instructor, cohort, case, now: play_attempt(
        learner, case, GOOD, now, commit=False),
    "grade overridden": lambda learner, instructor, cohort, case, now: override_grade(
        learner, case.module, cohort.id, 8.0, "Chấm lại theo phúc khảo", instructor, now),
    "announcement": lambda learner, instructor, cohort, case, now: announcements.post(
        cohort, instructor, "Lịch học tuần sau", "Nội dung", "/", now),
    "schedule set": lambda learner, instructor, cohort, case, now: set_window(
        cohort, MODULE, case.module.id, Window(None, now + timedelta(days=3), None), instructor, now),
    "extension": lambda learner, instructor, cohort, case, now: grant_extension(
        cohort, learner, MODULE, case.module.id, now + timedelta(days=9), None, "Ốm", instructor, now),
    "enrolled elsewhere": lambda learner, instructor, cohort, case, now: db.session.add(Enrolment(
        cohort=create_cohort("Lớp khác", None, None, None, now), user=learner, commune="Xã Sóc Sơn",
        enrolled_at=now + timedelta(hours=1))),
    "essay submitted": lambda learner, instructor, cohort, case, now: _essay(learner, cohort, now),
    "feedback sent": lambda learner, instructor, cohort, case, now: db.session.add(FeedbackReceipt(
        user_id=learner.id, cohort_id=cohort.id, module_id=None)),
    "cohort ended": lambda learner, instructor, cohort, case, now: setattr(cohort, "ends_on", now.date()),
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_every_change_a_learner_page_shows_changes_the_fingerprint(course, now, change):
    learner, instructor, cohort, case = course
    before = learner_fingerprint(learner.id)
    CHANGES[change](learner, instructor, cohort, case, now)
    db.session.commit()
    assert learner_fingerprint(learner.id) != before


def test_saving_starting_reviewing_and_regrading_an_attempt_change_the_fingerprint(course, now):
    learner, instructor, cohort, case = course
    seen = {learner_fingerprint(learner.id)}
    for step in (_start, _save):
        step(learner, case, now)
        db.session.commit()
        seen.add(learner_fingerprint(learner.id))
    attempt = db.session.query(Attempt).filter_by(user_id=learner.id).one()
    for column, value in (("reviewed_at", now + timedelta(hours=2)), ("score", 6.5), ("regraded_version_id",
                                                                                       attempt.case_version_id)):
        setattr(attempt, column, value)
        db.session.commit()
        seen.add(learner_fingerprint(learner.id))
    assert len(seen) == 6


def test_another_learners_work_leaves_the_fingerprint_alone(course, make_user, make_cohort, now):
    learner, instructor, cohort, case = course
    other = make_user(Role.LEARNER)
    make_cohort(learners=[other])
    before = learner_fingerprint(learner.id)
    lessons.mark_studied(other, case.module.lessons[0], now)
    play_attempt(other, case, GOOD, now)
    assert learner_fingerprint(learner.id) == before


def main_of(page: str) -> str:
    """The page's <main> element: what is kept, without the header and footer made per request."""
    return page[page.index("<main"):page.index("</main>")]


def test_a_repeat_visit_is_served_from_memory_and_the_next_change_shows(course, login_as, count_queries, now):
    learner, instructor, cohort, case = course
    client = login_as(learner)
    for url in ("/", "/progress"):
        with count_queries() as built:
            first = main_of(client.get(url).get_data(as_text=True))
        with count_queries() as kept:
            again = main_of(client.get(url).get_data(as_text=True))
        assert again == first  # the kept part (the header's and footer's forms carry a CSRF token signed per second)
        assert kept() < built() and kept() <= 6, (url, built(), kept())
    assert "Bài 1" in client.get("/").get_data(as_text=True)  # the next lesson to study
    lessons.mark_studied(learner, case.module.lessons[0], now)
    db.session.commit()
    home = client.get("/").get_data(as_text=True)
    assert "Bài 2" in home and "Bài 1" not in home
    announcements.post(cohort, instructor, "Lịch học tuần sau", "Nội dung", "/", now)
    db.session.commit()
    assert "Lịch học tuần sau" in client.get("/").get_data(as_text=True)
    override_grade(learner, case.module, cohort.id, 8.0, "Chấm lại theo phúc khảo", instructor, now)
    db.session.commit()
    assert "8,0" in client.get("/progress").get_data(as_text=True)


def test_the_kept_page_follows_the_language_and_the_learners_name(course, login_as):
    learner, instructor, cohort, case = course
    client = login_as(learner)
    assert "Tiến độ học tập" in client.get("/progress").get_data(as_text=True)
    client.post("/language", data={"lang": "en", "csrf_token": csrf_token(client, "/progress")})
    assert "Tiến độ học tập" not in client.get("/progress").get_data(as_text=True)
    learner.full_name = "Nguyễn Văn Tên Mới"
    db.session.commit()
    assert "Nguyễn Văn Tên Mới" in client.get("/").get_data(as_text=True)


def test_a_kept_page_expires_with_its_slice_of_the_clock(course, login_as, monkeypatch, now):
    """Time passing is what the fingerprint cannot see (a deadline coming within seven days)."""
    learner, instructor, cohort, case = course
    set_window(cohort, MODULE, case.module.id, Window(None, now + timedelta(days=10), None), instructor, now)
    db.session.commit()
    client = login_as(learner)
    clock = [now]
    monkeypatch.setattr("lms.pages.routes.utcnow", lambda: clock[0])
    monkeypatch.setattr("lms.grades.fingerprint.utcnow", lambda: clock[0])
    assert "Không có hạn nộp nào" in client.get("/").get_data(as_text=True)
    clock[0] = now + timedelta(days=4)
    assert "Không có hạn nộp nào" not in client.get("/").get_data(as_text=True)


def test_correcting_or_withdrawing_an_announcement_changes_the_fingerprint(course, now):
    learner, instructor, cohort, case = course
    announcements.post(cohort, instructor, "Lịch học tuần sau", "Nội dung", "/", now)
    db.session.commit()
    posted = learner_fingerprint(learner.id)
    announcement = db.session.query(Announcement).one()
    announcements.edit(announcement, instructor, "Lịch học tuần sau (sửa)", "Nội dung đúng", "/", now)
    db.session.commit()
    edited = learner_fingerprint(learner.id)
    announcements.withdraw(announcement, instructor, now)
    db.session.commit()
    assert len({posted, edited, learner_fingerprint(learner.id)}) == 3
