"""Journey on a phone and a desktop: a learner submits a case, reads how the class chose, replies and reports a
post; the instructor pins a note and hides the reported post; the learner sees both on reload."""
from __future__ import annotations

import random
import re

from playwright.sync_api import expect
from sqlalchemy import select

from lms.database import utcnow
from lms.demo_progress import play_case
from lms.discussions.services import discussion_for, start_thread
from lms.extensions import db
from lms.models import FINISHED_STATES, Attempt, Case, Enrolment, User
from tests.e2e.conftest import play_to_the_end, sign_in

CASE = "nha-xay-vuot-tang-phep"
CLASSMATES = ("hv22", "hv23", "hv24", "hv25")  # submitted before the journey, so the class's choices show
LEARNER = {"desktop": "hv21", "phone": "hv26"}


def prepare(app, viewport: str) -> str:
    """Four classmates have submitted the case; one of them started a thread, another posted something to report.
    Returns the reported post's title."""
    with app.app_context():
        case = db.session.scalar(select(Case).filter_by(slug=CASE))
        rng, now = random.Random(7), utcnow()
        people = {u.username: u for u in db.session.scalars(select(User).where(User.username.in_(CLASSMATES)))}
        for username in CLASSMATES:
            done = db.session.scalar(select(Attempt.id).where(Attempt.user_id == people[username].id,
                                                              Attempt.case_id == case.id,
                                                              Attempt.state.in_(FINISHED_STATES)).limit(1))
            if done is None:
                play_case(people[username], case, 0.6, rng, now)
        cohort_id = db.session.scalar(select(Enrolment.cohort_id).filter_by(user_id=people["hv22"].id))
        discussion = discussion_for(case, cohort_id, now)
        start_thread(discussion, people["hv22"], f"Vì sao tôi đối thoại trước ({viewport})",
                     "Tôi chọn **đối thoại** với hộ dân trước khi lập biên bản.", True, now)
        title = f"Số điện thoại riêng ({viewport})"
        start_thread(discussion, people["hv23"], title, "Ai cần thì gọi ông trưởng thôn số 0912 345 678.", False, now)
        db.session.commit()
        return title


def test_the_debrief_discussion(page, browser, live_app, live_server):
    reported_title = prepare(live_app, page.viewport_name)
    sign_in(page, LEARNER[page.viewport_name])
    page.goto(f"/cases/{CASE}")
    expect(page.get_by_role("link", name=re.compile("Thảo luận với lớp"))).to_have_count(0)  # not submitted yet
    page.get_by_role("button", name=re.compile("Bắt đầu làm bài|Làm tiếp")).click()
    play_to_the_end(page)
    page.get_by_role("link", name=re.compile("Thảo luận với lớp")).click()
    # how the class chose: shares per option at each stage, the branches taken, no expert ratings yet
    expect(page.get_by_role("heading", name="Lớp đã chọn thế nào")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Theo lần nộp gần nhất của \d+ học viên"))).to_be_visible()
    assert page.locator(".choice-shares progress").count() > 0
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    # reply to a classmate's thread, who allowed the comparison of choices
    page.get_by_role("link", name=f"Vì sao tôi đối thoại trước ({page.viewport_name})").click()
    expect(page.get_by_text(re.compile("Chọn (giống|khác) đồng chí ở giai đoạn"))).to_be_visible()
    page.get_by_label("Nội dung").fill("Tôi đồng ý: đối thoại trước, rồi mới lập biên bản đúng thẩm quyền.")
    page.get_by_role("button", name="Đăng trả lời").click()
    expect(page.get_by_text("Đã đăng trả lời.")).to_be_visible()
    expect(page.get_by_text("rồi mới lập biên bản đúng thẩm quyền")).to_be_visible()
    # report the post that gives out a private phone number
    page.get_by_role("link", name=re.compile("Thảo luận: ")).click()
    page.get_by_role("link", name=reported_title).click()
    page.get_by_role("link", name="Báo cáo bài viết").click()
    page.get_by_label(re.compile("Vì sao bài này cần giảng viên xem lại")).fill("Lộ số điện thoại riêng.")
    page.get_by_role("button", name="Gửi báo cáo").click()
    expect(page.get_by_text("Đã gửi báo cáo tới giảng viên.")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    thread_url = page.url.split("#")[0]

    teacher = browser.new_context(base_url=live_server, locale="vi-VN", viewport=page.viewport_size).new_page()
    sign_in(teacher, "giangvien")
    teacher.goto("/instructor/discussions/reports")
    card = teacher.locator("article", has_text="0912 345 678").filter(has_text="Lộ số điện thoại riêng.")
    card.get_by_label(re.compile("Lý do")).fill("Bài có số điện thoại riêng của người khác.")
    card.get_by_role("button", name="Ẩn bài").click()
    expect(teacher.get_by_text("Đã cập nhật bài viết.")).to_be_visible()
    teacher.goto(f"/cases/{CASE}/discussion")
    teacher.get_by_role("link", name=re.compile("Lớp bồi dưỡng")).first.click()
    teacher.locator("details#note, details#note-form").locator("summary").click()
    teacher.get_by_label(re.compile("Ghi chú được ghim")).fill(
        f"**Bài học ({page.viewport_name}):** đối thoại trước, xử lý đúng thẩm quyền của UBND xã.")
    teacher.get_by_role("button", name="Lưu ghi chú").click()
    expect(teacher.get_by_text(re.compile("Đã lưu ghi chú của giảng viên"))).to_be_visible()
    teacher.context.close()

    page.goto(thread_url)
    expect(page.get_by_text("Bài viết này đã bị giảng viên ẩn.")).to_be_visible()
    expect(page.get_by_text("0912 345 678")).to_have_count(0)
    page.get_by_role("link", name=re.compile("Thảo luận: ")).click()
    expect(page.get_by_role("heading", name=re.compile("Ghi chú của giảng viên"))).to_be_visible()
    expect(page.get_by_text(f"Bài học ({page.viewport_name}):")).to_be_visible()
