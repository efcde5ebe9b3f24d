"""Journey on a phone and a desktop: a learner studies a lesson, searches, and works through a branching case."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import VIEWPORTS, play_to_the_end, sign_in

CASE = "nha-xay-vuot-tang-phep"  # module 18: a branching case with several stages
# The live server is shared by the journeys: each viewport signs in as its own demo learner.
LEARNERS = {"desktop": ("hv02", "hv04", "hv06"), "phone": ("hv03", "hv05", "hv07")}


def learner(page, n: int) -> str:
    """The demo learner this journey uses on this viewport."""
    return LEARNERS[page.viewport_name][n]


def test_learner_studies_a_lesson_and_finds_it_by_search(page):
    sign_in(page, learner(page, 0))
    page.goto("/modules")
    expect(page.get_by_role("heading", name="18 chuyên đề của khóa học")).to_be_visible()
    page.get_by_role("link", name=re.compile("Phương pháp xử lý tình huống")).click()
    page.locator("ol.lesson-list a").first.click()
    expect(page.get_by_text(re.compile(r"Khoảng \d+ phút đọc"))).to_be_visible()
    page.get_by_role("button", name="Đánh dấu đã học").click()
    expect(page.get_by_text("Đồng chí đã học bài này.")).to_be_visible()
    page.goto("/progress")
    expect(page.get_by_role("heading", name="Tiến độ học tập")).to_be_visible()
    row = page.locator("tr", has_text="18. Phương pháp xử lý tình huống")
    expect(row).to_contain_text("Đang học")
    bar = row.locator("progress").bounding_box()  # a phone shows each chuyên đề's work too, not past the edge
    assert bar["x"] + bar["width"] <= page.viewport_size["width"], bar
    page.goto("/modules/18-phuong-phap-xu-ly-tinh-huong/lessons/01-tinh-huong-trong-lanh-dao-quan-ly")
    page.get_by_role("searchbox", name="Tìm trong bài học và tình huống").fill("xu ly tinh huong")
    page.get_by_role("button", name="Tìm", exact=True).click()  # a plain GET form: the same without JavaScript
    expect(page.get_by_text(re.compile(r"\d+ kết quả"))).to_be_visible()
    expect(page.locator(".search-results li").first.locator("mark").first).to_have_text(re.compile("xử|lý|tình|huống", re.IGNORECASE))
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


# Together these four cases ask every question type: best_action (branching), best_worst, rank, rate, multi, written.
CASES = ["nha-xay-vuot-tang-phep", "lien-ket-san-xuat-rau-an-toan", "sinh-hoat-chi-bo-hoc-ly-luan-hinh-thuc",
         "ra-soat-ho-kho-khan-sau-sap-xep"]


@pytest.mark.parametrize("case", CASES)
def test_learner_works_through_a_shuffled_case_and_sees_what_the_review_policy_shows(page, case):
    sign_in(page, f"hv{11 + 2 * CASES.index(case) + (page.viewport_name == 'phone'):02d}")
    page.goto(f"/cases/{case}")
    # the information page before starting: attempts, which counts, time, when the key shows
    expect(page.get_by_role("heading", name="Trước khi làm bài")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Số lần làm: \d+; đồng chí đã nộp 0\."))).to_be_visible()
    page.get_by_role("button", name=re.compile("Bắt đầu làm bài|Làm tiếp bài đang làm")).click()
    # shuffled options post their position in the shown order, never their authored ids
    values = page.locator("fieldset.question input[type=radio]").evaluate_all("els => els.map(e => e.value)")
    assert all(value.isdigit() for value in values), values
    seen = set()
    play_to_the_end(page, lambda: seen.update(page.locator("fieldset.question p.hint").all_inner_texts()))
    expect(page.get_by_role("heading", name=re.compile("Xem lại bài làm"))).to_be_visible()
    # the default review policy: the score and the path now; the key once no attempt remains
    expect(page.get_by_text("Con đường đồng chí đã đi:")).to_be_visible()
    expect(page.get_by_text(re.compile("sẽ hiện sau lần làm cuối cùng"))).to_be_visible()
    expect(page.get_by_text(re.compile("Chuyên gia: [1-4]/4"))).to_have_count(0)
    assert seen, "no question was shown"
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_saved_answers_survive_closing_the_browser(page, browser, live_server):
    sign_in(page, learner(page, 2))
    page.goto("/cases/tin-don-bien-thu-tien-cuu-tro")
    page.get_by_role("button", name=re.compile("Bắt đầu làm bài|Làm tiếp")).click()
    first = page.locator("fieldset.question input[type=radio]").first
    first.check()
    page.get_by_role("button", name="Lưu nháp").click()
    expect(page.get_by_text(re.compile("Đã lưu câu trả lời"))).to_be_visible()
    page.context.close()  # the browser is closed; the learner comes back later on another one
    later = browser.new_context(base_url=live_server, **VIEWPORTS[page.viewport_name]).new_page()
    later.viewport_name = page.viewport_name
    sign_in(later, learner(page, 2))
    later.goto("/cases/tin-don-bien-thu-tien-cuu-tro")
    later.get_by_role("button", name=re.compile("Làm tiếp")).click()
    expect(later.locator("fieldset.question input[type=radio]").first).to_be_checked()
    later.context.close()
