"""The rules of a case beyond field types: option counts and keys per question type, rubrics, the stage graph."""
from __future__ import annotations

from collections import Counter

from lms.content.fields import TOP, Report, child
from lms.content.translatable import N_
from lms.domain.cases import (
    EFFECTIVENESS_MAX,
    CaseDefinition,
    Question,
    QuestionType,
    RubricCriterion,
    Stage,
)
from lms.domain.grading import grader_for

WEAK = 2  # best_worst needs an option at or below this to be the "worst" pick


def check_question_rules(report: Report, question: Question, data: dict, location: str) -> None:
    """Record every rule of the question's type that the question breaks."""
    if question.type == QuestionType.WRITTEN:
        _check_written(report, question, data, location)
    else:
        _check_choice_only(report, question, data, location)
    if question.options:
        _check_options(report, question, location)


def _check_choice_only(report: Report, question: Question, data: dict, location: str) -> None:
    if data.get("options") is None:
        report.add(location, N_("{key} missing"), key="options")
    elif isinstance(data["options"], list):
        _check_count(report, question, location)
    for key in ("rubric", "choice_points"):
        if key in data:
            report.add(location, N_("{key} is only for written questions"), key=key)


def _check_written(report: Report, question: Question, data: dict, location: str) -> None:
    if not question.rubric:
        report.add(location, N_("a written question needs a rubric"))
    for position, criterion in enumerate(question.rubric):
        _check_criterion(report, criterion, child(location, "rubric", position))
    _check_unique(report, [c.id for c in question.rubric], location, "rubric criterion id")
    if not question.options:
        if "choice_points" in data:
            report.add(location, N_("choice_points is only for written questions with options"))
        return
    _check_count(report, question, location)
    if data.get("choice_points") is None:
        report.add(location, N_("a written question with options needs choice_points, the weight of the choice"))


def _check_count(report: Report, question: Question, location: str) -> None:
    low, high = grader_for(question).option_count
    if not low <= len(question.options) <= high:
        report.add(location, N_("a {type} question needs {low} to {high} options (has {count})"),
                   type=str(question.type), low=low, high=high, count=len(question.options))


def _check_criterion(report: Report, criterion: RubricCriterion, location: str) -> None:
    points = [level.points for level in criterion.levels]
    if len(points) < 2:
        report.add(location, N_("a rubric criterion needs at least {count} levels"), count=2)
    if len(set(points)) != len(points):
        report.add(location, N_("the levels of a rubric criterion must have distinct points"))
    if points and 0 not in points:
        report.add(location, N_("one level of a rubric criterion must be worth 0 points"))


def _check_options(report: Report, question: Question, location: str) -> None:
    values = [option.effectiveness for option in question.options]
    if EFFECTIVENESS_MAX not in values:
        report.add(location, N_("at least one option must have effectiveness {value}"), value=EFFECTIVENESS_MAX)
    if question.type == QuestionType.BEST_WORST and not any(0 < v <= WEAK for v in values):
        report.add(location, N_("a best_worst question needs an option with effectiveness 1 or 2"))
    _check_unique(report, [option.id for option in question.options], location, "option id")
    if question.type != QuestionType.BEST_ACTION:
        for position, option in enumerate(question.options):
            if option.next:
                report.add(child(location, "options", position),
                           N_("next is only allowed on the options of a best_action question"))


def check_stage_branching(report: Report, stage: Stage, location: str) -> None:
    """Only one question of a stage may send options to their own next stage."""
    if sum(1 for question in stage.questions if question.is_branching) > 1:
        report.add(location, N_("only one question per stage may branch (have options with next)"))


def check_case_graph(report: Report, case: CaseDefinition) -> None:
    """Unique ids, every next names a stage, every stage reachable from the first, no loops."""
    _check_unique(report, [stage.id for stage in case.stages], TOP, "stage id")
    _check_unique(report, [q.id for stage in case.stages for q in stage.questions], TOP, "question id")
    ids = {stage.id for stage in case.stages}
    edges = {}
    for position, stage in enumerate(case.stages):
        edges[stage.id] = _stage_edges(report, stage, child("", "stages", position), ids)
    if not case.stages:
        return
    reached = _reachable(case.stages[0].id, edges)
    for position, stage in enumerate(case.stages):
        if stage.id not in reached:
            report.add(child("", "stages", position),
                       N_("stage {number} “{title}” ({id}) cannot be reached from the first stage: no option and no "
                          "stage leads to it"), number=position + 1, title=stage.title, id=stage.id)
    loop = _find_loop(case.stages[0].id, edges)
    if loop:
        # by number and title, as an author of the browser form knows them (it never shows the ids)
        named = {stage.id: f"{position + 1} “{stage.title}”" for position, stage in enumerate(case.stages)}
        report.add(TOP, N_("the stages form a loop: {loop}"), loop=" → ".join(named[stage_id] for stage_id in loop))


def _stage_edges(report: Report, stage: Stage, location: str, ids: set[str]) -> list[str]:
    targets = [(location, stage.next)] if stage.next else []
    for q_pos, question in enumerate(stage.questions):
        for o_pos, option in enumerate(question.options):
            if option.next:
                targets.append((child(child(location, "questions", q_pos), "options", o_pos), option.next))
    for at, target in targets:
        if target not in ids:
            report.add(at, N_("next names a stage that does not exist: {target}"), target=target)
    return [target for _, target in targets if target in ids]


def _reachable(start: str, edges: dict[str, list[str]]) -> set[str]:
    seen, todo = {start}, [start]
    while todo:
        for target in edges.get(todo.pop(), []):
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def _find_loop(start: str, edges: dict[str, list[str]]) -> list[str]:
    """The first loop found by a depth-first walk from start, as a closed list of stage ids."""
    path, done = [start], set()
    iterators = [iter(edges.get(start, []))]
    while iterators:
        target = next(iterators[-1], None)
        if target is None:
            done.add(path.pop())
            iterators.pop()
        elif target in path:
            return path[path.index(target):] + [target]
        elif target not in done:
            path.append(target)
            iterators.append(iter(edges.get(target, [])))
    return []


def _check_unique(report: Report, ids: list[str], location: str, what: str) -> None:
    for value, count in Counter(ids).items():
        if value and count > 1:
            report.add(location, N_("{what} {id} is used {count} times; it must be unique"),
                       what=what, id=value, count=count)
