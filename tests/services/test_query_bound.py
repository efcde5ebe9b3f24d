"""The gradebook and cohort analytics run a fixed number of SQL statements, whatever the cohort's size."""
from __future__ import annotations

from datetime import timedelta

import pytest
from flask import current_app
from sqlalchemy import insert
from werkzeug.datastructures import MultiDict

from lms.catalog.store import new_lesson_version
from lms.catalog.urls import resolver_factory
from lms.content.schema import LessonDoc
from lms.domain.progress import GradeSource
from lms.extensions import db
from lms.grades import queries
from lms.models import Enrolment, GradeEntry, Lesson, LessonProgress, Role, User
from tests.conftest import EXPERT_PATH, play_attempt

SMALL, LARGE = 10, 579
COMMUNES = ("Phường Ba Đình", "Phường Hoàn Kiếm", "Xã Sóc Sơn", "Xã Ba Vì", "Phường Hà Đông")
GOOD = EXPERT_PATH
WRITTEN = [MultiDict({"q-q1": "b"}), MultiDict({"q-q4-best": "a", "q-q4-worst": "b", "q-q5-text": "Phương án..."})]


@pytest.fixture
def course(make_case, now):
    """Two modules, each with one case; the first also has two lessons."""
    cases = [make_case(), make_case(slug="tranh-chap-thu-hai")]
    module = cases[0].module
    for number in (1, 2):
        lesson = Lesson(module=module, number=number, slug=f"bai-{number}")
        db.session.add(lesson)
        db.session.flush()
        new_lesson_version(lesson, LessonDoc(number, f"bai-{number}", f"Bài {number}", "Tóm tắt", "Nội dung."),
                           resolver_factory(current_app)(module.key), now)
    db.session.commit()
    return cases


