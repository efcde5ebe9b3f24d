"""The structured case form edits a case whose questions have variants: it opens, shows each variant under its
question, keeps the variants on save, shows a variant's mistakes and cues at that variant, and adds, removes and
reorders variants without JavaScript, offering none on a branching question."""
from __future__ import annotations

import re
from dataclasses import replace

import pytest

from lms.authoring import case_form, case_form_ops
from lms.catalog.store import case_definition
from lms.extensions import db
from lms.models import CaseVersion, ContentDraft
from tests.unit.authoring.test_case_form_variants import fixture_with_variants
from tests.web.test_authoring import count
from tests.web.test_case_form import send

Q1 = "stages-0-questions-0"  # the first stage's question, whose options lead to s2a and s2b
Q3, Q5 = "stages-1-questions-1", "stages-2-questions-1"  # the multi question and the written one, each varied


@pytest.fixture
def case(make_case):
    """The module's case: the fixture case with a variant of q3 (its own options) and of q5 (prompt only)."""
    return make_case(text=fixture_with_variants())


@pytest.fixture
def path(base, case) -> str:
    """The case's form."""
    return f"{base}/cases/{case.slug}/form"


def form_data(case) -> dict:
    """The form's fields for the case's current version, as the page holds them."""
    return case_form.from_definition(case_definition(case.current, case.slug))


def part(page: str, anchor: str) -> str:
    """A fieldset's own lines: its legend, problems and warnings, up to its first inner part."""
    return page.split(f'id="{anchor}"', 1)[1].split("<fieldset", 1)[0]


def test_the_form_opens_a_case_with_variants_each_under_its_question(author, path):
    response = author.get(path)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Biến thể 1" in part(page, f"f-{Q3}-variants-0") and "Nên làm gì trước tiên?" in page
    assert f'name="{Q3}-variants-0-options-2-text"' in page and "Đợi có đơn mới xem xét" in page
    assert f'name="{Q3}-variants-0-options-0-next"' not in page  # a variant cannot branch: no "leads to"
    assert "Biến thể này được chấm theo tiêu chí chấm của câu hỏi gốc." in page  # q5's variant keeps its rubric
    assert page.index(f'id="f-{Q3}"') < page.index(f'id="f-{Q3}-variants-0"') < page.index('id="f-stages-2"')
    form = page.split('class="case-form"')[1].split("</form>")[0]
    ids = re.findall(r'<(?:input|select|textarea) (?:type="(?:text|checkbox)" )?id="([^"]+)"', form)
    assert set(ids) <= set(re.findall(r'<label[^>]* for="([^"]+)"', form)) and len(ids) == len(set(ids))
    assert f"{Q5}-variants-0-choice_points" in ids and f"{Q3}-variants-0-shuffle" in ids


def test_saving_from_the_form_keeps_the_variants(author, case, path):
    before = case_definition(case.current, case.slug)
    data = form_data(case)
    data["title"] = "Tranh chấp lối đi (sửa bằng biểu mẫu)"
    data["stages"][1]["questions"][1]["variants"][0]["prompt"] = "Việc gì trước tiên?"
    response = send(author, path, data, action="publish")
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.refresh(case)
    after = case_definition(case.current, case.slug)
    q3 = before.stages[1].questions[1]
    edited = replace(q3, variants=(replace(q3.variants[0], prompt="Việc gì trước tiên?"),))
    stage = replace(before.stages[1], questions=(before.stages[1].questions[0], edited))
    assert case.current.version == 2
    assert after == replace(before, title=data["title"], stages=(before.stages[0], stage, before.stages[2]))


def test_a_mistake_in_a_variant_is_shown_at_that_variant(author, case, path):
    data = form_data(case)
    data["stages"][1]["questions"][1]["variants"][0]["options"][0]["effectiveness"] = ""
    data["stages"][2]["questions"][1]["variants"][0]["points"] = "nhiều"
    response = send(author, path, data, action="publish")
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and count(CaseVersion) == 1
    assert f'href="#f-{Q3}-variants-0-options-0"' in page and "Giai đoạn 2, câu hỏi 2, biến thể 1, phương án 1" in page
    assert "form-problems" in part(page, f"f-{Q3}-variants-0-options-0")
    assert "form-problems" in part(page, f"f-{Q5}-variants-0") and "form-problems" not in part(page, f"f-{Q5}")
    assert "nhiều" in part(page, f"f-{Q5}-variants-0")  # what was typed stays


