"""Journey on a phone and a desktop: an instructor who has never seen YAML writes a three-stage branching case with
every question type in the structured form, without typing an id (nor the case's address), previews and
publishes it; a learner opens it."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import sign_in

MODULE = "13-vai-tro-bi-thu"
RATINGS = {3: ("4", "2", "1"), 4: ("4", "3", "2", "1")}


class Form:
    """The structured case form, filled as a person would, one part after another."""

    def __init__(self, page):
        self.page = page

    def fill(self, name: str, value: str) -> None:
        self.page.locator(f'[name="{name}"]').fill(value)

    def choose(self, name: str, value: str) -> None:
        self.page.locator(f'[name="{name}"]').select_option(value)

    def press(self, label: str, within: str = "") -> None:
        """Press a structure button and wait for the new form (swapped in by JavaScript, or a new page)."""
        self.page.evaluate("document.querySelector('form.case-form').dataset.old = 'yes'")
        scope = self.page.locator(f"#{within}") if within else self.page
        scope.get_by_role("button", name=label, exact=True).first.click()
        expect(self.page.locator("form.case-form")).to_be_visible()
        expect(self.page.locator("form.case-form[data-old]")).to_have_count(0)

    def options(self, question: str, texts: list[str], add: int = 0, qnumber: int = 1) -> None:
        for _ in range(add):
            self.press(f"Thêm phương án cho câu hỏi {qnumber}", f"f-{question}")
        for index, (text, rating) in enumerate(zip(texts, RATINGS[len(texts)], strict=True)):
            prefix = f"{question}-options-{index}"
            self.fill(f"{prefix}-text", text)
            self.choose(f"{prefix}-effectiveness", rating)
            self.fill(f"{prefix}-rationale", f"Vì: {text.lower()}.")

    def question(self, stage: int, number: int, kind: str, prompt: str) -> str:
        """Add question `number` (1-based) to the stage, of this type; returns its field prefix."""
        self.press(f"Thêm câu hỏi cho giai đoạn {stage + 1}", f"f-stages-{stage}")
        prefix = f"stages-{stage}-questions-{number - 1}"
        self.choose(f"{prefix}-type", kind)
        self.fill(f"{prefix}-prompt", prompt)
        return prefix


def test_an_instructor_writes_a_branching_case_with_every_question_type(page, browser, live_server):
    title = f"Đối thoại với hộ dân phản đối điểm tập kết rác ({page.viewport_name})"
    sign_in(page, "giangvien")
    page.goto(f"/instructor/modules/{MODULE}/cases/new/form")
    form = Form(page)
    form.fill("title", title)
    form.choose("kind", "mass_gathering")
    form.fill("summary", "Hộ dân tụ tập phản đối điểm tập kết rác mới; Bí thư chỉ đạo đối thoại.")
    form.fill("scenario", "Sáng thứ Hai, khoảng 30 hộ dân tập trung trước trụ sở UBND xã.")
    form.fill("debrief", "Đối thoại sớm, đúng thẩm quyền, công khai thông tin là cách làm đúng.")
    form.fill("stages-0-title", "Buổi sáng ở trụ sở")
    form.fill("stages-0-text", "Người dân mang băng rôn, yêu cầu gặp Bí thư.")
    form.fill("stages-0-questions-0-prompt", "Việc đầu tiên đồng chí làm là gì?")
    form.options("stages-0-questions-0", ["Chỉ đạo Chủ tịch UBND xã đối thoại ngay", "Hẹn tuần sau trả lời",
                                          "Nhờ công an giải tán"])
    cue = page.locator("#f-stages-0-questions-0 .live-cue")
    expect(cue).to_contain_text("dài hơn hẳn")  # warned while typing
    form.fill("stages-0-questions-0-options-0-text", "Đối thoại; lập biên bản; báo cáo")  # the best alone as steps
    expect(cue).to_contain_text("dấu chấm phẩy")
    form.fill("stages-0-questions-0-options-0-text", "Chỉ đạo Chủ tịch UBND xã đối thoại ngay")
    expect(cue).not_to_contain_text("dấu chấm phẩy")
    page.evaluate("window.stillHere = true")
    form.press("Thêm giai đoạn")
    expect(page.locator("#f-stages-1")).to_be_visible()
    assert page.evaluate("window.stillHere === true")  # with JavaScript the part is added without a reload
    assert page.evaluate("location.hash") == "#f-stages-1"  # and the author is taken to it
    form.press("Thêm giai đoạn")
    assert page.locator('[name="stages-0-questions-0-options-0-text"]').input_value().startswith("Chỉ đạo")
    form.choose("stages-0-questions-0-options-0-next", "s2")  # chosen by stage number and title, never typed
    form.choose("stages-0-questions-0-options-1-next", "s3")
    form.choose("stages-0-questions-0-options-2-next", "s3")

    form.fill("stages-1-title", "Buổi đối thoại")
    form.fill("stages-1-text", "Hai bên ngồi lại tại hội trường xã.")
    q = form.question(1, 1, "best_worst", "Cách làm nào hiệu quả nhất và kém nhất?")
    form.options(q, ["Công khai hồ sơ quy hoạch điểm rác", "Lắng nghe và ghi biên bản", "Hứa dời điểm rác ngay",
                     "Cắt ngang ý kiến"], add=4)
    q = form.question(1, 2, "rank", "Xếp thứ tự các bước sau đối thoại.")
    form.options(q, ["Báo cáo Đảng ủy", "Thông tin kết quả cho dân", "Đóng hồ sơ"], add=3, qnumber=2)
    form.choose(f"{q}-shuffle", "no")  # unshuffled, the options would stand in the key's order
    expect(page.locator(f"#f-{q} .live-cue")).to_contain_text("theo thứ tự của đáp án")
    form.choose(f"{q}-shuffle", "")
    expect(page.locator(f"#f-{q} .live-cue")).to_have_count(0)
    q = form.question(1, 3, "rate", "Đánh giá từng việc.")
    form.options(q, ["Mời Mặt trận giám sát", "Để cán bộ thôn tự lo", "Cấm quay phim"], add=3, qnumber=3)

    form.fill("stages-2-title", "Sự việc căng thẳng")
    form.fill("stages-2-text", "Người dân không giải tán, có người phát trực tiếp lên mạng.")
    q = form.question(2, 1, "multi", "Chọn mọi việc nên làm.")
    form.options(q, ["Cử người đối thoại tại chỗ", "Thông tin chính thức trên trang của xã", "Tắt điện hội trường"],
                 add=3)
    q = form.question(2, 2, "written", "Trình bày phương án xử lý của đồng chí.")
    form.fill(f"{q}-points", "2")
    form.press("Xem trước")  # a new page, where the written question's rubric part appears
    form.press("Thêm tiêu chí chấm cho câu hỏi 2", f"f-{q}")
    form.fill(f"{q}-rubric-0-title", "Đúng thẩm quyền")
    form.press("Thêm mức cho tiêu chí 1", f"f-{q}-rubric-0")
    form.press("Thêm mức cho tiêu chí 1", f"f-{q}-rubric-0")
    form.fill(f"{q}-rubric-0-levels-0-points", "0")
    form.fill(f"{q}-rubric-0-levels-0-description", "Không nêu ai quyết định")
    form.fill(f"{q}-rubric-0-levels-1-points", "2")
    form.fill(f"{q}-rubric-0-levels-1-description", "Chủ tịch UBND xã đối thoại, Đảng ủy lãnh đạo")
    assert page.locator("details.advanced[open]").count() == 0  # no id was ever opened, let alone typed

    page.get_by_role("button", name="Xem trước").first.click()
    expect(page.locator("section.problems")).to_have_count(0)
    expect(page.get_by_role("heading", name=re.compile(re.escape(title))).first).to_be_visible()
    page.get_by_role("button", name="Xuất bản").first.click()
    expect(page.get_by_role("status").first).to_contain_text("Đã xuất bản")
    expect(page.get_by_text(re.compile("câu hỏi có dấu hiệu lộ đáp án"))).to_be_visible()  # the longest-best cue
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]

    learner = browser.new_context(base_url=live_server, locale="vi-VN").new_page()
    sign_in(learner, "hocvien")
    learner.goto(f"/modules/{MODULE}")
    learner.get_by_role("link", name=title).click()
    expect(learner.get_by_role("heading", name=title)).to_be_visible()
    learner.context.close()
