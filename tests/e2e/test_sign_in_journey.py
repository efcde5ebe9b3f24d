"""Journey: a learner signs in, sees the home page and signs out; a bad password is explained."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import open_menu, sign_in


def test_sign_in_and_sign_out(page):
    sign_in(page, "hocvien")
    expect(page.get_by_text("Xin chào, Lê Văn Học.")).to_be_visible()
    open_menu(page)
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page.get_by_text("Đồng chí đã đăng xuất.")).to_be_visible()
    page.goto("/account/password")
    expect(page).to_have_url(re.compile(r"/login\?next="))
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()


def test_wrong_password_shows_a_clear_message(page):
    sign_in(page, "hocvien", "sai-mat-khau")
    expect(page.get_by_role("alert")).to_contain_text("Tên đăng nhập hoặc mật khẩu không đúng.")


def test_page_fits_a_phone_screen(page):
    sign_in(page, "hocvien")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"]
