"""The learner's calendar over HTTP: the weeks in local time, the month grid, the empty states, and the private
iCalendar feed (its secret address, what it holds, extensions, replacing the address)."""
from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import select

from lms.domain.schedule import Window
from lms.extensions import db
from lms.models import ESSAY, MODULE, AuditEvent, Enrolment, Role, User
from lms.schedule.services import grant_extension, set_window
from tests.conftest import csrf_token

OPENS = datetime(2026, 12, 1, 0, 0, tzinfo=UTC)  # 07:00 on Tuesday 01/12 in Hà Nội
DUE = datetime(2026, 12, 13, 17, 30, tzinfo=UTC)  # Sunday in UTC, but 00:30 on Monday 14/12 in Hà Nội
CLOSES = datetime(2026, 12, 20, 16, 59, tzinfo=UTC)  # 23:59 on Sunday 20/12 in Hà Nội


@pytest.fixture(autouse=True)
def frozen(monkeypatch, now):
    """The pages and the feed see the suite's frozen 'now' (26/11/2026, before the schedule below)."""
    monkeypatch.setattr("lms.calendar.routes.utcnow", lambda: now)


@pytest.fixture
def learner_user(make_user):
    return make_user(Role.LEARNER, full_name="Nguyễn Thị Lan")


@pytest.fixture
def cohort(make_cohort, learner_user):
    return make_cohort(name="Lớp Bí thư khóa I", learners=[learner_user])


@pytest.fixture
def learner(login_as, learner_user):
    return login_as(learner_user)


@pytest.fixture
def scheduled(cohort, case, now):
    """The case's chuyên đề: opens 01/12, due 14/12 00:30, closes 20/12 (local); the essay due in January."""
    set_window(cohort, MODULE, case.module_id, Window(OPENS, DUE, CLOSES), None, now)
    set_window(cohort, ESSAY, None, Window(OPENS, datetime(2027, 1, 10, 16, 59, tzinfo=UTC), None), None, now)
    db.session.commit()
    return case.module


def week_section(page: str, heading: str) -> str:
    """The HTML of the week with this heading, up to the next week."""
    start = page.index(heading)
    following = page.find("<h3", start)
    return page[start:following if following != -1 else len(page)]


def give_token(client) -> str:
    """Create the feed address through the page's button; the new secret."""
    response = client.post("/calendar/feed", data={"csrf_token": csrf_token(client, "/calendar")})
    assert response.status_code == 302 and response.headers["Location"] == "/calendar"
    return db.session.get(User, client.user.id).calendar_token


def fetch_feed(app, token: str):
    """The feed as a phone calendar fetches it: no session."""
    return app.test_client().get(f"/calendar/{token}.ics")


def events(response) -> dict[str, object]:
    """The feed's events by UID."""
    calendar = Calendar.from_ical(response.data)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def test_the_page_lists_a_due_date_in_its_local_week_with_the_module_title(learner, scheduled):
    page = learner.get("/calendar").get_data(as_text=True)
    week = week_section(page, "Tuần 14/12 – 20/12/2026")
    assert "Hạn nộp" in week and f"Chuyên đề {scheduled.number}: {scheduled.title}" in week
    assert "Thứ 2 14/12, 00:30" in week and f'href="/modules/{scheduled.key}"' in week
    assert "Đóng" in week  # the close is the same week, Sunday 23:59
    assert "Hạn nộp" not in week_section(page, "Tuần 30/11 – 06/12/2026")  # in UTC it would have been Sunday 13/12
    assert "Bài thu hoạch cuối khóa" in week_section(page, "Tuần 04/01 – 10/01/2027")
    assert "Tạo đường dẫn lịch" in page


def test_late_and_closed_items_carry_a_badge(learner, scheduled, monkeypatch):
    monkeypatch.setattr("lms.calendar.routes.utcnow", lambda: DUE + timedelta(days=1))
    page = learner.get("/calendar").get_data(as_text=True)
    assert "Quá hạn nộp" in week_section(page, "Tuần 14/12 – 20/12/2026")
    monkeypatch.setattr("lms.calendar.routes.utcnow", lambda: CLOSES + timedelta(days=1))
    page = learner.get("/calendar").get_data(as_text=True)
    assert "Các tuần đã qua" in page and "Đã đóng" in week_section(page, "Tuần 14/12 – 20/12/2026")


def test_the_month_grid_shows_the_month_asked_for_with_links_either_side(learner, scheduled):
    page = learner.get("/calendar?month=2026-12").get_data(as_text=True)
    assert "Tháng 12/2026" in page and "month=2026-11" in page and "month=2027-01" in page
    grid = page[page.index('class="cal-grid"'):page.index("</table>")]
    assert re.search(r'<span class="cal-day">14</span>\s*<ul>\s*<li class="cal-due">', grid)
    default = learner.get("/calendar?month=2026-13").get_data(as_text=True)  # not a month: this month instead
    assert "Tháng 11/2026" in default and "Tháng này không có mốc nào." in default


def test_nothing_scheduled_and_no_cohort_show_an_empty_state(login_as, make_user, make_cohort):
    enrolled = make_user(Role.LEARNER)
    make_cohort(learners=[enrolled])
    assert "Lớp của đồng chí chưa có lịch học." in login_as(enrolled).get("/calendar").get_data(as_text=True)
    page = login_as(Role.LEARNER).get("/calendar").get_data(as_text=True)
    assert "chưa được xếp vào lớp học nào" in page and "Tạo đường dẫn lịch" in page


