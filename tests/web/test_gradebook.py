"""The gradebook over HTTP: who may see it, filters, sorting, pages, exports, overrides, progress and analytics."""
from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from flask import current_app
from openpyxl import load_workbook
from sqlalchemy import func, insert, select
from werkzeug.datastructures import MultiDict

from lms.catalog.store import new_lesson_version
from lms.catalog.urls import resolver_factory
from lms.content.schema import LessonDoc
from lms.database import utcnow
from lms.extensions import db
from lms.grades import ledger as grades
from lms.lessons import services as lessons
from lms.models import Enrolment, GradeEntry, Lesson, Role, User
from tests.conftest import csrf_token, play_attempt

NHUNG, AN, CHAU = "Nguyễn Thị Hồng Nhung", "Trần Văn An", "Lê Minh Châu"
BA_DINH, SOC_SON = "Phường Ba Đình", "Xã Sóc Sơn"
S1 = MultiDict({"q-q1": "a"})
GOOD = [S1, MultiDict([("q-q2-rank-a", "1"), ("q-q2-rank-b", "2"), ("q-q2-rank-c", "3"),
                       ("q-q3", "a"), ("q-q3", "b")])]  # 10,0
POOR = [S1, MultiDict([("q-q2-rank-a", "3"), ("q-q2-rank-b", "2"), ("q-q2-rank-c", "1"), ("q-q3", "c")])]  # 3,3
WRITTEN = [MultiDict({"q-q1": "b"}), MultiDict({"q-q4-best": "a", "q-q4-worst": "b", "q-q5-text": "Phương án..."})]


@pytest.fixture
def lesson(case, now) -> Lesson:
    """One lesson in the case's module, so a module needs a lesson studied and the case submitted."""
    lesson = Lesson(module=case.module, number=1, slug="vai-tro")
    db.session.add(lesson)
    db.session.flush()
    new_lesson_version(lesson, LessonDoc(1, "vai-tro", "Bài 1. Vai trò", "Tóm tắt", "Nội dung bài học."),
                       resolver_factory(current_app)(case.module.key), now)
    db.session.commit()
    return lesson


@pytest.fixture
def instructor(make_user):
    return make_user(Role.INSTRUCTOR, full_name="Phạm Quang Giảng")


@pytest.fixture
def learners(make_user) -> dict[str, User]:
    return {name: make_user(Role.LEARNER, full_name=name) for name in (NHUNG, AN, CHAU)}


@pytest.fixture
def cohort(make_cohort, instructor, learners):
    """Nhung in Ba Đình; An and Châu in Sóc Sơn."""
    cohort = make_cohort(instructors=[instructor], learners=[learners[NHUNG]], commune=BA_DINH)
    for name in (AN, CHAU):
        db.session.add(Enrolment(cohort=cohort, user=learners[name], commune=SOC_SON, enrolled_at=cohort.created_at))
    db.session.commit()
    return cohort


@pytest.fixture
def graded(cohort, learners, case, lesson, now):
    """Nhung studied the lesson and scored 10 (passed); An scored 3,3 without studying; Châu did nothing."""
    lessons.mark_studied(learners[NHUNG], lesson, now)
    play_attempt(learners[NHUNG], case, GOOD, now)
    play_attempt(learners[AN], case, POOR, now)
    return cohort


@pytest.fixture
def teacher(login_as, instructor):
    return login_as(instructor)




def page(client, url: str) -> str:
    """GET a page that must answer 200 and return its HTML."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


def row_names(html: str) -> list[str]:
    """The learners' names in the gradebook, in the order shown."""
    return re.findall(r'<th scope="row">(?:<a [^>]*>)?([^<]+)(?:</a>)?</th>', html)


def grade_url(cohort, user, case) -> str:
    """The instructor's page of one learner's grade in the case's module."""
    return f"/instructor/gradebook/{cohort.id}/{user.id}/{case.module.key}"


def section(html: str, heading: str) -> str:
    """The HTML of the <section> whose <h2> starts with the heading."""
    match = re.search(rf"<h2[^>]*>{re.escape(heading)}.*?</section>", html, re.S)
    assert match, heading
    return match.group(0)


