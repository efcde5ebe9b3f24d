"""Journey: an instructor edits a lesson in the browser, previews it, publishes it; learners see the new text."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import sign_in

MODULE = "14-nghi-quyet-va-hoi-nghi"


def test_instructor_previews_and_publishes_a_lesson(page, browser, live_server):
    sign_in(page, "giangvien")
    page.goto(f"/instructor/modules/{MODULE}")
    page.get_by_role("link", name=re.compile("Sửa")).first.click()
    marker = f"Ghi chú mới của giảng viên ({page.viewport_name})"
    body = page.get_by_label("Nội dung (Markdown)")
    body.fill(body.input_value() + f"\n\n## {marker}\n\n<script>alert('x')</script>Nội dung bổ sung.\n")
    page.get_by_role("button", name="Xem trước").click()
    expect(page.locator(".preview").get_by_role("heading", name=marker)).to_be_visible()
    page.get_by_role("button", name="Xuất bản").click()
    expect(page.get_by_role("status").first).to_be_visible()
    learner = browser.new_context(base_url=live_server).new_page()
    learner.viewport_name = "desktop"
    sign_in(learner, "hv10")
    learner.goto(f"/modules/{MODULE}")
    learner.locator("ol.lesson-list a").first.click()
    expect(learner.get_by_role("heading", name=marker)).to_be_visible()
    assert "<script>" not in learner.content()
    learner.context.close()
