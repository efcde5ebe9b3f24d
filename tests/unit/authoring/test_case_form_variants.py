"""The structured case form holds question variants: every shipped case makes the round trip through the form
unchanged; a variant gives only what differs from its question; add, remove and move a variant, never on a
branching question; where the form would change a case."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from lms.authoring import case_form, case_form_ops
from lms.content.validate_case import parse_case_text
from tests.conftest import CASE_FIXTURE
from tests.unit.authoring.form_fields import flatten
from tests.unit.content.test_variants import with_variant

SHIPPED = sorted(Path(__file__).resolve().parents[3].joinpath("content", "modules").glob("*/cases/*.md"))
WRITTEN_VARIANT = """        variants:
          - prompt: "Đồng chí xử lý thế nào?"
"""


def fixture_with_variants() -> str:
    """The fixture case with a variant on q3 (multi, its own options) and one on q5 (written, prompt only)."""
    text = with_variant(CASE_FIXTURE.read_text(encoding="utf-8"))
    last_level = '              - {points: 2, description: "Đầy đủ"}\n'
    assert text.count(last_level) == 1
    return text.replace(last_level, last_level + WRITTEN_VARIANT)


def definition(text: str, slug: str = "tranh-chap-loi-di"):
    """The case in a text, which must be valid."""
    case, problems = parse_case_text(text, slug)
    assert problems == [], problems
    return case


def through_the_form(data: dict, slug: str):
    """The case the form's text gives once posted as a browser would, and its problems."""
    posted = case_form.parse_form(flatten(data))
    return parse_case_text(case_form.build_text({**posted, "slug": slug}), slug)


def test_most_shipped_cases_have_variants():
    """The round trip below is about variants: the shipped course must give it some."""
    assert len(SHIPPED) >= 70
    assert sum("variants:" in path.read_text(encoding="utf-8") for path in SHIPPED) >= 70


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_a_shipped_case_loaded_into_the_form_and_saved_unchanged_is_the_same_case(path):
    text = path.read_text(encoding="utf-8")
    case = definition(text, path.stem)
    again, problems = through_the_form(case_form.from_definition(case), path.stem)
    assert problems == [] and again == case, f"{path}: the form changed the case"
    again, problems = through_the_form(case_form.from_text(text, path.stem), path.stem)  # as a draft opens
    assert problems == [] and again == case, f"{path}: the form changed the case read as a draft"
    assert case_form.unrepresented(case) is None
    form_questions = [q for s in case_form.from_definition(case)["stages"] for q in s["questions"]]
    assert [case_form.is_branching(q) for q in form_questions] == [q.is_branching for s in case.stages
                                                                   for q in s.questions]


def test_a_variant_shows_blank_what_it_takes_from_its_question():
    case = definition(fixture_with_variants())
    data = case_form.from_definition(case)
    multi, written = data["stages"][1]["questions"][1], data["stages"][2]["questions"][1]
    assert [v["prompt"] for v in multi["variants"]] == ["Nên làm gì trước tiên?"]
    assert [o["id"] for o in multi["variants"][0]["options"]] == ["x", "y", "z"]
    assert written["variants"] == [{"prompt": "Đồng chí xử lý thế nào?", "points": "", "choice_points": "",
                                    "shuffle": "", "options": [], "rubric": []}]
    q5 = case.stages[2].questions[1]
    assert q5.variants[0].rubric == q5.rubric and q5.variants[0].points == 2  # taken from the question


def test_what_a_variant_gives_of_its_own_is_written_to_the_file():
    case = definition(fixture_with_variants())
    data = case_form.from_definition(case)
    variant = data["stages"][2]["questions"][1]["variants"][0]
    variant.update(points="3", shuffle="yes", rubric=[{"id": "", "title": "Lập luận", "levels": [
        {"points": "0", "description": "Không có"}, {"points": "1", "description": "Có"}]}])
    text = case_form.build_text(case_form.ensure_ids({**data, "slug": case.slug}))
    assert "shuffle: true" in text and "points: 3" in text
    again, problems = parse_case_text(text, case.slug)
    assert problems == []
    drawn = again.stages[2].questions[1].variants[0]
    assert (drawn.points, drawn.shuffle, [c.id for c in drawn.rubric]) == (3, True, ["c1"])
    assert again.stages[2].questions[1].points == 2 and again.stages[2].questions[1].shuffle is False
    reopened = case_form.from_text(text, case.slug)["stages"][2]["questions"][1]["variants"][0]
    assert (reopened["points"], reopened["shuffle"], len(reopened["rubric"])) == ("3", "yes", 1)


def test_adding_a_variant_starts_from_a_copy_of_the_question():
    data = case_form.from_definition(definition(CASE_FIXTURE.read_text(encoding="utf-8")))
    added = case_form_ops.apply_op(data, "add:stages-1-questions-1-variants")
    question = added["stages"][1]["questions"][1]
    assert question["variants"] == [{"prompt": question["prompt"], "points": "", "choice_points": "", "shuffle": "",
                                     "options": question["options"], "rubric": []}]
    question["variants"][0]["options"][0]["text"] = "Đã sửa ở biến thể"
    assert question["options"][0]["text"] == "Đối chiếu hồ sơ địa chính"  # a copy, not the same options
    assert data["stages"][1]["questions"][1]["variants"] == []  # the button works on a copy of the form
    more = case_form_ops.apply_op(added, "add:stages-1-questions-1-variants-0-options")
    assert [o["id"] for o in more["stages"][1]["questions"][1]["variants"][0]["options"]] == ["a", "b", "c", "d"]
    again, problems = through_the_form(added, "tranh-chap-loi-di")
    assert problems == [] and again.stages[1].questions[1].variants[0].options[0].text == "Đã sửa ở biến thể"


