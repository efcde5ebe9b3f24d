"""Journey: an instructor edits a lesson in the browser, previews it, publishes it; learners see the new text."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import sign_in

MODULE = "14-nghi-quyet-va-hoi-nghi"


def test_instructor_previews_and_publishes_a_lesson(page, browser, live_server):
    sign_in(page, "giangvien")
    page.goto(f"/instructor/modules/{MODULE}")
    page.get_by_role("link", name="Sửa", exact=True).first.click()  # the first lesson's editor
    marker = f"Ghi chú mới của giảng viên ({page.viewport_name})"
    body = page.get_by_label("Nội dung (Markdown)")
    body.fill(body.input_value() + f"\n\n## {marker}\n\n<script>alert('x')</script>Nội dung bổ sung.\n")
    page.get_by_role("button", name="Xem trước").click()
    expect(page.locator(".preview").get_by_role("heading", name=marker)).to_be_visible()
    asked = []  # the previewed text is not saved yet: leaving asks first, and staying keeps it

    def stay(dialog):
        asked.append(dialog.type)
        dialog.dismiss()

    page.once("dialog", stay)
    page.get_by_label("Nội dung (Markdown)").press("End")  # Chromium asks only on a page the author touched
    page.locator("p.crumbs a").first.click()
    expect(page.get_by_label("Nội dung (Markdown)")).to_have_value(re.compile(re.escape(marker)))
    assert asked == ["beforeunload"]
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


def test_instructor_edits_a_case_with_the_form_and_learners_see_it(page, browser, live_server):
    sign_in(page, "giangvien")
    slug = "nghi-quyet-chinh-trang-do-thi-cham-trien-khai"
    page.goto(f"/instructor/modules/{MODULE}/cases/{slug}/form")
    new_title = f"Nghị quyết chỉnh trang đô thị chậm triển khai ({page.viewport_name})"
    page.get_by_label("Tiêu đề").first.fill(new_title)
    stages = page.locator("fieldset.form-stage").count()
    page.get_by_role("button", name="Thêm giai đoạn").first.click()  # structure ops keep what was typed
    expect(page.locator("fieldset.form-stage")).to_have_count(stages + 1)
    expect(page.get_by_label("Tiêu đề").first).to_have_value(new_title)
    page.get_by_role("button", name=re.compile(r"Xoá giai đoạn \d+")).last.click()
    expect(page.locator("fieldset.form-stage")).to_have_count(stages)
    page.get_by_role("button", name="Xem trước").first.click()
    expect(page.get_by_role("heading", name=re.compile(re.escape(new_title))).first).to_be_visible()
    page.get_by_role("button", name="Xuất bản").first.click()
    learner = browser.new_context(base_url=live_server).new_page()
    learner.viewport_name = "desktop"
    sign_in(learner, "hv20")
    learner.goto(f"/cases/{slug}")
    expect(learner.get_by_role("heading", name=new_title)).to_be_visible()
    learner.context.close()


def test_instructor_adds_a_variant_in_the_form_and_its_cue_shows_at_once(page):
    sign_in(page, "giangvien")
    slug = "du-thao-nghi-quyet-sao-chep-thieu-chi-tieu"
    page.goto(f"/instructor/modules/{MODULE}/cases/{slug}/form")
    question = page.locator("#f-stages-1-questions-0")
    variants = question.locator("fieldset.form-variant")
    before = variants.count()
    assert before >= 1  # the shipped case's variant is in the form
    question.get_by_role("button", name="Thêm biến thể cho câu hỏi 1").click()
    expect(variants).to_have_count(before + 1)
    added = f"stages-1-questions-0-variants-{before}"
    page.locator(f'[name="{added}-prompt"]').fill(f"Biến thể mới ({page.viewport_name}): nên làm gì trước?")
    ratings = page.locator(f'[name^="{added}-options-"][name$="-effectiveness"]')
    best = next(i for i in range(ratings.count()) if ratings.nth(i).input_value() == "4")
    page.locator(f'[name="{added}-options-{best}-text"]').fill("Chỉ đạo rà soát lại toàn bộ dự thảo " * 8)
    expect(page.locator(f"#f-{added} > .live-cue")).to_be_visible()  # at the variant, as the author types
    expect(question.locator(":scope > .live-cue")).to_have_count(0)
    page.get_by_role("button", name="Xuất bản").first.click()
    expect(page.get_by_role("status").first).to_contain_text("Đã xuất bản")
    page.goto(f"/instructor/modules/{MODULE}/cases/{slug}/form")
    expect(page.locator("#f-stages-1-questions-0 fieldset.form-variant")).to_have_count(before + 1)
