"""A key correction regrades only what the learner saw unchanged."""
from __future__ import annotations

from dataclasses import replace

from lms.domain.cases import QuestionType
from lms.domain.key_correction import corrected_definition

from .builders import case, question, stage

ANSWERED = case(stage("s1", question(QuestionType.BEST_ACTION, 4, 1, 2, qid="q1"),
                      question(QuestionType.RANK, 4, 3, 1, qid="q2")))


def test_a_changed_rating_on_the_same_options_takes_the_corrected_key():
    q1 = ANSWERED.stages[0].questions[0]
    fixed = replace(q1, options=(replace(q1.options[0], effectiveness=1), replace(q1.options[1], effectiveness=4),
                                 q1.options[2]))
    corrected = replace(ANSWERED, stages=(replace(ANSWERED.stages[0], questions=(fixed,
                                                                                 ANSWERED.stages[0].questions[1])),))
    merged, changed = corrected_definition(ANSWERED, corrected)
    assert changed == ("q1",)
    assert [o.effectiveness for o in merged.stages[0].questions[0].options] == [1, 4, 2]
    assert merged.stages[0].questions[1] == ANSWERED.stages[0].questions[1]


def test_options_the_learner_did_not_see_are_never_used():
    q2 = ANSWERED.stages[0].questions[1]
    reworded = replace(q2, options=(replace(q2.options[0], text="Một phương án khác", effectiveness=1),
                                    *q2.options[1:]))
    corrected = replace(ANSWERED, stages=(replace(ANSWERED.stages[0], questions=(ANSWERED.stages[0].questions[0],
                                                                                 reworded)),))
    merged, changed = corrected_definition(ANSWERED, corrected)
    assert changed == () and merged == ANSWERED