def entry_count() -> int:
    """How many grade entries the ledger holds."""
    return db.session.scalar(select(func.count()).select_from(GradeEntry))


# --- who may see it --------------------------------------------------------------------------------


def test_the_cohorts_instructor_sees_names_grades_and_statuses(teacher, graded, case):
    html = page(teacher, f"/instructor/gradebook?cohort={graded.id}")
    assert set(row_names(html)) == {NHUNG, AN, CHAU}
    assert "10,0" in html and "3,3" in html
    assert "status-passed" in html and "status-in_progress" in html and "status-not_started" in html
    assert "3 học viên · trang 1/1" in html
    assert row_names(page(teacher, "/instructor/gradebook")) == row_names(html)  # their only cohort by default


@pytest.mark.parametrize("suffix", ["/gradebook?cohort={c}", "/gradebook/{c}/export.csv", "/gradebook/{c}/export.xlsx",
                                    "/gradebook/{c}/{u}/{m}", "/cohorts/{c}/analytics"])
def test_an_instructor_of_another_cohort_gets_403(login_as, make_user, make_cohort, graded, learners, case, suffix):
    stranger = make_user(Role.INSTRUCTOR)
    make_cohort(instructors=[stranger])
    client = login_as(stranger)
    url = "/instructor" + suffix.format(c=graded.id, u=learners[NHUNG].id, m=case.module.key)
    assert client.get(url).status_code == 403


def test_an_instructor_of_another_cohort_cannot_override(login_as, make_user, graded, learners, case):
    client = login_as(make_user(Role.INSTRUCTOR))
    response = client.post(grade_url(graded, learners[AN], case),
                           data={"score": "9", "reason": "Không được phép", "csrf_token": csrf_token(client, "/")})
    assert response.status_code == 403
    assert entry_count() == 2


@pytest.mark.parametrize("suffix", ["/gradebook", "/gradebook?cohort={c}", "/gradebook/{c}/export.csv",
                                    "/gradebook/{c}/{u}/{m}", "/cohorts/{c}/analytics"])
def test_a_learner_gets_403_on_every_gradebook_page(login_as, graded, learners, case, suffix):
    client = login_as(learners[AN])
    url = "/instructor" + suffix.format(c=graded.id, u=learners[NHUNG].id, m=case.module.key)
    assert client.get(url).status_code == 403


# --- filters, sorting, pages -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ({"commune": SOC_SON}, [AN, CHAU]),
        ({"commune": BA_DINH}, [NHUNG]),
        ({"status": "passed"}, [NHUNG]),
        ({"status": "in_progress"}, [AN]),
        ({"status": "not_started"}, [CHAU]),
        ({"status": "passed", "commune": SOC_SON}, []),
        ({"sort": "name"}, [AN, CHAU, NHUNG]),  # by given name, the last word
        ({"sort": "average"}, [NHUNG, AN, CHAU]),  # no grade last
        ({"sort": "commune"}, [NHUNG, AN, CHAU]),  # in Vietnamese order, then by given name as above
    ],
)
def test_filters_and_sorting(teacher, graded, query, names):
    response = teacher.get("/instructor/gradebook", query_string={"cohort": graded.id, **query})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert row_names(html) == names
    if not names:
        assert "Không có học viên phù hợp với bộ lọc." in html


def test_more_than_fifty_learners_are_paged(teacher, instructor, graded, now):
    users = db.session.execute(insert(User).returning(User.id), [
        {"username": f"hv{n:03d}", "full_name": f"Học Viên Số {n:03d}", "role": Role.LEARNER,
         "password_hash": instructor.password_hash, "created_at": now} for n in range(50)]).scalars().all()
    db.session.execute(insert(Enrolment), [{"cohort_id": graded.id, "user_id": user_id, "commune": SOC_SON,
                                            "enrolled_at": now} for user_id in users])
    db.session.commit()
    first = page(teacher, f"/instructor/gradebook?cohort={graded.id}")
    assert "53 học viên · trang 1/2" in first and len(row_names(first)) == 50
    next_link = re.search(r'<a rel="next" href="([^"]+)"', first).group(1).replace("&amp;", "&")
    assert "page=2" in next_link
    second = page(teacher, next_link)
    assert "trang 2/2" in second and len(row_names(second)) == 3
    assert 'rel="next"' not in second and 'rel="prev"' in second
    assert not set(row_names(first)) & set(row_names(second))


