"""A cohort's schedule over HTTP and in the services: before opening, between due and close, after closing with
an attempt open, extensions, the administrator's form and the template."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from lms.cases import services as cases
from lms.database import utcnow
from lms.domain.schedule import Window
from lms.extensions import db
from lms.jobs.runner import run_periodic
from lms.models import MODULE, Attempt, AttemptAnswer, AttemptState, AuditEvent, Extension, Role, ScheduleItem
from lms.schedule.services import grant_extension, set_window
from tests.conftest import csrf_token


@pytest.fixture
def learner_user(make_user):
    return make_user(Role.LEARNER, full_name="Nguyễn Thị Lan")


@pytest.fixture
def cohort(make_cohort, learner_user):
    return make_cohort(learners=[learner_user])


@pytest.fixture
def learner(login_as, learner_user):
    return login_as(learner_user)


def schedule(cohort, case, opens=None, due=None, closes=None):
    """Set the case's chuyên đề window, relative to now (timedelta offsets)."""
    now = utcnow()
    window = Window(*(now + offset if offset is not None else None for offset in (opens, due, closes)))
    set_window(cohort, MODULE, case.module_id, window, None, now)
    db.session.commit()


def start(client, case):
    path = f"/cases/{case.slug}"
    return client.post(f"{path}/start", data={"csrf_token": csrf_token(client, path)})


def test_before_opening_a_case_is_visible_but_not_startable(learner, cohort, case):
    schedule(cohort, case, opens=timedelta(days=2), due=timedelta(days=9), closes=timedelta(days=16))
    page = learner.get(f"/cases/{case.slug}").get_data(as_text=True)
    assert "Hai hộ ở thôn Đông" in page and "Chưa mở" in page and "Bắt đầu làm bài" not in page
    response = start(learner, case)
    assert response.status_code == 302 and db.session.scalar(select(func.count()).select_from(Attempt)) == 0
    assert "chưa mở" in learner.get(response.headers["Location"]).get_data(as_text=True)


def test_between_due_and_close_a_submission_is_accepted_and_marked_late(learner, cohort, case):
    schedule(cohort, case, opens=-timedelta(days=9), due=-timedelta(days=1), closes=timedelta(days=6))
    path = start(learner, case).headers["Location"]
    token = csrf_token(learner, path)
    stage_one = {"stage": "s1", "path_length": "1", "q-q1-shown": "1", "q-q1": "a"}
    learner.post(path, data={"csrf_token": token, "action": "continue", **stage_one})
    learner.post(path, data={"csrf_token": token, "action": "submit", "stage": "s2a", "path_length": "2",
                             "q-q2-shown": "1", "q-q3-shown": "1", "q-q2-rank-a": "1", "q-q2-rank-b": "2",
                             "q-q2-rank-c": "3", "q-q3": ["a", "b"]})
    attempt = db.session.scalar(select(Attempt))
    assert attempt.state == AttemptState.GRADED and attempt.late and not attempt.timed_out


def test_on_time_is_not_late(learner, cohort, case):
    schedule(cohort, case, opens=-timedelta(days=1), due=timedelta(days=6), closes=timedelta(days=13))
    path = start(learner, case).headers["Location"]
    assert path.startswith("/attempts/")
    assert not db.session.scalar(select(Attempt)).late


def test_after_closing_an_open_attempt_is_submitted_as_it_stands_and_none_can_start(learner, cohort, case):
    schedule(cohort, case, opens=-timedelta(days=9), due=timedelta(days=1), closes=timedelta(days=2))
    path = start(learner, case).headers["Location"]
    token = csrf_token(learner, path)
    learner.post(f"{path}/autosave", data={"csrf_token": token, "stage": "s1", "path_length": "1",
                                           "q-q1-shown": "1", "q-q1": "b"})
    item = db.session.scalar(select(ScheduleItem))
    item.closes_at = item.due_at = utcnow() - timedelta(minutes=1)  # the chuyên đề closes while the learner works
    db.session.commit()
    page = learner.get(path, follow_redirects=True).get_data(as_text=True)
    assert "Chuyên đề đã đóng theo lịch của lớp. Bài đã được nộp với các câu trả lời đã lưu." in page
    attempt = db.session.scalar(select(Attempt))
    assert attempt.state != AttemptState.IN_PROGRESS and attempt.submitted_at == item.closes_at
    assert not attempt.timed_out and db.session.scalar(select(AttemptAnswer.state)) == {"choice": "b"}
    assert start(learner, case).status_code == 302 and db.session.scalar(select(func.count()).select_from(Attempt)) == 1
    assert "đã đóng" in learner.get(f"/cases/{case.slug}").get_data(as_text=True)