def test_removing_a_variant_keeps_the_others():
    data = case_form.from_definition(definition(fixture_with_variants()))
    data = case_form_ops.apply_op(data, "add:stages-1-questions-1-variants")
    assert len(data["stages"][1]["questions"][1]["variants"]) == 2
    left = case_form_ops.apply_op(data, "remove:stages-1-questions-1-variants-0")["stages"][1]["questions"][1]
    assert [v["prompt"] for v in left["variants"]] == ["Chọn các việc nên làm"]
    for bad in ("remove:stages-1-questions-1-variants-5", "add:stages-1-questions-1-variants-0-variants",
                "add:stages-1-questions-1-variants-0-levels"):
        with pytest.raises(case_form_ops.FormOpError):
            case_form_ops.apply_op(data, bad)


def test_a_branching_question_takes_no_variant():
    data = case_form.from_definition(definition(CASE_FIXTURE.read_text(encoding="utf-8")))
    q1 = data["stages"][0]["questions"][0]  # its options lead to s2a and s2b
    assert case_form.is_branching(q1) and not case_form.is_branching(data["stages"][1]["questions"][1])
    with pytest.raises(case_form_ops.VariantOfBranchingQuestion) as refused:
        case_form_ops.apply_op(data, "add:stages-0-questions-0-variants")
    assert (refused.value.code, refused.value.status, refused.value.params) == (
        "variant_of_branching_question", 409, {"stage": 1, "question": 1})
    for item in q1["options"]:
        item["next"] = " "  # every option back to the default next stage
    added = case_form_ops.apply_op(data, "add:stages-0-questions-0-variants")
    assert len(added["stages"][0]["questions"][0]["variants"]) == 1


def test_variants_move_up_and_down_whole():
    data = case_form.from_definition(definition(fixture_with_variants()))
    data = case_form_ops.apply_op(data, "add:stages-1-questions-1-variants")
    data["stages"][1]["questions"][1]["variants"][1].update(prompt="Biến thể thứ hai", points="2")
    first, second = data["stages"][1]["questions"][1]["variants"]
    moved = case_form_ops.apply_op(data, "down:stages-1-questions-1-variants-0")
    assert moved["stages"][1]["questions"][1]["variants"] == [second, first]  # options, rubric and all
    assert case_form_ops.apply_op(moved, "up:stages-1-questions-1-variants-1") == data
    assert case_form_ops.apply_op(data, "up:stages-1-questions-1-variants-0") == data  # the first stays first
    assert case_form_ops.apply_op(data, "down:stages-1-questions-1-variants-1") == data  # the last stays last
    again, problems = through_the_form(moved, "tranh-chap-loi-di")
    assert problems == [] and [v.prompt for v in again.stages[1].questions[1].variants] == [
        "Biến thể thứ hai", "Nên làm gì trước tiên?"]
    with pytest.raises(case_form_ops.FormOpError):
        case_form_ops.apply_op(data, "down:stages-1-questions-1-variants-2")


def test_a_variants_own_rubric_starts_from_its_questions():
    data = case_form.from_definition(definition(fixture_with_variants()))
    path = "stages-2-questions-1-variants-0-rubric"
    own = case_form_ops.apply_op(data, f"add:{path}")
    assert own["stages"][2]["questions"][1]["variants"][0]["rubric"] == data["stages"][2]["questions"][1]["rubric"]
    more = case_form_ops.apply_op(own, f"add:{path}")["stages"][2]["questions"][1]["variants"][0]["rubric"]
    assert [c["id"] for c in more] == ["basis", "plan", "c1"] and more[-1]["levels"] == []


def test_ids_left_blank_in_a_variant_are_made_in_that_variant():
    data = case_form.from_definition(definition(fixture_with_variants()))
    variant = data["stages"][1]["questions"][1]["variants"][0]
    for item in variant["options"]:
        item["id"] = ""
    posted = case_form.parse_form(flatten(data))
    assert [o["id"] for o in posted["stages"][1]["questions"][1]["variants"][0]["options"]] == ["a", "b", "c"]


def test_where_the_form_would_change_a_case_is_named():
    case = definition(fixture_with_variants())
    stage = case.stages[1]
    q3 = stage.questions[1]
    odd = replace(q3, variants=(replace(q3.variants[0], id="khac"),))  # a variant's id is always its question's
    changed = replace(case, stages=(case.stages[0], replace(stage, questions=(stage.questions[0], odd)),
                                    case.stages[2]))
    assert case_form.unrepresented(changed) == "stages[1].questions[1].variants[0]"
    assert case_form.unrepresented(replace(case, title="")) == ""  # the form's text would not even be valid
    assert case_form.unrepresented(case) is None