# --- exports ---------------------------------------------------------------------------------------


def test_csv_export_has_a_bom_and_keeps_vietnamese_names(teacher, graded, learners):
    response = teacher.get(f"/instructor/gradebook/{graded.id}/export.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert f"bang-diem-lop-{graded.id}.csv" in response.headers["Content-Disposition"]
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][0] == "Họ và tên"
    by_name = {row[0]: row for row in rows[1:]}
    assert set(by_name) == {NHUNG, AN, CHAU}
    assert by_name[NHUNG][1] == learners[NHUNG].username and by_name[NHUNG][2] == BA_DINH
    assert by_name[NHUNG][3] == "10,0" and by_name[AN][3] == "3,3"  # comma decimals for Vietnamese spreadsheets


def test_csv_export_follows_the_filters(teacher, graded):
    body = teacher.get(f"/instructor/gradebook/{graded.id}/export.csv?commune={SOC_SON}").get_data()
    names = [row[0] for row in csv.reader(io.StringIO(body.decode("utf-8-sig")))][1:]
    assert sorted(names) == sorted([AN, CHAU])


def test_xlsx_export_opens_and_holds_the_names_and_numeric_grades(teacher, graded):
    response = teacher.get(f"/instructor/gradebook/{graded.id}/export.xlsx")
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(response.get_data()), read_only=True).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    by_name = {row[0]: row for row in rows[1:]}
    assert set(by_name) == {NHUNG, AN, CHAU}
    assert by_name[NHUNG][3] == 10.0 and by_name[AN][3] == 3.3


def test_an_unknown_export_format_is_404(teacher, graded):
    assert teacher.get(f"/instructor/gradebook/{graded.id}/export.pdf").status_code == 404


# --- overrides and the history -----------------------------------------------------------------------


def test_override_with_a_comma_decimal_and_reason_is_recorded_and_shown_to_both(teacher, login_as, graded, learners,
                                                                               case, instructor):
    url = grade_url(graded, learners[AN], case)
    response = teacher.post(url, data={"score": "7,5", "reason": "Phúc khảo bài viết",
                                       "csrf_token": csrf_token(teacher, url)})
    assert response.status_code == 302 and response.headers["Location"].endswith(url)
    entry = grades.get_current_grade(learners[AN].id, case.module_id, graded.id)
    assert (entry.source, entry.score, entry.reason, entry.actor_id) == ("override", 7.5, "Phúc khảo bài viết",
                                                                         instructor.id)

    html = page(teacher, url)
    assert "Phúc khảo bài viết" in html and "Phạm Quang Giảng" in html and "7,5" in html
    assert "Giảng viên điều chỉnh" in html and "Tính từ bài làm" in html  # the old computed entry stays
    assert "7,5*" in page(teacher, f"/instructor/gradebook?cohort={graded.id}")

    own = login_as(learners[AN])
    history = page(own, f"/progress/{case.module.key}")
    assert "Phúc khảo bài viết" in history and "Phạm Quang Giảng" in history and "7,5" in history
    assert "3,3" in history
    assert own.get(url).status_code == 403

    other = login_as(learners[NHUNG])
    theirs = page(other, f"/progress/{case.module.key}")
    assert "Phúc khảo bài viết" not in theirs and "7,5" not in theirs