def test_the_workers_sweep_submits_attempts_of_a_closed_chuyen_de(app, cohort, case, learner_user):
    schedule(cohort, case, opens=-timedelta(days=9), due=timedelta(days=1), closes=timedelta(days=2))
    attempt = cases.start_attempt(learner_user, case, utcnow())
    db.session.commit()
    db.session.scalar(select(ScheduleItem)).closes_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    run_periodic(app)
    db.session.rollback()
    assert db.session.get(Attempt, attempt.id).state != AttemptState.IN_PROGRESS


def test_an_extension_lets_one_learner_start_after_closing(learner, cohort, case, learner_user, make_user, now):
    schedule(cohort, case, opens=-timedelta(days=20), due=-timedelta(days=10), closes=-timedelta(days=3))
    assert start(learner, case).status_code == 302 and db.session.scalar(select(func.count()).select_from(Attempt)) == 0
    admin = make_user(Role.ADMIN)
    grant_extension(cohort, learner_user, MODULE, case.module_id, utcnow() + timedelta(days=2),
                    utcnow() + timedelta(days=5), "Ốm, có giấy của trạm y tế xã", admin, now)
    db.session.commit()
    assert start(learner, case).headers["Location"].startswith("/attempts/")
    audit = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "schedule.extension_granted"))
    assert audit.details["reason"] == "Ốm, có giấy của trạm y tế xã"


def test_the_administrator_saves_dates_and_a_contradiction_is_refused_keeping_what_was_typed(login_as, cohort, case):
    admin = login_as(Role.ADMIN)
    path = f"/admin/cohorts/{cohort.id}/schedule/"
    token = csrf_token(admin, path)
    key = f"m{case.module_id}"
    bad = admin.post(path, data={"csrf_token": token, f"{key}-opens": "2027-03-10T07:00", f"{key}-due": "2027-03-01T23:59"})
    page = bad.get_data(as_text=True)
    assert bad.status_code == 400 and "hạn nộp trước ngày mở" in page and 'value="2027-03-10T07:00"' in page
    assert db.session.scalar(select(func.count()).select_from(ScheduleItem)) == 0
    garbage = admin.post(path, data={"csrf_token": token, f"{key}-opens": "mai"})
    assert garbage.status_code == 400 and "ngày giờ không hợp lệ" in garbage.get_data(as_text=True)
    good = admin.post(path, data={"csrf_token": token, f"{key}-opens": "2027-03-01T07:00", f"{key}-due": "2027-03-15"})
    assert good.status_code == 302
    item = db.session.scalar(select(ScheduleItem).where(ScheduleItem.module_id == case.module_id))
    assert item.opens_at.isoformat() == "2027-03-01T00:00:00+00:00"  # 07:00 in Hà Nội
    assert item.due_at.isoformat() == "2027-03-15T16:59:00+00:00" and item.closes_at is None


def test_the_template_schedules_every_chuyen_de_and_the_essay(login_as, cohort, make_case):
    first, second = make_case(), make_case(slug="tinh-huong-hai")
    admin = login_as(Role.ADMIN)
    path = f"/admin/cohorts/{cohort.id}/schedule/"
    response = admin.post(path + "template", data={"csrf_token": csrf_token(admin, path), "start": "2027-03-01",
                                                   "spacing": "7", "due_days": "14", "grace_days": "7"})
    assert response.status_code == 302
    items = {(i.kind, i.module_id): i for i in db.session.scalars(select(ScheduleItem))}
    assert len(items) == 3 and items[("essay", None)].opens_at == items[(MODULE, second.module_id)].opens_at
    gap = items[(MODULE, second.module_id)].opens_at - items[(MODULE, first.module_id)].opens_at
    assert gap == timedelta(days=7)
    again = {"csrf_token": csrf_token(admin, path), "start": "2027-04-05", "spacing": "7", "due_days": "14",
             "grace_days": "7"}
    asked = admin.post(path + "template", data=again)  # dates are set: replacing them all is confirmed first
    assert asked.status_code == 200 and "3 mục đã có ngày của lớp sẽ được thay" in asked.get_data(as_text=True)
    assert 'name="start" value="2027-04-05"' in asked.get_data(as_text=True)
    assert items[(MODULE, first.module_id)].opens_at == db.session.scalar(
        select(ScheduleItem.opens_at).where(ScheduleItem.module_id == first.module_id))  # nothing changed yet
    assert admin.post(path + "template", data={**again, "confirmed": "1"}).status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(ScheduleItem.opens_at).where(ScheduleItem.module_id == first.module_id)
                             ).isoformat().startswith("2027-04-05")
    refused = admin.post(path + "template", data={"csrf_token": csrf_token(admin, path), "start": "không biết"})
    assert refused.status_code == 400 and "không hợp lệ" in refused.get_data(as_text=True)
    far = admin.post(path + "template", data={"csrf_token": csrf_token(admin, path), "start": "9999-12-01",
                                              "spacing": "30"})
    assert far.status_code == 400 and "không hợp lệ" in far.get_data(as_text=True)  # was a 500 (date overflow)
    assert 'name="spacing" value="30"' in far.get_data(as_text=True)  # what was typed comes back


