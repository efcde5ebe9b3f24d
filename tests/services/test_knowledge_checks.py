"""A knowledge check counts in the module grade for the module's weight, beside the situation cases."""
from __future__ import annotations

from werkzeug.datastructures import MultiDict

from lms.cases import services as attempts
from lms.catalog.store import new_case_version
from lms.catalog.urls import resolver_factory
from lms.content.validate_case import parse_case_text
from lms.extensions import db
from lms.grades.ledger import compute_module_grade
from lms.models import Case
from tests.conftest import play_attempt
from tests.document_helpers import GOOD_PATH

CHECK = """---
title: "Kiểm tra kiến thức: thẩm quyền ở xã"
kind: knowledge_check
summary: "Những điều Bí thư cần nắm."
stages:
  - id: k1
    title: "Câu hỏi"
    text: ""
    questions:
      - id: k1q1
        type: best_action
        shuffle: false
        prompt: "Ai giải quyết tranh chấp đất đai giữa hai hộ ở xã khi hòa giải không thành?"
        options:
          - {id: a, text: "Chủ tịch UBND xã, theo thẩm quyền luật định", effectiveness: 4, rationale: "Đúng."}
          - {id: b, text: "Bí thư Đảng ủy xã, theo nghị quyết của Đảng ủy", effectiveness: 1, rationale: "Sai."}
          - {id: c, text: "Trưởng thôn, theo hương ước của thôn", effectiveness: 1, rationale: "Sai."}
---
## Tình huống

Kiểm tra nhanh.

## Tổng kết

Đáp án theo bản đồ thẩm quyền.
"""


def add_check(app, case, now) -> Case:
    """A knowledge check in the same module as the case."""
    definition, problems = parse_case_text(CHECK, "kiem-tra-tham-quyen")
    assert not problems, problems
    check = Case(module=case.module, slug="kiem-tra-tham-quyen", position=2)
    db.session.add(check)
    db.session.flush()
    new_case_version(check, definition, resolver_factory(app)(case.module.key), now)
    db.session.commit()
    return check


def test_the_module_grade_weighs_the_knowledge_check(app, case, learner, make_cohort, now):
    cohort = make_cohort(learners=[learner])
    check = add_check(app, case, now)
    attempt = play_attempt(learner, case, GOOD_PATH, now, commit=False)
    assert compute_module_grade(learner.id, case.module, cohort.id) is None  # the check is not done yet
    quiz = attempts.start_attempt(learner, check, now)
    attempts.save_answers(quiz, attempts.read_answers(quiz, MultiDict({"q-k1q1": "b"})), now)
    attempts.submit_attempt(quiz, now)
    db.session.commit()
    assert attempt.score == 10.0 and quiz.score == 0.0
    assert compute_module_grade(learner.id, case.module, cohort.id) == 8.0  # 0.8 * 10 + 0.2 * 0
