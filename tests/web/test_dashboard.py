"""The learner's home page: continue in one tap (the open attempt, or the next lesson from where they worked),
what is due in 7 days, recent grades, announcements, and a clear start for a new learner."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import update

from lms.cases.services import start_attempt
from lms.database import utcnow
from lms.domain.schedule import Window
from lms.extensions import db
from lms.grades.ledger import override_grade
from lms.models import MODULE, Announcement, Enrolment, LessonProgress, Role
from lms.schedule.services import set_window
from tests.conftest import EXPERT_PATH, play_attempt
from tests.services.conftest import add_lesson


@pytest.fixture
def lan(make_user):
    return make_user(Role.LEARNER, full_name="Nguyễn Thị Lan")


@pytest.fixture
def course(make_case, now):
    """Two chuyên đề, each with a case and two lessons."""
    first, second = make_case(), make_case(slug="tinh-huong-hai")
    lessons = {(m, n): add_lesson(case.module, now, number=n, slug=f"bai-{n}")
               for m, case in ((1, first), (2, second)) for n in (1, 2)}
    return {"cases": (first, second), "lessons": lessons}


def test_a_new_learner_is_welcomed_and_starts_at_the_first_lesson(login_as, lan, course, make_cohort):
    make_cohort(learners=[lan])
    page = login_as(lan).get("/").get_data(as_text=True)
    first = course["lessons"][(1, 1)]
    assert "Chào mừng đồng chí" in page and "Bắt đầu học" in page
    assert f'/modules/{first.module.key}/lessons/{first.key}"' in page
    assert "Không có hạn nộp nào trong 7 ngày tới." in page and "Chưa có điểm." in page


def test_continue_goes_to_the_next_lesson_where_the_learner_last_worked(login_as, lan, course, now):
    for key in ((1, 1), (2, 1)):
        db.session.add(LessonProgress(user_id=lan.id, lesson_id=course["lessons"][key].id,
                                      studied_at=now + timedelta(hours=key[0])))
    db.session.commit()  # the latest work was in chuyên đề 2
    page = login_as(lan).get("/").get_data(as_text=True)
    expected = course["lessons"][(2, 2)]
    assert "Học tiếp" in page and f"/modules/{expected.module.key}/lessons/{expected.key}" in page
    assert "Chào mừng" not in page


def test_home_and_progress_send_the_learner_to_the_same_next_step_a_case_included(
        login_as, lan, course, make_cohort, now):
    """Every lesson of chuyên đề 1 studied, its case not handed in: both pages lead to that case (the home page led to
    the next lesson of another chuyên đề, the progress page to chuyên đề 1)."""
    make_cohort(learners=[lan])
    for key in ((1, 1), (1, 2)):
        db.session.add(LessonProgress(user_id=lan.id, lesson_id=course["lessons"][key].id, studied_at=now))
    db.session.commit()
    client = login_as(lan)
    case = course["cases"][0]
    home, progress = client.get("/").get_data(as_text=True), client.get("/progress").get_data(as_text=True)
    assert f'href="/cases/{case.slug}"' in home and "Làm tình huống" in home
    assert f'href="/cases/{case.slug}"' in progress and "Học tiếp: Chuyên đề" in progress
    play_attempt(lan, case, EXPERT_PATH, utcnow())
    home, progress = client.get("/").get_data(as_text=True), client.get("/progress").get_data(as_text=True)
    following = course["lessons"][(2, 1)]  # then the next chuyên đề's first lesson, on both
    url = f"/modules/{following.module.key}/lessons/{following.key}"
    assert url in home[home.index('class="card continue"'):] and url in progress


def test_an_open_attempt_is_one_tap_away(login_as, lan, course, make_cohort):
    make_cohort(learners=[lan])
    attempt = start_attempt(lan, course["cases"][1], utcnow())
    db.session.commit()
    page = login_as(lan).get("/").get_data(as_text=True)
    assert "Đồng chí đang làm dở tình huống" in page and f"/attempts/{attempt.id}#stage" in page


def test_due_soon_recent_grades_and_announcements(login_as, lan, course, make_cohort, make_user, now):
    cohort = make_cohort(learners=[lan])
    first, second = course["cases"]
    at = utcnow()
    set_window(cohort, MODULE, first.module_id, Window(at - timedelta(days=7), at + timedelta(days=3),
                                                       at + timedelta(days=10)), None, at)
    set_window(cohort, MODULE, second.module_id, Window(at, at + timedelta(days=20), None), None, at)
    override_grade(lan, second.module, cohort.id, 8.5, "Phúc khảo", make_user(Role.INSTRUCTOR), now)
    db.session.add(Announcement(cohort_id=cohort.id, title="Lịch thi cuối khóa", body_md="x",
                                body_html="<p>Thi ngày 20/12.</p>", created_at=now))
    db.session.commit()
    page = login_as(lan).get("/").get_data(as_text=True)
    due = page[page.index("Sắp đến hạn"):page.index("Xem lịch học")]
    assert first.module.title in due and second.module.title not in due  # only what is due within 7 days
    assert "8,5" in page and "Lịch thi cuối khóa" in page and "Thi ngày 20/12." in page


def test_what_the_learner_has_handed_in_is_not_due_and_what_is_late_is_said(login_as, lan, course, make_cohort, now):
    cohort = make_cohort(learners=[lan])
    first, second = course["cases"]
    at = utcnow()  # the first is due in three days but handed in; the second was due yesterday, not handed in
    set_window(cohort, MODULE, first.module_id, Window(at - timedelta(days=7), at + timedelta(days=3), None), None, at)
    set_window(cohort, MODULE, second.module_id, Window(at - timedelta(days=9), at - timedelta(days=1),
                                                        at + timedelta(days=9)), None, at)
    play_attempt(lan, first, EXPERT_PATH, at)
    client = login_as(lan)
    page = client.get("/").get_data(as_text=True)
    assert "Không có hạn nộp nào trong 7 ngày tới." in page  # the passed chuyên đề was listed as due
    late = page[page.index("Quá hạn nộp"):page.index("Sắp đến hạn")]
    assert second.module.title in late and first.module.title not in late and "nộp muộn" in late
    case_page = client.get(f"/cases/{second.slug}").get_data(as_text=True)
    assert "Quá hạn nộp (vẫn nhận, ghi là nộp muộn)" in case_page  # not handed in: late, still accepted
    play_attempt(lan, second, EXPERT_PATH, utcnow())
    case_page = client.get(f"/cases/{second.slug}").get_data(as_text=True)
    assert "Đồng chí đã nộp bài" in case_page and "Quá hạn nộp (vẫn nhận" not in case_page
    assert "Quá hạn nộp" not in client.get("/").get_data(as_text=True)


def test_staff_keep_their_starting_points(login_as):
    page = login_as(Role.INSTRUCTOR).get("/").get_data(as_text=True)
    assert "Bài chờ chấm" in page and "Làm tiếp" not in page


def test_the_instructor_sees_what_needs_attention(login_as, make_user, make_cohort, course, now):
    teacher = make_user(Role.INSTRUCTOR)
    idle, busy = make_user(Role.LEARNER, full_name="Lê Văn Chậm"), make_user(Role.LEARNER, full_name="Phạm Thị Chăm")
    cohort = make_cohort(instructors=[teacher], learners=[idle, busy])
    db.session.add(LessonProgress(user_id=busy.id, lesson_id=course["lessons"][(1, 1)].id, studied_at=utcnow()))
    at = utcnow()
    set_window(cohort, MODULE, course["cases"][0].module_id, Window(at - timedelta(days=20), at - timedelta(days=1),
                                                                    at + timedelta(days=2)), None, at)
    db.session.commit()
    page = login_as(teacher).get("/instructor/").get_data(as_text=True)
    behind = page[page.index("Học viên chậm tiến độ"):page.index("Sắp đến hạn nộp hoặc sắp đóng")]
    assert "Lê Văn Chậm" in behind and "Phạm Thị Chăm" not in behind and "chưa bắt đầu" in behind
    soon = page[page.index("Sắp đến hạn nộp hoặc sắp đóng"):]
    assert "Không có bài nào chờ chấm." in page and course["cases"][0].module.title in soon and "Đóng " in soon


def test_a_chuyen_de_due_this_week_is_listed_by_its_due_date(login_as, make_user, make_cohort, course):
    teacher = make_user(Role.INSTRUCTOR)
    cohort = make_cohort(instructors=[teacher])
    at = utcnow()  # due in three days, closing in two months: the learners are reminded of the due date
    set_window(cohort, MODULE, course["cases"][0].module_id, Window(at - timedelta(days=10), at + timedelta(days=3),
                                                                    at + timedelta(days=60)), None, at)
    db.session.commit()
    page = login_as(teacher).get("/instructor/").get_data(as_text=True)
    soon = page[page.index("Sắp đến hạn nộp hoặc sắp đóng"):]
    assert course["cases"][0].module.title in soon and "Hạn nộp " in soon


def test_a_learner_enrolled_this_week_is_not_behind_on_the_dashboard_or_the_list(
        login_as, make_user, make_cohort, course, now):
    """The dashboard's count and the ?idle= list it links to read the same rule (the count said 27, the list 0)."""
    teacher = make_user(Role.INSTRUCTOR)
    newcomer = make_user(Role.LEARNER, full_name="Ngô Văn Mới")
    earlier = make_cohort(learners=[newcomer])  # studied there ten days ago
    db.session.add(LessonProgress(user_id=newcomer.id, lesson_id=course["lessons"][(1, 1)].id,
                                  studied_at=utcnow() - timedelta(days=10)))
    cohort = make_cohort(instructors=[teacher], learners=[newcomer])
    db.session.execute(update(Enrolment).where(Enrolment.cohort_id == cohort.id).values(
        enrolled_at=utcnow() - timedelta(days=2)))
    db.session.commit()
    client = login_as(teacher)
    page = client.get("/instructor/").get_data(as_text=True)
    assert "Ngô Văn Mới" not in page[page.index("Học viên chậm tiến độ"):page.index("Sắp đến hạn nộp")]
    assert "Ngô Văn Mới" not in client.get(f"/instructor/cohorts/{cohort.id}?idle=7").get_data(as_text=True)
    assert earlier.id != cohort.id


