"""The cueing check: does a question give its key away by the shape of its options rather than their sense?

A test of judgment must not be passable by picking the longest option, the first option, the one that
lists every right step, or by leaving a ranking in the order shown. For every option question this reports,
with its location, as warnings (errors with --strict):

- the top-rated option is the longest by a clear margin;
- a rank question authored in the key's order while its shuffling is off;
- the top-rated option alone has a telltale shape (a list of steps joined by semicolons);
- in a module, the same position holds the best option in most questions whose shuffling is off.

It also gives the figures an author or examiner reads: the share of questions whose best option is the
longest, against chance (the mean of 1/number of options), and mean option lengths by rating.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from statistics import mean

from lms.content.fields import Report
from lms.content.schema import Course, Problem
from lms.content.translatable import N_
from lms.domain.cases import EFFECTIVENESS_MAX, CaseDefinition, Question, QuestionType

CLEAR_MARGIN = 1.25  # the best option is at least this many times as long as the longest other one
STEP_LIST_RE = re.compile(r";")
STEP_LIST_MIN = 2  # semicolons that make an option read as a list of every right step
POSITION_SHARE = 0.6  # one position holding the best option in this share of a module's unshuffled questions
POSITION_MIN_QUESTIONS = 4
# Two of the cues' messages, which the case form's script also shows while the author types (js/case_form.js)
STEP_LIST_CUE = N_("only the best option is a list of steps joined by semicolons: give the others the same shape or "
                   "rewrite the best as one decision")
RANK_ORDER_CUE = N_("a rank question without shuffling lists its options in the key's order")
KEYED_TYPES = (QuestionType.BEST_ACTION, QuestionType.BEST_WORST, QuestionType.RANK, QuestionType.RATE,
               QuestionType.MULTI, QuestionType.WRITTEN)


@dataclass
class CueingFigures:
    """Course-wide figures of the check."""

    questions: int = 0
    best_is_longest: int = 0
    chance: float = 0.0  # expected share of best-is-longest if lengths told nothing: mean of 1/options
    lengths: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))  # rating -> option lengths

    @property
    def best_is_longest_share(self) -> float:
        """The share of keyed questions whose (single) best option is the longest."""
        return self.best_is_longest / self.questions if self.questions else 0.0

    def mean_length(self, rating: int) -> float:
        """Mean length in characters of the options carrying this rating."""
        return mean(self.lengths[rating]) if self.lengths.get(rating) else 0.0

    def summary(self) -> str:
        """One line for the command line and the test log."""
        by_rating = ", ".join(f"{r}: {self.mean_length(r):.0f}" for r in sorted(self.lengths, reverse=True))
        return (f"cueing: best option is the longest in {self.best_is_longest}/{self.questions} option questions "
                f"({100 * self.best_is_longest_share:.0f}%, chance {100 * self.chance:.0f}%); "
                f"mean option length by rating (characters) {by_rating}")


def keyed_questions(case: CaseDefinition):
    """(stage index, question index, question) of every question with rated options."""
    for s, stage in enumerate(case.stages):
        for q, base in enumerate(stage.questions):
            for question in (base, *base.variants):  # every version a learner may be given
                if question.type in KEYED_TYPES and len(question.options) >= 2:
                    yield s, q, question


def _location(s: int, q: int, question: Question) -> str:
    """The question's place, down to the variant a cue is in: stages[0].questions[1].variants[0] is variant 1."""
    return f"stages[{s}].questions[{q}]" + (f".variants[{question.variant - 1}]" if question.variant else "")


def check_question(report: Report, location: str, question: Question) -> None:
    """Record each cue of one question."""
    options = question.options
    top = max(o.effectiveness for o in options)
    best = [o for o in options if o.effectiveness == top]
    others = [o for o in options if o.effectiveness < top]
    if len(best) == 1 and others:
        longest_other = max(len(o.text) for o in others)
        if len(best[0].text) >= CLEAR_MARGIN * longest_other:
            report.add(location, N_("the best option is the longest by far ({best} characters against at most "
                                    "{other}): make the options comparable in length"),
                       best=len(best[0].text), other=longest_other)
        if _is_step_list(best[0].text) and not any(_is_step_list(o.text) for o in others):
            report.add(location, STEP_LIST_CUE)
    if question.type == QuestionType.RANK and not question.shuffle:
        ratings = [o.effectiveness for o in options]
        if ratings == sorted(ratings, reverse=True):
            report.add(location, RANK_ORDER_CUE)


def case_cues(case: CaseDefinition) -> list[Problem]:
    """The cueing warnings of one case, each at its question (for the browser editors and the publish step)."""
    report = Report("")
    for s, q, question in keyed_questions(case):
        check_question(report, _location(s, q, question), question)
    return report.problems


def _is_step_list(text: str) -> bool:
    return len(STEP_LIST_RE.findall(text)) >= STEP_LIST_MIN


def check_positions(report: Report, case_locations: list[tuple[str, Question]]) -> None:
    """Record a module-level cue: one position holds the best option in most unshuffled questions."""
    positions = Counter()
    counted = 0
    for _location_text, question in case_locations:
        if question.shuffle or question.type == QuestionType.RATE:
            continue
        top = max(o.effectiveness for o in question.options)
        positions[next(i for i, o in enumerate(question.options) if o.effectiveness == top)] += 1
        counted += 1
    if counted >= POSITION_MIN_QUESTIONS:
        position, hits = positions.most_common(1)[0]
        if hits / counted >= POSITION_SHARE:
            report.add("", N_("option {position} is the best in {hits} of {count} questions without shuffling"),
                       position=position + 1, hits=hits, count=counted)


def check_course_cueing(root: Path, course: Course) -> tuple[list[Problem], CueingFigures]:
    """Every cue in the course, with the course figures."""
    figures = CueingFigures()
    warnings: list[Problem] = []
    chances = []
    for module in course.modules:
        unshuffled: list[tuple[str, Question]] = []
        for case in module.cases:
            report = Report(Path(root) / module.key / "cases" / f"{case.slug}.md")
            for s, q, question in keyed_questions(case):
                check_question(report, _location(s, q, question), question)
                unshuffled.append((_location(s, q, question), question))
                _count(figures, question, chances)
            warnings.extend(report.problems)
        module_report = Report(Path(root) / module.key / "module.md")
        check_positions(module_report, unshuffled)
        warnings.extend(module_report.problems)
    figures.chance = mean(chances) if chances else 0.0
    return warnings, figures


def _count(figures: CueingFigures, question: Question, chances: list[float]) -> None:
    for option in question.options:
        figures.lengths[option.effectiveness].append(len(option.text))
    top = max(o.effectiveness for o in question.options)
    best = [o for o in question.options if o.effectiveness == top]
    if len(best) != 1 or top != EFFECTIVENESS_MAX:
        return
    figures.questions += 1
    chances.append(1 / len(question.options))
    if len(best[0].text) == max(len(o.text) for o in question.options):
        figures.best_is_longest += 1
