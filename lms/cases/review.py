"""The review of a submitted attempt: each question on the path beside the expert key."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import get_timezone

from lms.cases.questions import ui_for
from lms.cases.services import count_finished, definition_of
from lms.catalog.store import case_definition, review_policy_of
from lms.domain.cases import Option, Question, Stage
from lms.domain.key_correction import corrected_definition
from lms.domain.presentation import option_order, paper_for
from lms.domain.review_policy import PARTS, visible_parts
from lms.extensions import db
from lms.models import Attempt, CaseVersion


@dataclass
class OptionRow:
    """An option with what the learner did with it and, when visible, the expert's view."""

    option: Option
    html: dict
    chosen: bool = False
    mark: str = ""  # "best"/"worst" picks, the rank given, or the rating given


@dataclass
class QuestionRow:
    """One answered (or unanswered) question of the path."""

    question: Question
    html: dict
    options: list[OptionRow] = field(default_factory=list)
    text: str = ""
    points: float | None = None
    max_points: float | None = None
    rubric_scores: dict | None = None
    feedback: str | None = None


@dataclass
class Review:
    """Everything the review page shows."""

    stages: list[tuple[Stage, dict, list[QuestionRow]]]
    parts: frozenset[str]  # what of the review the viewer may see (lms.domain.review_policy.PARTS)
    debrief_html: str
    scenario_html: str
    corrected_version: int | None = None  # the corrected version whose key regraded the attempt
    corrected_questions: tuple[str, ...] = ()  # the questions whose key that correction changed

    @property
    def key_visible(self) -> bool:
        """True when the expert ratings show."""
        return "key" in self.parts

    def shows(self, part: str) -> bool:
        """True when this part of the review shows."""
        return part in self.parts


def build_review(attempt: Attempt, viewer_is_staff: bool, now: datetime) -> Review:
    """The review of an attempt; the key shows to staff always, to learners once the module allows."""
    answered = definition_of(attempt)
    definition, corrected, corrected_version = answered, (), None
    if attempt.regraded_version_id is not None:
        version = db.session.get(CaseVersion, attempt.regraded_version_id)
        definition, corrected = corrected_definition(
            answered, paper_for(case_definition(version, attempt.case.slug), attempt.option_seed))
        corrected_version = version.version
    rendered = attempt.case_version.rendered
    answers = {a.question_id: a for a in attempt.answers}
    today = now.astimezone(get_timezone()).date()
    module = attempt.case.module
    parts = frozenset(PARTS) if viewer_is_staff else visible_parts(
        review_policy_of(module), count_finished(attempt.user, attempt.case), module.attempts_allowed,
        module.key_visible_from, today)
    stages = []
    for stage_id in attempt.path:
        stage = definition.stage(stage_id)
        stage_html = rendered["stages"][stage_id]
        rows = []
        for question in stage.questions:
            answer = answers.get(question.id)
            state = answer.state if answer else {}
            marks = ui_for(question).marks(question, state)
            q_html = stage_html["questions"][question.render_key]
            rows.append(QuestionRow(
                question, q_html,
                [OptionRow(o, q_html["options"][o.id], o.id in marks, marks.get(o.id, ""))
                 for o in option_order(question, attempt.option_seed)],  # in the order the learner saw
                state.get("text", ""), answer.points if answer else 0.0,
                answer.max_points if answer else None, answer.rubric_scores if answer else None,
                answer.feedback if answer else None))
        stages.append((stage, stage_html, rows))
    return Review(stages, parts, rendered["debrief"] if "rationale" in parts else "", rendered["scenario"],
                  corrected_version, corrected)
