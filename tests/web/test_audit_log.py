"""The administrators' audit log: who sees it, what a row says, each filter, paging, the CSV export, its cost."""
from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest

import lms.audit as audit
from lms.extensions import db
from lms.models import Role
from tests.conftest import csrf_token

PAGE = "/admin/audit-log/"
EXPORT = "/admin/audit-log/export.csv"
DAYS = {"date_from": "2026-11-01", "date_to": "2026-11-30"}  # keeps out the sign-ins of the test clients (today)


@pytest.fixture
def log(make_user, make_cohort, now):
    """Five events of November 2026 by an administrator, a learner and the system (times in UTC; Hà Nội is +7)."""
    anh = make_user(Role.ADMIN, username="anh.nv", full_name="Nguyễn Văn Ánh")
    binh = make_user(Role.LEARNER, username="binh.tt", full_name="Trần Thị Bình")
    audit.record(anh, "user.deactivated", "user", binh.id, now - timedelta(days=2))  # 24/11 15:00 in Hà Nội
    audit.record(None, "grades.reconciled", "ledger", None, now - timedelta(days=1), differences=0, repaired=False)
    cohort = make_cohort(name="Lớp A")  # "cohort.created" by nobody (the system), at now: 26/11 15:00
    audit.record(anh, "user.activated", "user", binh.id, now + timedelta(hours=1))
    audit.record(binh, "weird.code", "thing", 7, now.replace(hour=18))  # 27/11 01:00 in Hà Nội, 26/11 in UTC
    db.session.commit()
    return {"anh": anh, "binh": binh, "cohort": cohort}


@pytest.fixture
def admin(login_as):
    return login_as(Role.ADMIN)


def actions(html: str) -> list[str]:
    """The action column of the table, top to bottom."""
    return re.findall(r'<td class="action">([^<]*)</td>', html)


def test_the_dashboard_links_to_the_log(admin):
    assert f'href="{PAGE}"' in admin.get("/admin/").get_data(as_text=True)


def test_each_row_says_when_who_what_on_which_record_and_details(admin, log):
    html = admin.get(PAGE, query_string=DAYS).get_data(as_text=True)
    assert actions(html) == ["weird.code", "Mở lại tài khoản", "Tạo lớp", "Đối soát sổ điểm",
                             "Khóa tài khoản"]  # newest first
    assert "5 sự kiện" in html
    assert "27/11/2026 01:00" in html and "24/11/2026 15:00" in html  # Hà Nội time
    assert "Nguyễn Văn Ánh <span class=\"muted\">(anh.nv)</span>" in html
    assert html.count("Hệ thống") == 2  # the reconciliation and the cohort had no actor
    assert f'href="/admin/users?q=binh.tt">Tài khoản #{log["binh"].id}</a>' in html and "Trần Thị Bình" in html
    assert f'href="/admin/cohorts/{log["cohort"].id}">Lớp #{log["cohort"].id}</a>' in html
    assert "thing #7" in html  # an unknown target type as it is, without a link
    assert "differences: 0; repaired: False" in html and "name: Lớp A" in html


def test_on_a_phone_each_row_is_a_block_whose_details_are_named(admin, log):
    """The table's rows stack on a narrow screen (app.css .stack-phone): the details are read there, not scrolled to."""
    html = admin.get(PAGE, query_string=DAYS).get_data(as_text=True)
    assert '<table class="stack-phone audit-table">' in html
    assert html.count('<td class="details" data-label="Chi tiết">') == 5
    assert html.count('data-label="Đối tượng"') == 5
    css = admin.get("/static/css/app.css").get_data(as_text=True)
    assert ".stack-phone td[data-label]::before" in css and ".audit-table td[data-label]" in css


@pytest.mark.parametrize("role", [Role.INSTRUCTOR, Role.LEARNER])
@pytest.mark.parametrize("path", [PAGE, EXPORT])
def test_only_administrators_read_the_log(login_as, role, path):
    assert login_as(role).get(path).status_code == 403


