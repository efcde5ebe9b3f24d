"""Learners' anonymous feedback in the browser: the invitation once a chuyên đề is passed, the form (on a phone, no
JavaScript), the thanks and no second response; the staff's report (figures from 5 responses, never a name), its
CSV, in a fixed number of queries; English."""
from __future__ import annotations

import csv
import io
import secrets
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from lms.domain.feedback import MIN_RESPONSES_SHOWN
from lms.extensions import db
from lms.models import Enrolment, FeedbackReceipt, FeedbackResponse, Role
from tests.conftest import csrf_token
from tests.document_helpers import pass_module


@pytest.fixture
def world(make_user, make_cohort, case, now):
    """A cohort with its instructor and a learner; the test case's chuyên đề is the whole course."""
    learner, instructor = make_user(Role.LEARNER, full_name="Lê Văn Học"), make_user(Role.INSTRUCTOR)
    cohort = make_cohort(name="Lớp Bí thư khóa 1", instructors=[instructor], learners=[learner])
    return {"learner": learner, "instructor": instructor, "cohort": cohort, "module": case.module, "case": case}


def form_url(world) -> str:
    return f"/feedback/modules/{world['module'].key}"


def send(client, url, **fields):
    """Post the questionnaire with its CSRF token."""
    return client.post(url, data={"csrf_token": csrf_token(client, url), **fields})


def counts() -> tuple[int, int]:
    return (db.session.scalar(select(func.count()).select_from(FeedbackReceipt)),
            db.session.scalar(select(func.count()).select_from(FeedbackResponse)))


def test_before_passing_there_is_no_invitation_and_the_form_is_closed(login_as, world):
    client = login_as(world["learner"])
    assert "feedback-invite" not in client.get(f"/modules/{world['module'].key}").get_data(as_text=True)
    assert "/feedback/" not in client.get("/").get_data(as_text=True)
    page = client.get(form_url(world)).get_data(as_text=True)
    assert "mở khi đồng chí đã đạt chuyên đề" in page and 'type="radio"' not in page
    refused = send(client, form_url(world), useful="5")
    assert refused.status_code == 409 and "chưa gửi được" in refused.get_data(as_text=True) and counts() == (0, 0)


def test_a_learner_who_passed_is_invited_answers_once_and_is_thanked(login_as, world, now):
    pass_module(world["learner"], world["case"], now)
    client = login_as(world["learner"])
    module_page = client.get(f"/modules/{world['module'].key}").get_data(as_text=True)
    assert f'href="{form_url(world)}"' in module_page and "feedback-invite" in module_page
    home = client.get("/").get_data(as_text=True)
    assert f'href="{form_url(world)}"' in home and 'href="/feedback/course"' in home  # the only chuyên đề: the course too
    form = client.get(form_url(world)).get_data(as_text=True)
    assert "Phiếu ẩn danh." in form and "từ 5 học viên trở lên" in form and "không sửa được" in form
    assert form.count('type="radio"') == 5 * 6 and "<script" not in form.split("<main", 1)[1].split("</main>")[0]
    assert "Rất không đồng ý" in form and "Đề xuất bổ sung, điều chỉnh" in form and 'maxlength="2000"' in form

    empty = send(client, form_url(world), suggestion="   ")
    assert empty.status_code == 400 and "Phiếu còn trống" in empty.get_data(as_text=True)
    long = send(client, form_url(world), useful="4", suggestion="Dài " + "x" * 2000)
    page = long.get_data(as_text=True)
    assert long.status_code == 400 and "vượt giới hạn 2000 ký tự" in page.replace(".", "")
    assert "Dài xxx" in page and 'name="useful" value="4" checked' in page  # nothing typed is lost
    assert counts() == (0, 0)

    sent = send(client, form_url(world), useful="4", realistic="5", workload="", suggestion="Thêm tình huống")
    assert sent.status_code == 302 and counts() == (1, 1)
    after = client.get(form_url(world)).get_data(as_text=True)
    assert "Cảm ơn đồng chí đã góp ý" in after and 'type="radio"' not in after
    again = send(client, form_url(world), useful="1")
    assert again.status_code == 409 and "đã gửi phiếu này rồi" in again.get_data(as_text=True) and counts() == (1, 1)
    assert "feedback-invite" not in client.get(f"/modules/{world['module'].key}").get_data(as_text=True)
    home = client.get("/").get_data(as_text=True)  # the kept home page is built again: the receipt changed it
    assert f'href="{form_url(world)}"' not in home and 'href="/feedback/course"' in home


def test_the_course_form_opens_when_the_cohort_has_ended(login_as, world, make_case, now):
    make_case(slug="tinh-huong-hai")  # a second chuyên đề, not passed
    client = login_as(world["learner"])
    assert 'type="radio"' not in client.get("/feedback/course").get_data(as_text=True)
    world["cohort"].ends_on = (now - timedelta(days=1)).date()
    db.session.commit()
    assert 'href="/feedback/course"' in client.get("/").get_data(as_text=True)
    assert send(client, "/feedback/course", applicable="3").status_code == 302
    assert db.session.scalars(select(FeedbackResponse.module_id)).all() == [None]