def test_the_grade_page_shows_the_status_and_the_attempts_behind_the_grade(teacher, login_as, graded, learners, case,
                                                                          now):
    play_attempt(learners[AN], case, GOOD, now)  # a second attempt: 10,0, the best one counts
    own = page(login_as(learners[AN]), f"/progress/{case.module.key}")
    standing = re.search(r'<section class="card standing">.*?</section>', own, re.S).group(0)
    assert "Đang học" in standing and "Đã học 0/1 bài; đã nộp 1/1 tình huống bắt buộc." in standing
    assert "Lần có điểm cao nhất được tính." in standing
    rows = re.findall(r"<td[^>]*>(\d)</td><td[^>]*>[^<]*</td>\s*<td[^>]*>([^<]*)</td>\s*<td[^>]*>([^<]*)</td>",
                      standing)
    assert rows == [("1", "3,3", "—"), ("2", "10,0", "Có")]
    # an override settles the status, and the page says so before it is recorded
    url = grade_url(graded, learners[AN], case)
    assert "dù học viên còn bài chưa làm" in page(teacher, url)
    teacher.post(url, data={"score": "6", "reason": "Đã học trực tiếp tại lớp", "csrf_token": csrf_token(teacher, url)})
    after = page(login_as(learners[AN]), f"/progress/{case.module.key}")
    assert "status-passed" in after and "quyết định cả trạng thái" in after
    assert "Đạt" in page(login_as(learners[AN]), "/progress")


@pytest.mark.parametrize(("typed", "recorded"), [("0", 0.0), ("10", 10.0), ("7,25", 7.3), (" 6.5 ", 6.5)])
def test_the_override_form_reads_the_whole_scale(teacher, graded, learners, case, typed, recorded):
    url = grade_url(graded, learners[AN], case)
    response = teacher.post(url, data={"score": typed, "reason": "Phúc khảo", "csrf_token": csrf_token(teacher, url)})
    assert response.status_code == 302
    assert grades.get_current_grade(learners[AN].id, case.module_id, graded.id).score == recorded


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"score": "7,5", "reason": ""}, "Phải ghi lý do điều chỉnh."),
        ({"score": "7,5", "reason": "   "}, "Phải ghi lý do điều chỉnh."),
        ({"score": "", "reason": "Phúc khảo"}, "Nhập điểm từ 0 đến 10."),
        ({"score": "10,5", "reason": "Phúc khảo"}, "Điểm phải từ 0 đến 10."),
        ({"score": "-1", "reason": "Phúc khảo"}, "Điểm phải từ 0 đến 10."),
    ],
)
def test_an_invalid_override_shows_an_error_and_records_nothing(teacher, graded, learners, case, form, message):
    url = grade_url(graded, learners[AN], case)
    response = teacher.post(url, data={**form, "csrf_token": csrf_token(teacher, url)})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert entry_count() == 2


@pytest.mark.parametrize("typed", ["abc", "sNaN", "NaN", "-Infinity", "7,5,1"])
def test_what_is_not_a_number_is_said_once_and_records_nothing(teacher, graded, learners, case, typed):
    url = grade_url(graded, learners[AN], case)
    response = teacher.post(url, data={"score": typed, "reason": "Phúc khảo", "csrf_token": csrf_token(teacher, url)})
    html = response.get_data(as_text=True)
    assert response.status_code == 400  # sNaN was a 500
    assert html.count("Không phải là một số.") == 1 and "Điểm phải từ 0 đến 10." not in html
    assert "Not a valid" not in html  # WTForms' own English message, in the Vietnamese interface
    assert entry_count() == 2


def test_clearing_an_override_returns_to_the_computed_grade(teacher, graded, learners, case):
    url = grade_url(graded, learners[AN], case)
    teacher.post(url, data={"score": "8", "reason": "Phúc khảo", "csrf_token": csrf_token(teacher, url)})
    token = csrf_token(teacher, url)
    response = teacher.post(url, data={"clear-reason": "Nhầm học viên", "clear-csrf_token": token,
                                       "csrf_token": token})
    assert response.status_code == 302
    entry = grades.get_current_grade(learners[AN].id, case.module_id, graded.id)
    assert (entry.source, entry.score) == ("computed", 3.3)
    assert "Nhầm học viên" in page(teacher, url)


def test_the_grade_page_of_a_learner_outside_the_cohort_is_404(teacher, graded, make_user, case):
    outsider = make_user(Role.LEARNER)
    assert teacher.get(grade_url(graded, outsider, case)).status_code == 404
    assert teacher.get(f"/instructor/gradebook/{graded.id}/{outsider.id}/99-khong-co").status_code == 404


