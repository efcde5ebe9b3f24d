"""Every question type is one grader and one web plugin; the plugin's fields round-trip to the grader."""
from __future__ import annotations

import random

import pytest
from flask import render_template_string
from werkzeug.datastructures import MultiDict

from lms.cases.questions import TamperedAnswer, registered_types, ui_for
from lms.domain.cases import QuestionType
from lms.domain.grading import GRADERS, grade
from lms.domain.presentation import shown
from tests.unit.domain.builders import question, written

QUESTIONS = {
    QuestionType.BEST_ACTION: question("best_action", 2, 4, 1),
    QuestionType.BEST_WORST: question("best_worst", 3, 1, 4, 2),
    QuestionType.RANK: question("rank", 2, 4, 1, 3),
    QuestionType.RATE: question("rate", 4, 1, 3),
    QuestionType.MULTI: question("multi", 4, 1, 3, 2),
    QuestionType.WRITTEN: written(1, 4, 2),
}


def test_every_question_type_has_a_grader_and_a_web_plugin():
    assert set(registered_types()) == set(GRADERS) == set(QuestionType) == set(QUESTIONS)


@pytest.mark.parametrize("kind", list(QuestionType))
def test_a_good_example_answer_read_back_from_the_form_earns_full_marks(kind):
    q = QUESTIONS[kind]
    ui = ui_for(q)
    state = ui.read(shown(q, 7), MultiDict(ui.example_form(shown(q, 7), True, random.Random(1))))
    assert ui.incomplete(q, state) is None
    result = grade(q, ui.to_response(q, state), {"basis": 2, "steps": 3} if kind == QuestionType.WRITTEN else None)
    assert result.points == pytest.approx(result.max_points)


@pytest.mark.parametrize("kind", list(QuestionType))
def test_an_empty_form_is_not_an_answer_and_a_forged_option_is_refused(kind):
    q, ui = QUESTIONS[kind], ui_for(QUESTIONS[kind])
    assert ui.to_response(q, ui.read(shown(q, 7), MultiDict())) is None
    forged = MultiDict((name, "zz") for name, _v in ui.example_form(shown(q, 7), True, random.Random(1)) if "text" not in name)
    with pytest.raises(TamperedAnswer):
        ui.read(shown(q, 7), forged)


def test_a_half_ranked_question_is_incomplete():
    q = QUESTIONS[QuestionType.RANK]
    state = ui_for(q).read(shown(q, None), MultiDict({"q-q1-rank-a": "1", "q-q1-rank-b": "1"}))
    assert ui_for(q).incomplete(q, state) == "rank_incomplete"


@pytest.mark.parametrize("kind", list(QuestionType))
def test_each_plugin_draws_its_inputs_and_says_how_to_answer(app, kind):
    q = QUESTIONS[kind]
    h = {"prompt": "?", "options": {o.id: {"text": o.text} for o in q.options}}
    with app.test_request_context("/"):
        html = render_template_string('{% from "cases/_inputs.html" import question_inputs with context %}'
                                      "{{ question_inputs(q, h, {}, None, view) }}", q=q, h=h, view=shown(q, None))
        assert ui_for(q).instruction() in html
    for name, _value in ui_for(q).example_form(shown(q, None), True, random.Random(1)):
        assert f'name="{name}"' in html