@pytest.mark.parametrize(("filters", "expected"), [
    ({"action": "cohort.created"}, ["Tạo lớp"]),
    ({"actor": "nguyen van anh"}, ["Mở lại tài khoản", "Khóa tài khoản"]),  # folded: no accents typed, found with them
    ({"actor": "BÌNH"}, ["weird.code"]),
    ({"actor": "binh.tt"}, ["weird.code"]),
    ({"target_type": "ledger"}, ["Đối soát sổ điểm"]),
    ({"date_from": "2026-11-26", "date_to": "2026-11-26"}, ["Mở lại tài khoản", "Tạo lớp"]),
    ({"date_from": "2026-11-27", "date_to": "2026-11-27"}, ["weird.code"]),  # 18:00 UTC is the 27th in Hà Nội
    ({"date_to": "2026-11-24"}, ["Khóa tài khoản"]),
    ({"actor": "anh", "action": "user.deactivated", "target_type": "user"}, ["Khóa tài khoản"]),
])
def test_each_filter_narrows_the_log(admin, log, filters, expected):
    response = admin.get(PAGE, query_string={**DAYS, **filters})
    assert response.status_code == 200
    assert actions(response.get_data(as_text=True)) == expected


def test_nothing_matching_shows_an_empty_state(admin, log):
    html = admin.get(PAGE, query_string={**DAYS, "action": "document.revoked"}).get_data(as_text=True)
    assert actions(html) == [] and "Không có sự kiện nào khớp với bộ lọc." in html


@pytest.mark.parametrize(("filters", "message"), [
    ({"date_from": "26/13/2026"}, "Ngày không hợp lệ"),
    ({"date_to": "2026-02-30"}, "Ngày không hợp lệ"),
    ({"date_to": "9999-12-31"}, "Năm phải từ 2000 đến 2100."),
    ({"date_from": "2026-11-27", "date_to": "2026-11-01"}, "không được trước"),
    ({"action": "explode"}, "Lựa chọn không hợp lệ."),
])
@pytest.mark.parametrize("path", [PAGE, EXPORT])
def test_bad_filters_get_a_clear_message_and_keep_what_was_typed(admin, log, filters, message, path):
    response = admin.get(path, query_string=filters)
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and message in html
    assert "Bộ lọc chưa hợp lệ" in html and actions(html) == []
    for value in filters.values():
        if value != "explode":
            assert f'value="{value}"' in html


def test_pages_of_fifty_keep_the_filters(admin, log, now):
    for n in range(55):
        audit.record(log["anh"], "draft.saved", "module", 1, now - timedelta(minutes=n), key=f"k{n}")
    db.session.commit()
    first = admin.get(PAGE, query_string={**DAYS, "action": "draft.saved", "actor": "ánh"}).get_data(as_text=True)
    assert len(actions(first)) == 50 and "55 sự kiện" in first
    next_link = re.search(r'href="([^"]+)" rel="next"', first).group(1).replace("&amp;", "&")
    assert "page=2" in next_link and "action=draft.saved" in next_link and "actor=%C3%A1nh" in next_link
    second = admin.get(next_link).get_data(as_text=True)
    assert actions(second) == ["Lưu bản nháp"] * 5 and "key: k54" in second


def test_the_csv_export_holds_the_filtered_log_for_excel(admin, log):
    html = admin.get(PAGE, query_string={**DAYS, "actor": "anh"}).get_data(as_text=True)
    link = re.search(r'href="(/admin/audit-log/export\.csv[^"]*)"', html).group(1).replace("&amp;", "&")
    assert "actor=anh" in link and "page" not in link
    response = admin.get(link)
    assert response.status_code == 200 and response.content_type == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == 'attachment; filename="nhat-ky-thao-tac.csv"'
    body = response.get_data()
    assert body.startswith("\ufeff".encode())  # the byte-order mark Excel needs to read UTF-8
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows == [
        ["Thời gian", "Tên đăng nhập", "Người thực hiện", "Thao tác", "Mã thao tác", "Loại đối tượng", "Mã đối tượng",
         "Chi tiết"],
        ["2026-11-26 16:00:00", "anh.nv", "Nguyễn Văn Ánh", "Mở lại tài khoản", "user.activated", "Tài khoản",
         str(log["binh"].id), ""],
        ["2026-11-24 15:00:00", "anh.nv", "Nguyễn Văn Ánh", "Khóa tài khoản", "user.deactivated", "Tài khoản",
         str(log["binh"].id), ""]]


