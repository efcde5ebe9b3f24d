"""Regrading after a key correction, without showing a learner options they never saw.

A corrected case version may change ratings (the key), rubrics or the options themselves. An attempt stays
pinned to the version it answered; it is scored with the corrected version's key only for the questions whose
options the learner saw unchanged (same ids and texts, same type). Other questions keep the key they were
answered under. What changed is listed so the review can say so.
"""
from __future__ import annotations

from dataclasses import replace

from lms.domain.cases import CaseDefinition, Question


def _same_presentation(answered: Question, corrected: Question) -> bool:
    """True when the corrected question shows the learner exactly what they answered."""
    return (answered.type == corrected.type and answered.prompt == corrected.prompt
            and [(o.id, o.text) for o in answered.options] == [(o.id, o.text) for o in corrected.options])


def _key_changed(answered: Question, corrected: Question) -> bool:
    return ([o.effectiveness for o in answered.options] != [o.effectiveness for o in corrected.options]
            or answered.rubric != corrected.rubric or answered.points != corrected.points
            or answered.choice_points != corrected.choice_points)


def corrected_definition(answered: CaseDefinition, corrected: CaseDefinition) -> tuple[CaseDefinition, tuple[str, ...]]:
    """The answered case with the corrected key where the learner saw the same options; the ids of the
    questions whose key changed."""
    latest = {q.id: q for s in corrected.stages for q in s.questions}
    changed: list[str] = []
    stages = []
    for stage in answered.stages:
        questions = []
        for question in stage.questions:
            new = latest.get(question.id)
            if new is not None and _same_presentation(question, new) and _key_changed(question, new):
                options = tuple(replace(o, effectiveness=n.effectiveness, rationale=n.rationale, basis=n.basis)
                                for o, n in zip(question.options, new.options))
                question = replace(question, options=options, rubric=new.rubric, points=new.points,
                                   choice_points=new.choice_points)
                changed.append(question.id)
            questions.append(question)
        stages.append(replace(stage, questions=tuple(questions)))
    return replace(answered, stages=tuple(stages)), tuple(changed)