def test_a_learner_of_another_cohort_does_not_see_this_cohorts_dates(app, login_as, make_user, make_cohort,
                                                                      scheduled):
    outsider = make_user(Role.LEARNER)
    make_cohort(learners=[outsider])
    client = login_as(outsider)
    page = client.get("/calendar").get_data(as_text=True)
    assert scheduled.title not in page and "14/12" not in page and "chưa có lịch học" in page
    assert events(fetch_feed(app, give_token(client))) == {}


def test_instructors_have_no_calendar(login_as):
    assert login_as(Role.INSTRUCTOR).get("/calendar").status_code == 403


def test_creating_the_feed_address(learner, learner_user):
    token = give_token(learner)
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", token)
    page = learner.get("/calendar").get_data(as_text=True)
    assert f'value="http://localhost/calendar/{token}.ics"' in page and "readonly" in page
    assert "Đặt lại đường dẫn" in page and "Thêm lịch → Từ URL" in page and "ngừng hoạt động" in page
    assert db.session.scalar(select(AuditEvent.actor_id).where(AuditEvent.action == "calendar.token_created")) \
        == learner_user.id


def test_creating_the_feed_address_needs_the_csrf_token(learner):
    assert learner.post("/calendar/feed").status_code == 400
    assert db.session.get(User, learner.user.id).calendar_token is None


def test_the_feed_is_an_icalendar_file_with_the_due_date_and_the_opening(app, learner, cohort, scheduled):
    response = fetch_feed(app, give_token(learner))
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Cache-Control"] == "private, max-age=900"
    calendar = Calendar.from_ical(response.data)
    assert str(calendar["VERSION"]) == "2.0" and calendar["PRODID"]
    assert str(calendar["X-WR-CALNAME"]) == "Lịch học – Lớp Bí thư khóa I"
    assert str(calendar["X-WR-TIMEZONE"]) == "Asia/Ho_Chi_Minh"
    found = events(response)
    due = found[f"{cohort.id}-module-{scheduled.id}-due@lms"]
    assert str(due["SUMMARY"]) == f"Hạn nộp: Chuyên đề {scheduled.number} – {scheduled.title}"
    assert due.decoded("DTSTART").astimezone(UTC) == DUE and due["DTSTAMP"]
    assert [alarm.decoded("TRIGGER") for alarm in due.walk("VALARM")] == [-timedelta(days=1)]
    assert "20/12/2026" in str(due["DESCRIPTION"])  # until when a late submission is accepted
    opening = found[f"{cohort.id}-module-{scheduled.id}-opens@lms"]
    assert opening.decoded("DTSTART").astimezone(UTC) == OPENS and str(opening["SUMMARY"]).startswith("Mở: ")
    assert str(found[f"{cohort.id}-essay-0-due@lms"]["SUMMARY"]) == "Hạn nộp: Bài thu hoạch cuối khóa"
    assert len(found) == 4  # closing moments are on the page, not in the feed


def test_the_feed_stays_vietnamese_when_the_browser_chose_english(app, learner, scheduled):
    token = give_token(learner)
    client = app.test_client()
    client.post("/language", data={"lang": "en", "csrf_token": csrf_token(client, "/")})
    body = client.get(f"/calendar/{token}.ics").get_data(as_text=True)
    assert "Hạn nộp: Chuyên đề" in body and "Due" not in body


def test_an_extension_moves_that_learners_due_date_in_the_feed(app, learner, learner_user, login_as, make_user,
                                                               cohort, scheduled, now):
    classmate = make_user(Role.LEARNER)
    db.session.add(Enrolment(cohort=cohort, user=classmate, commune="Phường Hoàn Kiếm", enrolled_at=now))
    db.session.commit()
    later = DUE + timedelta(days=5)
    grant_extension(cohort, learner_user, MODULE, scheduled.id, later, later + timedelta(days=2), "Ốm, có giấy",
                    make_user(Role.INSTRUCTOR), now)
    db.session.commit()
    uid = f"{cohort.id}-module-{scheduled.id}-due@lms"
    assert events(fetch_feed(app, give_token(learner)))[uid].decoded("DTSTART").astimezone(UTC) == later
    assert events(fetch_feed(app, give_token(login_as(classmate))))[uid].decoded("DTSTART").astimezone(UTC) == DUE


def test_resetting_the_address_ends_the_old_one(app, learner):
    old = give_token(learner)
    assert fetch_feed(app, old).status_code == 200
    new = give_token(learner)
    assert new != old
    assert fetch_feed(app, old).status_code == 404
    assert fetch_feed(app, new).status_code == 200


@pytest.mark.parametrize("token", ["A" * 43, "ngan", "a.b", "%27%20or%201%3D1"])
def test_an_unknown_or_malformed_address_is_not_found(app, learner, token):
    give_token(learner)
    assert fetch_feed(app, token).status_code == 404


def test_a_deactivated_learners_feed_is_not_found(app, learner):
    token = give_token(learner)
    db.session.get(User, learner.user.id).is_active_account = False
    db.session.commit()
    assert fetch_feed(app, token).status_code == 404
