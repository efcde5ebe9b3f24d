"""A cohort's week on a phone and a desktop: the instructor posts an announcement; a learner continues the open
attempt from the home page in one tap, finds a due date on the calendar and reads the notification."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import answer_stage, open_menu, sign_in

CASE = "nha-xay-vuot-tang-phep"
LEARNER = {"desktop": "hv10", "phone": "hv11"}


def test_a_learner_continues_from_home_sees_a_deadline_and_reads_a_notification(page):
    title = f"Lịch học tuần tới ({page.viewport_name})"
    # The instructor writes to the class.
    sign_in(page, "giangvien")
    page.goto("/instructor/")
    page.get_by_role("link", name=re.compile("Lớp bồi dưỡng")).first.click()
    page.get_by_role("link", name="Thông báo của lớp").click()
    page.get_by_role("link", name="Viết thông báo").click()
    page.get_by_label("Tiêu đề").fill(title)
    page.get_by_label(re.compile("Nội dung")).fill("**Thứ Năm** học chuyên đề 18, mang theo sổ tay.")
    page.get_by_role("button", name="Đăng thông báo").click()
    expect(page.get_by_text(re.compile(r"Đã đăng thông báo và báo cho \d+ học viên"))).to_be_visible()
    page.context.clear_cookies()

    # The learner starts a case, saves the first stage, and leaves.
    sign_in(page, LEARNER[page.viewport_name])
    page.goto(f"/cases/{CASE}")
    page.get_by_role("button", name=re.compile("Bắt đầu làm bài|Làm tiếp bài đang làm")).click()
    answer_stage(page)
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text("Đã lưu câu trả lời.")).to_be_visible()

    # Home: one tap back into the attempt.
    page.get_by_role("link", name=re.compile("Bồi dưỡng Bí thư")).click()
    expect(page.get_by_text("Đồng chí đang làm dở tình huống:")).to_be_visible()
    page.get_by_role("link", name=re.compile("^Làm tiếp")).click()
    expect(page).to_have_url(re.compile(r"/attempts/\d+"))

    # The calendar shows the cohort's due dates.
    open_menu(page)
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Lịch học").click()
    due = page.locator("li", has_text="Hạn nộp").filter(visible=True)  # this week's due dates (past weeks are folded)
    expect(due.first).to_contain_text(re.compile(r"Chuyên đề \d+"))

    # The bell counts the announcement; the list opens it.
    bell = page.locator("a.bell")
    expect(bell.locator(".count")).to_be_visible()
    bell.click()
    notice = page.locator("li.notification", has_text=title)
    expect(notice).to_be_visible()
    notice.get_by_role("button", name="Xem").click()
    expect(page.get_by_role("heading", name=title)).to_be_visible()
    expect(page.locator("article", has_text=title).locator("strong", has_text="Thứ Năm")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