def add_responses(cohort, module, n, now, make_user):
    """n more learners of the cohort who answered about the module (rows as the service writes them)."""
    for index in range(n):
        learner = make_user(Role.LEARNER, full_name=f"Học viên Số {index}")
        db.session.add(Enrolment(cohort=cohort, user=learner, commune="Xã Đông Anh", enrolled_at=now))
        db.session.add(FeedbackReceipt(user_id=learner.id, cohort_id=cohort.id, module_id=module.id))
        db.session.add(FeedbackResponse(id=secrets.token_hex(16), cohort_id=cohort.id, module_id=module.id,
                                        answered_on=now.date(), useful=5 - index % 2, instructors=2 + index % 3,
                                        suggestion=["Bài dài quá", "Cần ví dụ", None, "Đề nghị thêm", None][index % 5]))
    db.session.commit()


def test_staff_see_the_count_only_below_the_threshold_then_the_figures_never_a_name(login_as, world, make_user, now):
    cohort, module = world["cohort"], world["module"]
    add_responses(cohort, module, MIN_RESPONSES_SHOWN - 1, now, make_user)
    teacher = login_as(world["instructor"])
    assert f'href="/cohorts/{cohort.id}/feedback"' in teacher.get(f"/instructor/cohorts/{cohort.id}").get_data(as_text=True)
    page = teacher.get(f"/cohorts/{cohort.id}/feedback").get_data(as_text=True)
    assert "4 phiếu / 5 học viên (80%)" in page and "Chưa đủ 5 phiếu để hiển thị, nhằm giữ ẩn danh." in page
    assert "Bài dài quá" not in page and "<progress" not in page
    add_responses(cohort, module, 1, now, make_user)
    page = teacher.get(f"/cohorts/{cohort.id}/feedback").get_data(as_text=True)
    assert "5 phiếu / 6 học viên (83%)" in page
    assert "4,6" in page and "2,6" in page  # useful: 5,4,5,4 then 5; instructors: 2,3,4,2 then 2
    assert page.index("Bài dài quá") < page.index("Cần ví dụ") < page.index("Đề nghị thêm")
    assert "Học viên Số" not in page and world["learner"].full_name not in page and "@" not in page

    exported = teacher.get(f"/cohorts/{cohort.id}/feedback.csv")
    assert exported.status_code == 200 and "attachment" in exported.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(exported.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:3] == ["Chuyên đề", "Số phiếu", "Số học viên của lớp"]
    course_row, *module_rows = rows[1:]
    assert course_row[1] == "0" and "Chưa đủ 5 phiếu" in course_row[3]
    useful = next(r for r in module_rows if r[3].startswith("Nội dung hữu ích"))
    assert useful[1:3] == ["5", "6"] and useful[4:] == ["5", "4,6", "0", "0", "0", "2", "3"]
    assert "Bài dài quá" not in exported.get_data(as_text=True)  # aggregates, not what anyone wrote


def test_administrators_reach_the_report_from_the_cohort_page(login_as, world):
    admin = login_as(Role.ADMIN)
    assert f'href="/cohorts/{world["cohort"].id}/feedback"' in \
        admin.get(f"/admin/cohorts/{world['cohort'].id}").get_data(as_text=True)
    assert admin.get(f"/cohorts/{world['cohort'].id}/feedback").status_code == 200


def test_the_report_page_costs_the_same_queries_for_any_cohort_size(login_as, world, make_user, make_cohort,
                                                                     count_queries, now):
    small, large = world["cohort"], make_cohort(instructors=[world["instructor"]])
    add_responses(small, world["module"], 1, now, make_user)
    add_responses(large, world["module"], 25, now, make_user)
    teacher, costs = login_as(world["instructor"]), []
    teacher.get(f"/cohorts/{small.id}/feedback")  # the worker reads the outline once
    for cohort_id in (small.id, large.id):
        for url in (f"/cohorts/{cohort_id}/feedback", f"/cohorts/{cohort_id}/feedback.csv"):
            with count_queries() as statements:
                assert teacher.get(url).status_code == 200
            costs.append(statements())
    assert costs[:2] == costs[2:], costs


def test_the_form_and_the_report_in_english(login_as, world, make_user, now):
    pass_module(world["learner"], world["case"], now)
    client = login_as(world["learner"])
    client.post("/language", data={"lang": "en", "csrf_token": csrf_token(client, "/")})
    form = client.get(form_url(world)).get_data(as_text=True)
    assert "Learner feedback form" in form and "Strongly disagree" in form and "Anonymous form." in form
    assert "The content is useful for my work as Party Secretary." in form and "Rất đồng ý" not in form
    assert "Please give your feedback" in client.get("/").get_data(as_text=True)
    assert "The form is empty" in send(client, form_url(world)).get_data(as_text=True)
    add_responses(world["cohort"], world["module"], MIN_RESPONSES_SHOWN, now, make_user)
    teacher = login_as(world["instructor"])
    teacher.post("/language", data={"lang": "en", "csrf_token": csrf_token(teacher, "/")})
    page = teacher.get(f"/cohorts/{world['cohort'].id}/feedback").get_data(as_text=True)
    assert "5 responses / 6 learners" in page and "Fewer than 5 responses" in page and "4.6" in page
    assert teacher.get(f"/cohorts/{world['cohort'].id}/feedback.csv").get_data(as_text=True).count("Responses") == 1
