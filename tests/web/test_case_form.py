"""The structured case form: parsing and building case files, structure buttons, publishing, problems, permissions."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from lms.authoring import case_form, case_form_ops
from lms.content.validate_case import parse_case_text
from lms.extensions import db
from lms.models import Case, CaseVersion, ContentDraft, Role
from tests.conftest import csrf_token
from tests.unit.authoring.form_fields import flatten
from tests.web.test_authoring import actions, count


def send(client, path, data: dict, **buttons):
    """Post the form as the browser would: every field, the pressed button and the page's CSRF token."""
    return client.post(path, data={"csrf_token": csrf_token(client, path), **flatten(data), **buttons})


def option(id_, text, effectiveness, next_=""):
    return {"id": id_, "text": text, "effectiveness": str(effectiveness), "rationale": f"Vì {text.lower()}.",
            "basis": "", "next": next_}


def question(id_, type_, options, rubric=()):
    return {"id": id_, "type": type_, "prompt": f"Câu hỏi {id_}?", "points": "1", "choice_points": "",
            "options": list(options), "rubric": list(rubric)}


def stage(id_, questions, next_=""):
    return {"id": id_, "title": f"Giai đoạn {id_}", "text": "Diễn biến.", "next": next_, "questions": questions}


def branching_case() -> dict:
    """One branching best_action stage leading to two final stages, as typed in the form."""
    first = question("q1", "best_action", [option("a", "Đối thoại", 4, "s2a"), option("b", "Làm ngơ", 1, "s2b"),
                                           option("c", "Báo cáo", 3, "s2a")])
    written = question("q3", "written", [], [{"id": "can-cu", "title": "Căn cứ", "levels": [
        {"points": "0", "description": "Không nêu"}, {"points": "2", "description": "Nêu đúng"}]}])
    return {"slug": "doi-thoai-dan-cu", "title": "Đối thoại với dân cư", "kind": "mass_gathering",
            "summary": "Một tình huống thử.", "required": True, "roles": "Bí thư Đảng ủy",
            "scenario": "Người dân tụ tập trước trụ sở.", "debrief": "Đối thoại là đúng.",
            "stages": [stage("s1", [first]),
                       stage("s2a", [question("q2", "rate", [
                           option("a", "Ghi biên bản", 4), option("b", "Hứa suông", 2), option("c", "Giải tán", 1)])]),
                       stage("s2b", [written])]}


# The pure functions ----------------------------------------------------------------------------------------

def test_parse_form_orders_parts_by_index_and_ignores_unknown_fields():
    data = case_form.parse_form({"stages-1-id": "s2", "stages-0-id": "s1", "stages-0-questions-10-id": "q10",
                                 "stages-0-questions-2-id": "q2", "stages-0-bogus": "x", "evil-0-id": "x",
                                 "title": " Tiêu đề\r\n", "stages-0-questions-2-options-0-text": "A\r\nB"})
    assert [s["id"] for s in data["stages"]] == ["s1", "s2"]
    assert [q["id"] for q in data["stages"][0]["questions"]] == ["q2", "q10"]
    assert data["title"] == "Tiêu đề" and data["required"] is False and "bogus" not in data["stages"][0]
    assert data["stages"][0]["questions"][0]["options"][0]["text"] == "A\nB"


def test_structure_operations_add_remove_and_move():
    data = branching_case()
    moved = case_form_ops.apply_op(data, "up:stages-0-questions-0-options-2")
    assert [o["id"] for o in moved["stages"][0]["questions"][0]["options"]] == ["a", "c", "b"]
    added = case_form_ops.apply_op(data, "add:stages-2-questions-0-rubric-0-levels")
    assert added["stages"][2]["questions"][0]["rubric"][0]["levels"][-1] == {"points": "", "description": ""}
    assert len(case_form_ops.apply_op(data, "remove:stages-1")["stages"]) == 2 and len(data["stages"]) == 3
    for bad in ("add:stages-9-questions", "remove:stages-0-options-0", "drop:stages-0", "add:title", "up:stages-x"):
        with pytest.raises(case_form_ops.FormOpError):
            case_form_ops.apply_op(data, bad)


# Over HTTP -------------------------------------------------------------------------------------------------

def test_structure_buttons_keep_what_was_typed_and_save_nothing(author, case, base):
    path = f"{base}/cases/new/form"
    data = branching_case()
    data["stages"][0]["questions"][0]["options"][1]["text"] = "Phương án <đang gõ>"
    page = send(author, path, data, op="add:stages-0-questions-0-options").get_data(as_text=True)
    assert 'name="stages-0-questions-0-options-3-text"' in page and "Phương án &lt;đang gõ&gt;" in page
    assert 'value="doi-thoai-dan-cu"' in page and "Người dân tụ tập trước trụ sở." in page
    page = send(author, path, data, op="down:stages-0-questions-0-options-0").get_data(as_text=True)
    first = re.search(r'name="stages-0-questions-0-options-0-text" rows="\d+">\n(.*?)</textarea>', page).group(1)
    assert first == "Phương án &lt;đang gõ&gt;"
    page = send(author, path, data, op="remove:stages-2").get_data(as_text=True)
    assert 'name="stages-2-id"' not in page and 'value="s2a"' in page
    assert send(author, path, data, op="remove:stages-7").status_code == 400
    assert count(ContentDraft) == 0 and count(CaseVersion) == 1