# --- the learner's own progress --------------------------------------------------------------------


def module_row(html: str, case) -> str:
    """The dashboard's table row of the case's module."""
    match = re.search(rf'<tr>\s*<td><a href="/modules/{case.module.key}">.*?</tr>', html, re.S)
    assert match
    return match.group(0)


def test_progress_changes_as_the_learner_studies_and_submits(login_as, cohort, learners, case, lesson):
    client = login_as(learners[NHUNG])
    row = module_row(page(client, "/progress"), case)
    assert "status-not_started" in row and "0/2" in row and "—" in row

    lesson_url = f"/modules/{case.module.key}/lessons/{lesson.key}"
    assert client.post(f"{lesson_url}/studied", data={"csrf_token": csrf_token(client, lesson_url)}).status_code == 302
    html = page(client, "/progress")
    row = module_row(html, case)
    assert "status-in_progress" in row and "1/2" in row
    assert '<p class="big-score">50%' in html

    start = client.post(f"/cases/{case.slug}/start", data={"csrf_token": csrf_token(client, f"/cases/{case.slug}")})
    path = start.headers["Location"]
    client.post(path, data={"action": "continue", "q-q1": "a", "csrf_token": csrf_token(client, path)})
    submit = client.post(path, data={"action": "submit", "q-q2-rank-a": "1", "q-q2-rank-b": "2", "q-q2-rank-c": "3",
                                     "q-q3": ["a", "b"], "csrf_token": csrf_token(client, path)})
    assert submit.status_code == 302
    html = page(client, "/progress")
    row = module_row(html, case)
    assert "status-passed" in row and "2/2" in row and "10,0" in row and "Xuất sắc" in row
    assert '<p class="big-score">100%' in html
    assert "Tính từ bài làm" in page(client, f"/progress/{case.module.key}")


def test_progress_pages_are_for_learners_only(teacher, case):
    assert teacher.get("/progress").status_code == 403
    assert teacher.get(f"/progress/{case.module.key}").status_code == 403


# --- analytics -------------------------------------------------------------------------------------


def test_analytics_shows_rates_inactive_learners_choices_and_communes(teacher, cohort, learners, case, lesson):
    moment = utcnow() - timedelta(hours=1)  # inactivity is measured against the real clock
    lessons.mark_studied(learners[NHUNG], lesson, moment)
    play_attempt(learners[NHUNG], case, GOOD, moment)
    play_attempt(learners[AN], case, WRITTEN, moment)  # awaits review: submitted, not graded

    html = page(teacher, f"/instructor/cohorts/{cohort.id}/analytics")
    assert "3 học viên" in html

    rates = section(html, "Tỷ lệ hoàn thành")
    assert f"{case.module.number}. {case.module.title}" in rates
    assert re.search(r"</progress> 33%</td>\s*<td>33% \(1\)</td>", rates)

    idle = section(html, "Học viên không hoạt động")
    assert CHAU in idle and "Chưa học lần nào" in idle
    assert NHUNG not in idle and AN not in idle

    choices = section(html, "Lựa chọn của lớp")
    assert re.search(r"Chỉ đạo hòa giải đúng quy định — <strong>1</strong> người .*?chuyên gia: 4/4", choices)
    assert re.search(r"Tự quyết định ai đúng — <strong>1</strong> người .*?chuyên gia: 1/4", choices)
    assert re.search(r"Để sau — <strong>0</strong> người .*?chuyên gia: 2/4", choices)
    assert re.search(r"Mời hai bên đối thoại — <strong>1</strong> người", choices)  # best of best/worst

    communes = section(html, "Tổng hợp theo xã")
    assert re.search(rf"<td>{BA_DINH}</td><td>1</td><td>100%</td><td>1</td>", communes)
    assert re.search(rf"<td>{SOC_SON}</td><td>2</td><td>25%</td><td>0</td>", communes)  # 50% and 0%
    # the choices by commune: Nhung (Ba Đình) chose option 1 at the first stage, Ân (Sóc Sơn) option 2
    assert re.search(rf"<th scope=\"row\">{BA_DINH}</th><td>1</td><td>0</td><td>0</td>", choices)
    assert re.search(rf"<th scope=\"row\">{SOC_SON}</th><td>0</td><td>1</td><td>0</td>", choices)


