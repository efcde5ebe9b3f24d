"""Administrators correct a cohort's name and dates; cohorts that have ended fold away on the dashboard."""
from __future__ import annotations

import unicodedata
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from lms.extensions import db
from lms.models import AuditEvent, Cohort, Role
from tests.conftest import csrf_token


@pytest.fixture
def admin(login_as):
    return login_as(Role.ADMIN)


def edit(client, cohort, **fields):
    path = f"/admin/cohorts/{cohort.id}/edit"
    return client.post(path, data={"csrf_token": csrf_token(client, path), **fields})


def test_the_edit_form_starts_from_the_cohorts_values_and_saves_a_correction_with_an_audit_entry(admin, make_cohort):
    cohort = make_cohort(name="Lớp Bí thư khóa 2026 (sai)")
    page = admin.get(f"/admin/cohorts/{cohort.id}/edit").get_data(as_text=True)
    assert 'value="Lớp Bí thư khóa 2026 (sai)"' in page
    response = edit(admin, cohort, name="Lớp Bí thư khóa 2026", starts_on="2026-09-07", ends_on="2026-12-20")
    assert response.status_code == 302
    db.session.expire_all()
    saved = db.session.get(Cohort, cohort.id)
    assert (saved.name, saved.starts_on, saved.ends_on) == ("Lớp Bí thư khóa 2026", date(2026, 9, 7),
                                                            date(2026, 12, 20))
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "cohort.updated"))
    assert event.details["name"] == {"from": "Lớp Bí thư khóa 2026 (sai)", "to": "Lớp Bí thư khóa 2026"}
    assert event.details["starts_on"] == {"from": None, "to": "2026-09-07"}
    log = admin.get("/admin/audit-log/").get_data(as_text=True)
    assert "name: Lớp Bí thư khóa 2026 (sai) → Lớp Bí thư khóa 2026" in log  # one change, read as one


def test_a_one_day_cohort_ends_the_day_it_starts(admin, make_cohort):
    cohort = make_cohort(name="Lớp một ngày")
    assert edit(admin, cohort, name="Lớp một ngày", starts_on="2026-09-07", ends_on="2026-09-07").status_code == 302


def test_saving_without_a_change_records_nothing(admin, make_cohort):
    cohort = make_cohort(name="Lớp A")
    response = edit(admin, cohort, name="Lớp A")
    assert response.status_code == 302
    assert "Không có gì thay đổi." in admin.get(response.headers["Location"]).get_data(as_text=True)
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "cohort.updated")) is None


@pytest.mark.parametrize("fields, message", [
    ({"name": "Lớp B"}, "Đã có lớp mang tên này."),
    ({"name": "Lớp A", "starts_on": "2026-09-07", "ends_on": "2026-01-01"},
     "Ngày kết thúc không được trước ngày khai giảng."),
    ({"name": "Lớp A", "starts_on": "0026-09-07"}, "Năm phải từ 2000 đến 2100."),
    ({"name": "lớp b"}, "Đã có lớp mang tên này."),  # another's name in other letter case
    ({"name": unicodedata.normalize("NFD", "Lớp B")}, "Đã có lớp mang tên này."),  # or decomposed accents
    ({"name": "Lớp A", "starts_on": "07/09/2026"}, "Ngày khai giảng"),
    ({"name": ""}, "Tên lớp"),
])
def test_a_refused_correction_keeps_what_was_typed_and_changes_nothing(admin, make_cohort, fields, message):
    cohort = make_cohort(name="Lớp A")
    make_cohort(name="Lớp B")
    response = edit(admin, cohort, **fields)
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and message in html
    if fields.get("starts_on"):
        assert fields["starts_on"] in html
    db.session.expire_all()
    assert db.session.get(Cohort, cohort.id).name == "Lớp A"


def test_a_second_cohort_with_a_taken_name_is_refused_in_the_form(admin, make_cohort):
    make_cohort(name="Lớp A")
    response = admin.post("/admin/cohorts/new", data={"csrf_token": csrf_token(admin, "/admin/cohorts/new"),
                                                       "name": " Lớp A "})
    assert response.status_code == 400 and "Đã có lớp mang tên này." in response.get_data(as_text=True)


def test_with_a_schedule_the_form_says_dates_do_not_move_it(admin, make_cohort, case, now):
    from lms.models import MODULE, ScheduleItem

    cohort = make_cohort(name="Lớp A")
    assert "không dời lịch học" not in admin.get(f"/admin/cohorts/{cohort.id}/edit").get_data(as_text=True)
    db.session.add(ScheduleItem(cohort_id=cohort.id, kind=MODULE, module_id=case.module_id, updated_at=now,
                                due_at=now + timedelta(days=7)))
    db.session.commit()
    assert "không dời lịch học" in admin.get(f"/admin/cohorts/{cohort.id}/edit").get_data(as_text=True)


def test_cohorts_that_have_ended_are_folded_below_the_running_ones(admin, make_cohort, now):
    running, ended = make_cohort(name="Lớp đang học"), make_cohort(name="Lớp đã xong")
    ended.ends_on = (now - timedelta(days=30)).date()
    running.ends_on = (now + timedelta(days=30)).date()
    db.session.commit()
    html = admin.get("/admin/").get_data(as_text=True)
    folded = html[html.index('id="ended-cohorts"'):]
    assert "Lớp đã xong" in folded and "Lớp đang học" not in folded
    assert "1 lớp đã kết thúc" in folded


def test_the_cli_refuses_a_taken_cohort_name(app, make_cohort):
    from lms.cli import create_cohort

    make_cohort(name="Lớp A")
    result = app.test_cli_runner().invoke(create_cohort, ["Lớp A"])
    assert result.exit_code != 0 and "already exists" in result.output


def test_the_instructor_menu_leaves_out_those_already_assigned(admin, make_cohort, make_user):
    assigned = make_user(Role.INSTRUCTOR, username="gv-da-day")
    free = make_user(Role.INSTRUCTOR, username="gv-con-trong")
    cohort = make_cohort(name="Lớp A", instructors=[assigned])
    html = admin.get(f"/admin/cohorts/{cohort.id}").get_data(as_text=True)
    menu = html[html.index('name="instructor_id"'):]
    menu = menu[:menu.index("</select>")]
    assert f'value="{free.id}"' in menu and f'value="{assigned.id}"' not in menu
