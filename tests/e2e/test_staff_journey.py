"""Journeys for administrators and instructors, and a stranger verifying a learner's transcript."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from lms.admin.services import create_staff_account
from lms.database import utcnow
from lms.domain.accounts import StaffAccount
from lms.extensions import db
from lms.models import Role, User
from tests.e2e.conftest import VIEWPORTS, open_menu, sign_in

BAD_ROSTER = ("Họ và tên,Tên đăng nhập hoặc email,\"Xã, phường\",Số điện thoại\n"
              "Nguyễn Thị Hồng Nhung,nhung.nth@example.vn,Phường Hoàn Kiếm,0912 345 678\n"
              ",thieu-ten,Xã Sóc Sơn,\n"
              "Trần Văn Bình,tvbinh@,Xã Đông Anh,abc\n")
LONG_NAME = "Nguyễn" + "Ă" * 194  # 200 letters without a space: a name typed or pasted without its spaces


def test_admin_enrols_a_roster_and_sees_every_bad_row(page, tmp_path):
    sign_in(page, "admin")
    open_menu(page)
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Quản trị lớp").click()
    page.get_by_role("link", name=re.compile("Lớp bồi dưỡng Bí thư")).click()
    page.get_by_role("link", name="Nhập danh sách từ tệp CSV/XLSX").click()
    bad = tmp_path / "danh-sach.csv"
    bad.write_text(BAD_ROSTER, encoding="utf-8")
    page.get_by_label("Tệp danh sách (CSV hoặc XLSX)").set_input_files(str(bad))
    page.get_by_role("button", name="Nhập danh sách").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Dòng 3")
    expect(alert).to_contain_text("Dòng 4")
    good = tmp_path / "danh-sach-sua.csv"
    good.write_text("\n".join(BAD_ROSTER.splitlines()[:2]) + "\n", encoding="utf-8")
    page.get_by_label("Tệp danh sách (CSV hoặc XLSX)").set_input_files(str(good))  # on the error page itself
    page.get_by_role("button", name="Gửi tệp đã sửa").click()
    expect(page.get_by_role("status")).to_contain_text(re.compile(r"Đã ghi danh [01] học viên"))  # the job's page
    expect(page.get_by_text("Hoàn tất")).to_be_visible()


def test_instructor_overrides_a_grade_with_a_reason(page):
    sign_in(page, "giangvien")
    page.goto("/instructor/gradebook")
    expect(page.get_by_role("heading", name=re.compile("Sổ điểm"))).to_be_visible()
    page.locator("table td.cell a").first.click()
    page.get_by_label("Điểm mới (thang 10)").fill("7,5")
    page.get_by_label("Lý do điều chỉnh").fill(f"Phúc khảo bài thu hoạch ({page.viewport_name})")
    page.get_by_role("button", name="Ghi điểm điều chỉnh").click()
    expect(page.get_by_text("Đã ghi điểm vào sổ điểm.")).to_be_visible()
    expect(page.get_by_role("cell", name=f"Phúc khảo bài thu hoạch ({page.viewport_name})")).to_be_visible()


def test_learner_downloads_a_transcript_and_a_stranger_verifies_it(page, browser, live_server):
    sign_in(page, "hv08" if page.viewport_name == "desktop" else "hv09")
    page.goto("/transcript")
    with page.expect_response(lambda r: ".pdf" in r.url) as pdf:
        page.get_by_role("button", name="Tải bảng điểm (PDF)").click()
    assert pdf.value.headers["content-type"] == "application/pdf"
    page.goto("/transcript")
    code = re.search(r"Mã xác thực: (\w+)", page.content()).group(1)
    # The stranger scans the QR code on the same kind of device, or types the printed code into the form.
    stranger = browser.new_context(base_url=live_server, **VIEWPORTS[page.viewport_name]).new_page()
    stranger.goto(f"/verify/{code}")
    expect(stranger.get_by_text("Văn bản hợp lệ")).to_be_visible()
    assert stranger.evaluate("document.documentElement.scrollWidth") <= stranger.viewport_size["width"]
    stranger.goto("/verify")
    stranger.get_by_label("Mã xác thực in trên văn bản").fill(f"  {code.lower()} ")
    stranger.get_by_role("button", name="Kiểm tra").click()
    expect(stranger.get_by_text("Văn bản hợp lệ")).to_be_visible()
    assert stranger.url.endswith(f"/verify/{code}")
    stranger.context.close()


def test_a_name_without_spaces_stays_on_a_phone_screen_in_the_accounts_and_the_log(browser, live_server, live_app):
    """A 200-letter name neither pushes the accounts table past a phone's screen nor hides the log's details."""
    with live_app.app_context():
        admin = db.session.scalar(db.select(User).filter_by(username="admin"))
        create_staff_account(StaffAccount("ten.rat.dai", LONG_NAME), Role.INSTRUCTOR, admin, utcnow())
        db.session.commit()
    page = browser.new_context(base_url=live_server, locale="vi-VN", **VIEWPORTS["phone"]).new_page()
    page.viewport_name, width = "phone", VIEWPORTS["phone"]["viewport"]["width"]
    sign_in(page, "admin")

    def right_edge(locator) -> float:
        box = locator.bounding_box()
        assert box["x"] >= 0
        return box["x"] + box["width"]

    page.goto("/admin/users?q=ten.rat.dai")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert right_edge(page.get_by_role("cell", name=LONG_NAME)) <= width
    page.goto("/admin/audit-log/?action=user.created")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    event = page.locator("tbody tr").first
    assert right_edge(event.get_by_text(LONG_NAME)) <= width
    expect(event.locator("td.details")).to_contain_text("ten.rat.dai")
    assert right_edge(event.locator("td.details")) <= width
    page.context.close()
