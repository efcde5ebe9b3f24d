"""Journey on a phone and a desktop: an administrator uploads a roster with mistakes, reads every problem in one
report, uploads the corrected file on the same page, and hands out the temporary passwords; a new learner must
choose their own password at the first sign-in."""
from __future__ import annotations

import csv
import io
import re

from playwright.sync_api import expect

from tests.e2e.conftest import sign_in

HEADER = "Họ và tên,Tên đăng nhập hoặc email,\"Xã, phường\",Số điện thoại\n"


def roster(viewport: str, fixed: bool) -> str:
    """A roster: with a missing name, a bad e-mail, a duplicate and a staff account unless fixed."""
    a, b, c = (f"{name}-{viewport}" for name in ("lan.nt", "binh.tv", "cuong.lv"))
    rows = [f"Nguyễn Thị Lan,{a},Phường Ba Đình,0912 000 111", f"Trần Văn Bình,{b},Xã Sóc Sơn,",
            f"Lê Văn Cường,{c}@example.vn,Xã Mỹ Đức,"]
    if not fixed:
        rows += [",thieu-ten,Xã Đông Anh,", "Phạm Văn Dũng,dung@,Xã Gia Lâm,", f"Nguyễn Thị Lan,{a},Phường Ba Đình,",
                 "Giảng viên nhầm,giangvien,Phường Tây Hồ,"]
    return HEADER + "\n".join(rows) + "\n"


def upload(page, text: str) -> None:
    page.get_by_label("Tệp danh sách (CSV hoặc XLSX)").set_input_files(
        {"name": "danh-sach.csv", "mimeType": "text/csv", "buffer": text.encode("utf-8")})


def test_an_administrator_fixes_a_roster_on_the_error_page(page, browser, live_server):
    viewport = page.viewport_name
    sign_in(page, "admin")
    page.goto("/admin/")
    page.get_by_role("link", name=re.compile("Lớp bồi dưỡng")).first.click()
    page.get_by_role("link", name="Nhập danh sách từ tệp CSV/XLSX").click()
    upload(page, roster(viewport, fixed=False))
    page.get_by_role("button", name=re.compile("Nhập|Tải lên|Gửi")).first.click()
    # one report: the missing name, the bad e-mail, the duplicate and the staff account, each with its line
    for line in ("Dòng 5", "Dòng 6", "Dòng 7", "Dòng 8"):
        expect(page.get_by_text(re.compile(line)).first).to_be_visible()
    expect(page.get_by_text(re.compile("không phải học viên"))).to_be_visible()
    upload(page, roster(viewport, fixed=True))  # on the same page
    page.get_by_role("button", name="Gửi tệp đã sửa").click()
    expect(page.get_by_text(re.compile(r"Đã ghi danh 3 học viên"))).to_be_visible(timeout=20_000)
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải danh sách mật khẩu (CSV)").click()
    with open(download.value.path(), encoding="utf-8-sig") as file:
        rows = list(csv.reader(io.StringIO(file.read())))
    assert rows[0] == ["Họ và tên", "Tên đăng nhập", "Mật khẩu tạm thời", "Xã, phường"] and len(rows) == 4
    username, password = next((r[1], r[2]) for r in rows if r[1].startswith("binh.tv"))
    page.reload()  # handed over once: the list is gone from the page and the server
    expect(page.get_by_text(re.compile("đã được tải về \\(một lần\\)"))).to_be_visible()
    expect(page.get_by_role("link", name="Tải danh sách mật khẩu (CSV)")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]

    learner = browser.new_context(base_url=live_server, locale="vi-VN", viewport=page.viewport_size).new_page()
    sign_in(learner, username, password)
    expect(learner.get_by_text("Đồng chí đang dùng mật khẩu tạm thời.", exact=False)).to_be_visible()
    learner.get_by_label("Mật khẩu hiện tại").fill(password)
    learner.get_by_label("Mật khẩu mới", exact=True).fill("mat-khau-rieng-2026")
    learner.get_by_label(re.compile("Nhập lại")).fill("mat-khau-rieng-2026")
    learner.get_by_role("button", name="Đổi mật khẩu").click()
    expect(learner.get_by_text("Đã đổi mật khẩu.", exact=False)).to_be_visible()
    learner.goto("/progress")
    expect(learner.get_by_role("heading", name="Tiến độ học tập")).to_be_visible()
    learner.context.close()