def build_cohort(make_cohort, instructor, course, size: int, tag: str, now) -> int:
    """A cohort of `size` learners over several communes, inserted in bulk, some of whom have studied."""
    cohort = make_cohort(name=f"Lớp {tag}", instructors=[instructor])
    user_ids = db.session.execute(insert(User).returning(User.id), [
        {"username": f"{tag}-{n:04d}", "full_name": f"Học Viên {tag} {n:04d}", "role": Role.LEARNER,
         "password_hash": instructor.password_hash, "created_at": now} for n in range(size)]).scalars().all()
    db.session.execute(insert(Enrolment), [
        {"cohort_id": cohort.id, "user_id": user_id, "commune": COMMUNES[n % len(COMMUNES)], "enrolled_at": now}
        for n, user_id in enumerate(user_ids)])
    lesson_ids = [lesson.id for lesson in course[0].module.lessons]
    db.session.execute(insert(LessonProgress), [
        {"user_id": user_id, "lesson_id": lesson_ids[n % 2], "studied_at": now - timedelta(days=n % 30)}
        for n, user_id in enumerate(user_ids[: size // 2])])
    db.session.execute(insert(GradeEntry), [
        {"user_id": user_id, "module_id": course[1].module_id, "cohort_id": cohort.id, "score": 4.0 + n % 6,
         "source": GradeSource.OVERRIDE, "reason": "Nhập điểm cũ", "actor_id": instructor.id, "created_at": now}
        for n, user_id in enumerate(user_ids[::3])])
    db.session.commit()
    for n, user_id in enumerate(user_ids[:4]):  # a few real attempts: graded ones, and one awaiting review
        play_attempt(db.session.get(User, user_id), course[n % 2], WRITTEN if n == 3 else GOOD, now)
    return cohort.id




@pytest.fixture
def cohorts(make_cohort, instructor, course, now) -> dict[int, int]:
    """{size: cohort id} for a small and a large cohort taught by the same instructor."""
    return {size: build_cohort(make_cohort, instructor, course, size, tag, now)
            for size, tag in ((SMALL, "nho"), (LARGE, "lon"))}


def read_models(cohort_id: int, now) -> tuple[int, int]:
    """Everything the gradebook and analytics pages compute; returns (learners, choice questions)."""
    rows = queries.gradebook(cohort_id)
    queries.module_rates(rows)
    queries.commune_rollup(rows)
    queries.inactive_learners(rows, 14, now)
    choices = queries.option_choices(cohort_id)
    return len(rows), len(choices)


def test_the_gradebook_and_analytics_queries_do_not_grow_with_the_cohort(cohorts, count_queries, now):
    counts = {}
    for size, cohort_id in cohorts.items():
        db.session.commit()  # start each measurement from the same, empty, session state
        with count_queries() as statements:
            learners, questions = read_models(cohort_id, now)
        assert learners == size and questions > 0
        counts[size] = statements()
    assert counts[SMALL] == counts[LARGE] <= 15, counts


def test_the_read_models_are_right_for_the_large_cohort(cohorts, now):
    rows = queries.gradebook(cohorts[LARGE], sort="progress")
    assert len(rows) == LARGE
    rollup = queries.commune_rollup(rows)
    assert [c.commune for c in rollup] == [  # Vietnamese order: Hà before Hoàn (code points put à after o)
        "Phường Ba Đình", "Phường Hà Đông", "Phường Hoàn Kiếm", "Xã Ba Vì", "Xã Sóc Sơn"]
    assert sum(c.learners for c in rollup) == LARGE
    rates = queries.module_rates(rows)
    assert [r.learners for r in rates] == [LARGE, LARGE]
    assert len(queries.inactive_learners(rows, 14, now)) < LARGE  # recent studiers are active
    assert rows[0].percent >= rows[-1].percent


def test_the_gradebook_page_of_579_learners_costs_the_same_as_of_10(cohorts, login_as, instructor, count_queries):
    client = login_as(instructor)
    counts = {}
    for size, cohort_id in cohorts.items():
        url = f"/instructor/gradebook?cohort={cohort_id}"
        client.get(url)  # warm up: anything done once per session or process is not what is measured
        with count_queries() as statements:
            response = client.get(url)
        assert response.status_code == 200
        counts[size] = statements()
        html = response.get_data(as_text=True)
        pages = (size + 49) // 50
        assert f"{size} học viên · trang 1/{pages}" in html
    assert "trang 1/12" in html
    assert counts[SMALL] == counts[LARGE], counts


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_exports_of_579_learners_cost_the_same_statements_as_of_10(cohorts, login_as, instructor, count_queries,
                                                                       fmt):
    client = login_as(instructor)
    counts = {}
    for size, cohort_id in cohorts.items():
        url = f"/instructor/gradebook/{cohort_id}/export.{fmt}"
        client.get(url)  # warm up, as for the page
        with count_queries() as statements:
            response = client.get(url)
        assert response.status_code == 200
        counts[size] = statements()
        if fmt == "csv":
            assert response.get_data(as_text=True).count("\r\n") == size + 1  # the heading and one line per learner
    assert counts[SMALL] == counts[LARGE], counts


@pytest.mark.parametrize("query", ["sort=average", "sort=progress", "status=not_started", "commune=Xã Sóc Sơn&sort=commune"])
def test_every_way_of_reading_the_gradebook_page_costs_the_same_statements_at_579_as_at_10(
        cohorts, login_as, instructor, count_queries, query):
    client = login_as(instructor)
    counts = {}
    for size, cohort_id in cohorts.items():
        url = f"/instructor/gradebook?cohort={cohort_id}&{query}"
        client.get(url)
        with count_queries() as statements:
            assert client.get(url).status_code == 200
        counts[size] = statements()
    assert counts[SMALL] == counts[LARGE], counts


@pytest.mark.parametrize(("sort", "commune", "status"), [("name", "", ""), ("commune", "", ""), ("name", "Xã Sóc Sơn", ""),
                                                         ("bogus", "", ""), ("average", "", ""),
                                                         ("name", "", "not_started")])
def test_a_gradebook_page_holds_the_same_learners_and_standing_as_that_slice_of_the_whole_gradebook(
        cohorts, sort, commune, status):
    cohort_id = cohorts[LARGE]
    whole = queries.gradebook(cohort_id, commune, status, sort)
    for page in (1, 2, 5):
        shown = queries.gradebook_page(cohort_id, page, 50, commune, status, sort)
        expected = whole[(shown.page - 1) * 50:shown.page * 50]
        assert shown.total == len(whole)
        assert [(r.enrolment.user_id, [(m.status, m.grade) for m in r.modules]) for r in shown.items] == [
            (r.enrolment.user_id, [(m.status, m.grade) for m in r.modules]) for r in expected]
        assert shown.items