def test_publishing_a_case_built_from_scratch_creates_version_1(author, case, base):
    response = send(author, f"{base}/cases/new/form", branching_case(), action="publish")
    assert response.status_code == 302, response.get_data(as_text=True)
    created = db.session.scalar(select(Case).where(Case.slug == "doi-thoai-dan-cu"))
    assert created.current.version == 1 and created.module_id == case.module_id
    definition, problems = parse_case_text(created.current.source_md, created.slug)
    assert problems == [] and [s.id for s in definition.stages] == ["s1", "s2a", "s2b"]
    assert definition.stages[0].questions[0].options[1].next == "s2b" and definition.roles == ("Bí thư Đảng ủy",)
    assert actions() == ["case.published"]


def test_an_invalid_form_shows_where_and_publishes_nothing(author, case, base):
    data = branching_case()
    data["stages"][0]["questions"][0]["options"][0]["effectiveness"] = ""
    data["stages"][1]["questions"][0]["type"] = "best_choice"
    response = send(author, f"{base}/cases/new/form", data, action="publish")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Giai đoạn 1, câu hỏi 1, phương án 1" in page and 'href="#f-stages-0-questions-0-options-0"' in page
    assert "Giai đoạn 2, câu hỏi 1" in page and "best_choice" in page
    assert count(CaseVersion) == 1  # nothing published, but nothing typed is lost: it is the draft
    assert count(ContentDraft) == 1 and "lưu thành bản nháp" in page


def test_editing_saves_a_draft_reopens_it_and_previews(author, case, base):
    path = f"{base}/cases/{case.slug}/form"
    page = author.get(path).get_data(as_text=True)
    assert 'name="stages-0-questions-0-options-0-effectiveness"' in page and "Tốt nhất" in page
    data = case_form.parse_form(flatten(case_form.from_text(case.current.source_md, case.slug)))
    data["title"] = "Tên mới, chưa xong"
    data["stages"][0]["questions"][0]["options"][0]["effectiveness"] = ""
    assert send(author, path, data, action="draft").status_code == 302
    assert db.session.scalar(select(ContentDraft.text)) == case_form.build_text({**data, "slug": case.slug})
    assert "Tên mới, chưa xong" in author.get(path).get_data(as_text=True)
    data["stages"][0]["questions"][0]["options"][0]["effectiveness"] = "4"
    preview = send(author, path, data, action="preview")
    assert preview.status_code == 200 and 'id="preview-title"' in preview.get_data(as_text=True)
    assert count(CaseVersion) == 1 and actions() == ["draft.saved"]


def test_a_taken_slug_is_refused(author, case, base):
    data = {**branching_case(), "slug": case.slug}
    response = send(author, f"{base}/cases/new/form", data, action="draft")
    assert response.status_code == 400 and count(ContentDraft) == 0


@pytest.mark.parametrize("who", [Role.LEARNER, Role.INSTRUCTOR])
def test_only_module_authors_reach_the_form(login_as, case, base, who):
    client = login_as(who)
    for path in (f"{base}/cases/new/form", f"{base}/cases/{case.slug}/form"):
        assert client.get(path).status_code == 403
        token = csrf_token(client, "/")
        assert client.post(path, data={"csrf_token": token, **flatten(branching_case()),
                                       "action": "publish"}).status_code == 403
    assert count(CaseVersion) == 1


def test_unknown_cases_and_modules_are_not_found(author, case, base):
    assert author.get(f"{base}/cases/khong-co/form").status_code == 404
    assert author.get("/instructor/modules/99-khong-co/cases/new/form").status_code == 404


def test_every_input_has_a_label_and_no_inline_style(author, case, base):
    data = branching_case()
    page = send(author, f"{base}/cases/new/form", data, op="add:stages-2-questions-0-rubric").get_data(as_text=True)
    form = page.split('class="case-form"')[1].split("</form>")[0]
    ids = re.findall(r'<(?:input|select|textarea) (?:type="(?:text|checkbox)" )?id="([^"]+)"', form)
    labelled = set(re.findall(r'<label[^>]* for="([^"]+)"', form))
    assert len(ids) > 60 and set(ids) <= labelled and len(ids) == len(set(ids))
    # fieldsets: case and debrief, 3 stages, 3 questions, 6 options, 2 criteria, 2 levels
    assert "style=" not in page and form.count("<fieldset") == 2 + 3 + 3 + 6 + 2 + 2


def test_ids_are_made_for_the_author_and_cues_show_beside_the_question(author, case, base):
    data = branching_case()
    for stage in data["stages"]:  # an author who never opens "advanced" leaves every id blank
        for q in stage["questions"]:
            q["id"] = ""
            for o in q["options"]:
                o["id"] = ""
            for c in q["rubric"]:
                c["id"] = ""
    data["stages"][0]["questions"][0]["options"][0]["text"] = (
        "Đối thoại ngay tại trụ sở với đại diện người dân, có Mặt trận và công an xã, ghi biên bản và hẹn trả lời")
    page = send(author, f"{base}/cases/new/form", data, action="preview").get_data(as_text=True)
    assert "Dấu hiệu lộ đáp án:" in page and "câu hỏi có dấu hiệu lộ đáp án" in page
    assert 'name="stages-0-questions-0-id" value="q1"' in page and 'name="stages-2-questions-0-id" value="q3"' in page
    assert 'name="stages-0-questions-0-options-2-id" value="c"' in page
    assert 'name="stages-2-questions-0-rubric-0-id" value="c1"' in page
    assert '<option value="s2a" selected>' in page  # links between stages kept, shown by stage number and title
    assert "Giai đoạn 2: " in page