def test_analytics_filters_by_chuyen_de_case_and_commune_and_pages_the_questions(teacher, cohort, learners, case,
                                                                                 make_case, now):
    other = make_case(slug="tinh-huong-khac")
    play_attempt(learners[NHUNG], case, GOOD, now)
    play_attempt(learners[AN], other, POOR, now)
    url = f"/instructor/cohorts/{cohort.id}/analytics"
    everything = section(page(teacher, url), "Lựa chọn của lớp")
    assert everything.count('<div class="card') == 2  # the first question of each case (both paths: no choice after)
    one = section(page(teacher, f"{url}?module={case.module.number}"), "Lựa chọn của lớp")
    assert one.count('<div class="card') == 1 and "Chỉ đạo hòa giải đúng quy định — <strong>1</strong>" in one
    rates = section(page(teacher, f"{url}?module={other.module.number}"), "Tỷ lệ hoàn thành")
    assert f"{other.module.number}. " in rates and f"{case.module.number}. {case.module.title}" not in rates
    soc_son = page(teacher, f"{url}?commune={SOC_SON}")
    assert "2 học viên" in soc_son and section(soc_son, "Lựa chọn của lớp").count('<div class="card') == 1
    by_case = section(page(teacher, f"{url}?module={other.module.number}&case={other.id}"), "Lựa chọn của lớp")
    assert by_case.count('<div class="card') == 1
    nothing = section(page(teacher, f"{url}?module={case.module.number}&case={other.id}"), "Lựa chọn của lớp")
    assert "Chưa có bài làm nào được nộp." in nothing
    from lms.grades import routes
    routes.CHOICES_PER_PAGE, saved = 1, routes.CHOICES_PER_PAGE
    try:
        paged = page(teacher, url)
        assert "Trang 1 / 2" in paged and section(paged, "Lựa chọn của lớp").count('<div class="card') == 1
        second = page(teacher, f"{url}?page=2")
        assert "Trang 2 / 2" in second and 'rel="prev"' in second and "#choices" in second
    finally:
        routes.CHOICES_PER_PAGE = saved


def test_export_never_writes_a_formula(app, now):
    from types import SimpleNamespace

    from lms.grades.exports import gradebook_csv

    user = SimpleNamespace(full_name="=HYPERLINK(\"http://x\")", username="hv")
    row = SimpleNamespace(enrolment=SimpleNamespace(user=user, commune="@xa"), modules=[], average=None, percent=0)
    with app.test_request_context():
        text = gradebook_csv([row], []).decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "'@xa" in text


def test_gradebook_sorts_by_given_name_ignoring_diacritics(make_user, make_cohort):
    from lms.grades.queries import gradebook

    learners = [make_user(Role.LEARNER, full_name=name) for name in ("Trần Văn Yến", "Lê Thị Ánh", "Phạm Đức Bình")]
    cohort = make_cohort(learners=learners)
    assert [r.enrolment.user.full_name for r in gradebook(cohort.id)] == ["Lê Thị Ánh", "Phạm Đức Bình", "Trần Văn Yến"]


def test_regrade_is_for_the_modules_authors_and_administrators(login_as, instructor, graded, case, now):
    """Regrading rewrites grades in every cohort: the cohort's own instructor may not unless they author the module."""
    url = f"/instructor/cases/{case.slug}/regrade"
    teacher = login_as(instructor)
    assert teacher.get(url).status_code == 403
    make_module_author(case, instructor, now)
    assert teacher.get(url).status_code == 200
    page = login_as("admin").get(url)
    assert page.status_code == 200 and "Chấm lại 2 bài đã nộp" in page.get_data(as_text=True)  # how many, said first


def make_module_author(case, instructor, now):
    """Assign the instructor as an author of the case's module."""
    from lms.admin.services import assign_module_author

    assign_module_author(case.module, instructor, None, now)
    db.session.commit()