def test_the_export_names_the_system_and_neutralises_formulas(admin, log, now):
    audit.record(None, "post.hidden", "post", 3, now, reason="=HYPERLINK(\"x\")")
    db.session.commit()
    rows = list(csv.reader(io.StringIO(admin.get(EXPORT, query_string={**DAYS, "action": "post.hidden"})
                                       .get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[1][1:4] == ["", "Hệ thống", "Ẩn bài thảo luận"]
    assert rows[1][7] == 'reason: =HYPERLINK("x")' and not rows[1][7].startswith("=")


def test_a_page_costs_the_same_statements_however_many_rows_and_actors(admin, log, make_user, now, count_queries):
    def cost() -> int:
        admin.get(PAGE)  # the session's user is loaded once
        with count_queries() as statements:
            assert admin.get(PAGE, query_string=DAYS).status_code == 200
        return statements()

    few = cost()
    for n in range(30):  # thirty more events, each by a different actor about a different account
        actor, target = make_user(Role.INSTRUCTOR), make_user()
        audit.record(actor, "user.password_reset", "user", target.id, now - timedelta(hours=n))
    db.session.commit()
    assert cost() == few


def test_a_record_is_named_in_the_singular_in_english_on_the_page_and_in_the_export(admin, log):
    admin.post("/language", data={"lang": "en", "csrf_token": csrf_token(admin, PAGE)})
    html = admin.get(PAGE, query_string=DAYS).get_data(as_text=True)
    assert f'href="/admin/users?q=binh.tt">Account #{log["binh"].id}</a>' in html
    assert f'href="/admin/cohorts/{log["cohort"].id}">Cohort #{log["cohort"].id}</a>' in html
    assert "Accounts #" not in html
    assert '<option value="user">Account</option>' in html and '<option value="job">Background job</option>' in html
    rows = list(csv.reader(io.StringIO(admin.get(EXPORT, query_string={**DAYS, "target_type": "user"})
                                       .get_data(as_text=True).lstrip("\ufeff"))))
    assert [row[5] for row in rows[1:]] == ["Account", "Account"]
    assert re.search(r'href="/admin/users"[^>]*>Accounts</a>', admin.get("/admin/").get_data(as_text=True))  # a page


def test_a_log_too_long_to_stream_is_written_by_the_worker_and_downloaded_once_asked(admin, log, monkeypatch):
    from lms.admin import audit_export
    streamed = admin.get(EXPORT, query_string=DAYS).get_data()  # the same rows, streamed while the log is short
    monkeypatch.setattr(audit_export, "IN_REQUEST_ROWS", 2)
    asked = admin.get(EXPORT, query_string=DAYS)
    html = asked.get_data(as_text=True)
    assert asked.status_code == 200 and asked.content_type.startswith("text/html")  # nothing is queued by a GET
    assert "có 5 dòng: quá dài để tải ngay" in html and 'value="2026-11-01"' in html
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html))
    response = admin.post("/admin/audit-log/export", data=fields)
    assert response.status_code == 303
    job_page = admin.get(response.headers["Location"]).get_data(as_text=True)
    assert "Tệp CSV có 5 dòng nhật ký." in job_page and "Tải tệp CSV" in job_page
    download = re.search(r'href="(/admin/jobs/\d+/file)"', job_page).group(1)
    assert admin.get(download).get_data() == streamed
    logged = actions(admin.get(PAGE).get_data(as_text=True))
    assert "Yêu cầu xuất nhật ký thao tác (CSV)" in logged and "Tải tệp của công việc nền" in logged


def test_asking_for_the_file_with_a_wrong_filter_or_no_token_queues_nothing(admin, log, monkeypatch):
    from lms.models import Job
    response = admin.post("/admin/audit-log/export", data={"csrf_token": csrf_token(admin, PAGE),
                                                           "date_from": "2026-11-30", "date_to": "2026-11-01"})
    assert response.status_code == 400 and "không được trước" in response.get_data(as_text=True)
    assert admin.post("/admin/audit-log/export", data={"date_from": "2026-11-01"}).status_code == 400
    assert db.session.query(Job).count() == 0


def test_the_apis_own_calls_are_left_out_unless_asked_for(admin, log, now):
    for n in range(3):
        audit.record(log["anh"], "api.call", "api_token", 1, now - timedelta(hours=n + 2), route="/api/v1/cohorts")
    db.session.commit()
    default = admin.get(PAGE, query_string=DAYS).get_data(as_text=True)
    assert "Gọi API" not in actions(default) and "5 sự kiện" in default
    assert "Gồm cả các lượt gọi API" in default
    everything = admin.get(PAGE, query_string={**DAYS, "api_calls": "y"}).get_data(as_text=True)
    assert actions(everything).count("Gọi API") == 3 and "8 sự kiện" in everything
    chosen = admin.get(PAGE, query_string={**DAYS, "action": "api.call"}).get_data(as_text=True)
    assert actions(chosen) == ["Gọi API"] * 3
    exported = admin.get(EXPORT, query_string=DAYS).get_data(as_text=True)
    assert "api.call" not in exported
    assert admin.get(EXPORT, query_string={**DAYS, "api_calls": "y"}).get_data(as_text=True).count("api.call") == 3