def test_a_cue_in_a_variant_shows_beside_that_variant(author, case, path):
    page = send(author, path, form_data(case), action="preview").get_data(as_text=True)
    assert "Dấu hiệu lộ đáp án:" in part(page, f"f-{Q3}-variants-0")  # its best option is 1.4 times the next
    assert "Dấu hiệu lộ đáp án:" not in part(page, f"f-{Q5}-variants-0")


def test_variants_are_added_and_removed_without_javascript(author, case, path):
    data = form_data(case)
    data["stages"][1]["questions"][1]["prompt"] = "Chọn <mọi> việc nên làm"  # typed, not yet saved
    page = send(author, path, data, op=f"add:{Q3}-variants").get_data(as_text=True)
    added = re.search(rf'name="{Q3}-variants-1-prompt" rows="\d+">\n(.*?)</textarea>', page, re.S).group(1)
    assert added == "Chọn &lt;mọi&gt; việc nên làm" and f'name="{Q3}-variants-1-options-2-text"' in page
    assert f'formaction="#f-{Q3}-variants-1"' in page  # the button took the author to the new variant
    page = send(author, path, data, op=f"remove:{Q3}-variants-0").get_data(as_text=True)
    assert f'name="{Q3}-variants-0-prompt"' not in page and "Nên làm gì trước tiên?" not in page
    page = send(author, path, data, op=f"add:{Q5}-variants-0-rubric").get_data(as_text=True)
    assert f'name="{Q5}-variants-0-rubric-1-title" value="Kế hoạch"' in page  # its own rubric, from the question's
    assert send(author, path, data, op=f"remove:{Q3}-variants-3").status_code == 400
    assert count(ContentDraft) == 0 and count(CaseVersion) == 1


def test_a_branching_question_offers_no_variant_and_says_why(author, case, path):
    page = author.get(path).get_data(as_text=True)
    q1 = page.split(f'id="f-{Q1}"', 1)[1].split('id="f-stages-1"', 1)[0]
    assert f'value="add:{Q1}-variants"' not in q1 and "Câu hỏi này rẽ nhánh" in q1
    assert f'value="add:{Q3}-variants"' in page
    data = form_data(case)
    data["stages"][1]["questions"][1]["options"][0]["next"] = "s2b"  # chosen after the page offered the button
    data["title"] = "Tiêu đề vừa sửa"
    response = send(author, path, data, op=f"add:{Q3}-variants")
    page = response.get_data(as_text=True)
    assert response.status_code == 409 and 'role="alert"' in page
    assert "Chưa thêm biến thể: câu hỏi 2 của giai đoạn 2 có phương án dẫn tới giai đoạn khác" in page
    assert f'name="{Q3}-variants-1-prompt"' not in page and 'value="Tiêu đề vừa sửa"' in page  # nothing typed lost
    assert count(ContentDraft) == 0 and count(CaseVersion) == 1


def test_variants_are_reordered_without_javascript(author, case, path):
    data = case_form_ops.apply_op(form_data(case), f"add:{Q3}-variants")
    data["stages"][1]["questions"][1]["variants"][1]["prompt"] = "Biến thể thứ hai"
    page = send(author, path, data, op=f"down:{Q3}-variants-0").get_data(as_text=True)
    prompts = re.findall(rf'name="{Q3}-variants-\d-prompt" rows="\d+">\n(.*?)</textarea>', page, re.S)
    assert prompts == ["Biến thể thứ hai", "Nên làm gì trước tiên?"]
    assert f'value="up:{Q3}-variants-0"' not in page and f'value="down:{Q3}-variants-1"' not in page
    down = re.search(rf'<button[^>]*value="down:{Q3}-variants-0"[^>]*>([^<]*)</button>', page)
    assert 'formaction="#f-' + Q3 + '-variants-1"' in down.group(0) and down.group(1) == (
        "Đưa biến thể 1 của câu hỏi 2 xuống")
    assert f'value="up:{Q3}-variants-1"' in page and count(ContentDraft) == 0


def test_a_case_the_form_would_change_opens_in_the_text_editor(author, case, path, monkeypatch):
    monkeypatch.setattr(case_form, "unrepresented", lambda definition: "stages[1].questions[1].variants[0]")
    response = author.get(path)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/cases/{case.slug}/edit")
    page = author.get(response.headers["Location"]).get_data(as_text=True)
    assert "Giai đoạn 2, câu hỏi 2, biến thể 1" in page and "trình soạn văn bản" in page