def test_an_extension_needs_a_reason_and_a_learner_of_the_cohort(login_as, cohort, case, learner_user, make_user):
    admin = login_as(Role.ADMIN)
    path = f"/admin/cohorts/{cohort.id}/schedule/"
    token = csrf_token(admin, path)
    no_reason = admin.post(path + "extensions", data={"csrf_token": token, "user_id": learner_user.id,
                                                      "item": f"m{case.module_id}", "due": "2027-04-01T23:59"})
    assert no_reason.status_code == 400 and "cần ghi lý do gia hạn" in no_reason.get_data(as_text=True)
    kept = no_reason.get_data(as_text=True)  # the choices and the date come back as typed
    assert f'<option value="{learner_user.id}" selected>' in kept and f'<option value="m{case.module_id}" selected>' in kept
    assert 'name="due" value="2027-04-01T23:59"' in kept
    no_dates = admin.post(path + "extensions", data={"csrf_token": token, "user_id": learner_user.id,
                                                     "item": f"m{case.module_id}", "reason": "Ốm"})
    assert no_dates.status_code == 400 and "chưa nhập hạn nộp mới" in no_dates.get_data(as_text=True)
    assert ">Ốm</textarea>" in no_dates.get_data(as_text=True)
    stranger = make_user(Role.LEARNER)
    other = admin.post(path + "extensions", data={"csrf_token": token, "user_id": stranger.id, "reason": "x",
                                                  "item": f"m{case.module_id}", "due": "2027-04-01T23:59"})
    assert other.status_code == 400 and "không thuộc lớp này" in other.get_data(as_text=True)
    ok = admin.post(path + "extensions", data={"csrf_token": token, "user_id": learner_user.id, "reason": "Đi công tác",
                                               "item": f"m{case.module_id}", "due": "2027-04-01T23:59"})
    assert ok.status_code == 302
    assert "Đi công tác" in admin.get(path).get_data(as_text=True)
    granted = db.session.scalar(select(Extension))
    withdraw = f"{path}extensions/{granted.id}/withdraw"
    assert withdraw in admin.get(path).get_data(as_text=True)
    assert "Bỏ gia hạn của" in admin.get(withdraw).get_data(as_text=True)  # asked first
    assert db.session.scalar(select(func.count()).select_from(Extension)) == 1
    assert admin.post(withdraw, data={"csrf_token": csrf_token(admin, withdraw)}).status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Extension)) == 0
    assert "Đi công tác" not in admin.get(path).get_data(as_text=True)


def test_a_large_cohort_types_the_learners_username_for_an_extension(login_as, cohort, case, learner_user, make_user,
                                                                     monkeypatch):
    from lms.admin import schedule_routes

    make_user(Role.LEARNER)  # not in the cohort
    monkeypatch.setattr(schedule_routes, "PICK_LIST_MAX", 0)  # as if the cohort had thousands
    admin = login_as(Role.ADMIN)
    path = f"/admin/cohorts/{cohort.id}/schedule/"
    page = admin.get(path).get_data(as_text=True)
    assert '<input name="username"' in page and '<select name="user_id">' not in page
    data = {"csrf_token": csrf_token(admin, path), "item": f"m{case.module_id}", "due": "2027-04-01T23:59",
            "reason": "Ốm"}
    unknown = admin.post(path + "extensions", data={**data, "username": "khong-co"})
    assert unknown.status_code == 400 and 'name="username" value="khong-co"' in unknown.get_data(as_text=True)
    assert admin.post(path + "extensions", data={**data, "username": learner_user.username.upper()}).status_code == 302
    assert db.session.scalar(select(Extension.user_id)) == learner_user.id

