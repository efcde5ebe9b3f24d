"""Question variants: read from the case file, written back, drawn per attempt, refused where they branch."""
from __future__ import annotations

from collections import Counter

from lms.content.export import dump_case
from lms.content.validate_case import parse_case_text
from lms.domain.presentation import draw_variant, paper_for
from tests.conftest import CASE_FIXTURE

VARIANT = """        variants:
          - prompt: "Nên làm gì trước tiên?"
            options:
              - id: x
                text: "Mời hai bên hòa giải tại tổ dân phố"
                effectiveness: 4
                rationale: "Đúng trình tự."
              - id: y
                text: "Lập biên bản xử phạt ngay"
                effectiveness: 1
                rationale: "Vượt thẩm quyền."
              - id: z
                text: "Đợi có đơn mới xem xét"
                effectiveness: 2
                rationale: "Chậm."
"""


def with_variant(text: str) -> str:
    """The fixture case with a variant on its multi question (q3, which does not branch)."""
    last_option = '          - {id: c, text: "Ép ký biên bản", effectiveness: 1, rationale: "Có hại."}\n'
    assert last_option in text
    return text.replace(last_option, last_option + VARIANT, 1)


def parsed(text: str):
    """The case and its problems."""
    return parse_case_text(text, "tranh-chap-loi-di")


def test_a_variant_is_read_with_the_questions_id_and_type_and_written_back():
    case, problems = parsed(with_variant(CASE_FIXTURE.read_text(encoding="utf-8")))
    assert problems == [], problems
    q3 = next(q for s in case.stages for q in s.questions if q.id == "q3")
    assert len(q3.variants) == 1 and q3.variants[0].id == "q3" and q3.variants[0].type == q3.type
    assert q3.variants[0].render_key == "q3~1"
    again, problems = parsed(dump_case(case))
    assert problems == [] and again == case


def test_each_attempt_draws_a_version_and_keeps_it():
    case, _ = parsed(with_variant(CASE_FIXTURE.read_text(encoding="utf-8")))
    q3 = next(q for s in case.stages for q in s.questions if q.id == "q3")
    drawn = Counter(draw_variant(q3, seed).variant for seed in range(200))
    assert set(drawn) == {0, 1} and min(drawn.values()) > 60
    assert all(draw_variant(q3, 7) == draw_variant(q3, 7) for _ in range(3))
    assert draw_variant(q3, None) is q3
    paper = paper_for(case, 7)
    assert next(q for s in paper.stages for q in s.questions if q.id == "q3") == draw_variant(q3, 7)


def test_a_branching_question_cannot_have_variants():
    text = CASE_FIXTURE.read_text(encoding="utf-8")
    anchor = "        options:\n          - id: a\n            text: \"Chỉ đạo hòa giải đúng quy định\""
    branched = text.replace(anchor, VARIANT + anchor, 1)
    _case, problems = parsed(branched)
    assert any("cannot branch" in p.message for p in problems)