def test_the_idle_filter_lists_only_learners_without_recent_activity(login_as, make_user, make_cohort, course):
    teacher = make_user(Role.INSTRUCTOR)
    idle, busy = make_user(Role.LEARNER, full_name="Lê Văn Chậm"), make_user(Role.LEARNER, full_name="Phạm Thị Chăm")
    cohort = make_cohort(instructors=[teacher], learners=[idle, busy])
    db.session.add(LessonProgress(user_id=busy.id, lesson_id=course["lessons"][(1, 1)].id, studied_at=utcnow()))
    db.session.commit()
    client = login_as(teacher)
    assert f"/instructor/cohorts/{cohort.id}?idle=7" in client.get("/instructor/").get_data(as_text=True)
    page = client.get(f"/instructor/cohorts/{cohort.id}?idle=7").get_data(as_text=True)
    assert "Lê Văn Chậm" in page and "Phạm Thị Chăm" not in page and "trong 7 ngày qua" in page
    everyone = client.get(f"/instructor/cohorts/{cohort.id}").get_data(as_text=True)
    assert "Lê Văn Chậm" in everyone and "Phạm Thị Chăm" in everyone
    # each learner's progress, chuyên đề passed and last activity beside their name (one lesson of eight: 12%)
    assert "<th scope=\"col\">Hoạt động gần nhất</th>" in everyone
    chăm = everyone[everyone.index("Phạm Thị Chăm"):]
    assert re.search(r"<td>\d+%</td><td>0</td><td>\d\d/\d\d/\d{4}", chăm)
    assert "<td>0%</td><td>0</td><td>chưa bắt đầu</td>" in everyone[everyone.index("Lê Văn Chậm"):]
