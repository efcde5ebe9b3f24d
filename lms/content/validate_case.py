"""Parsing a case file's text into a CaseDefinition, recording every problem with its location."""
from __future__ import annotations

from dataclasses import replace

from lms.content.body import case_sections, check_callouts
from lms.content.case_rules import (
    check_case_graph,
    check_question_rules,
    check_stage_branching,
)
from lms.content.fields import (
    SLUG_RE,
    TOP,
    Report,
    check_keys,
    child,
    get_bool,
    get_id,
    get_int,
    get_list,
    get_number,
    get_text,
    get_text_list,
    is_mapping,
)
from lms.content.frontmatter import Parts, split_parts
from lms.content.links import LinkIndex, check_links
from lms.content.schema import Problem
from lms.content.translatable import N_
from lms.domain.cases import (
    CaseDefinition,
    CaseKind,
    Option,
    Question,
    QuestionType,
    RubricCriterion,
    RubricLevel,
    Stage,
)

CASE_REQUIRED, CASE_OPTIONAL = ("title", "kind", "summary", "stages"), ("required", "roles")
STAGE_REQUIRED, STAGE_OPTIONAL = ("id", "title", "questions"), ("text", "next")
QUESTION_REQUIRED = ("id", "type", "prompt")
QUESTION_OPTIONAL = ("points", "options", "rubric", "choice_points", "shuffle", "variants")
VARIANT_REQUIRED, VARIANT_OPTIONAL = ("prompt",), ("points", "options", "rubric", "choice_points", "shuffle")
OPTION_REQUIRED, OPTION_OPTIONAL = ("id", "text", "effectiveness", "rationale"), ("basis", "next", "pinned")
CRITERION_REQUIRED, LEVEL_REQUIRED = ("id", "title", "levels"), ("points", "description")


def parse_case_text(text: str, slug: str, path: str = "", *, index: LinkIndex | None = None,
                    module_key: str | None = None) -> tuple[CaseDefinition | None, list[Problem]]:
    """The case in a case file's text, and its problems; links are checked when an index is given."""
    report = Report(path)
    if not SLUG_RE.fullmatch(slug):
        report.add("file name", N_("a case slug must be lower-case ASCII letters, digits and single hyphens "
                                   "(got {slug!r})"), slug=slug)
    parts = split_parts(text, path)
    report.extend(parts.problems)
    if parts.data is None or not is_mapping(report, parts.data, TOP, "the front matter"):
        return None, report.problems
    data = parts.data
    check_keys(report, data, TOP, CASE_REQUIRED, CASE_OPTIONAL)
    scenario, debrief = case_sections(report, parts.body, parts.body_line)
    case = CaseDefinition(
        slug=slug,
        title=get_text(report, data, "title", TOP),
        kind=_kind(report, data),
        summary=get_text(report, data, "summary", TOP),
        scenario=scenario,
        debrief=debrief,
        stages=_stages(report, data),
        required=get_bool(report, data, "required", TOP, default=True),
        roles=get_text_list(report, data, "roles", TOP),
    )
    check_case_graph(report, case)
    _check_knowledge_check(report, case)
    _check_markdown(report, case, parts, index, module_key)
    return (None if report.problems else case), report.problems


def _check_knowledge_check(report: Report, case: CaseDefinition) -> None:
    """A knowledge check is graded at once: no written answer waits for an instructor."""
    if case.kind != CaseKind.KNOWLEDGE_CHECK:
        return
    for s, stage in enumerate(case.stages):
        for q, question in enumerate(stage.questions):
            if question.type == QuestionType.WRITTEN:
                report.add(f"stages[{s}].questions[{q}]",
                           N_("a knowledge check is graded at once: it cannot ask a written question"))


def _kind(report: Report, data: dict) -> CaseKind:
    value = data.get("kind")
    if value is None:
        return CaseKind.OTHER
    try:
        return CaseKind(value)
    except ValueError:
        report.add(TOP, N_("kind must be one of: {allowed} (got {value!r})"),
                   allowed=", ".join(CaseKind), value=str(value))
        return CaseKind.OTHER


def _stages(report: Report, data: dict) -> tuple[Stage, ...]:
    items = get_list(report, data, "stages", TOP)
    if "stages" in data and not items:
        report.add(TOP, N_("stages must list at least one stage"))
    stages = []
    for position, item in enumerate(items):
        location = child("", "stages", position)
        if is_mapping(report, item, location, location):
            stages.append(_stage(report, item, location))
    return tuple(stages)


def _stage(report: Report, data: dict, location: str) -> Stage:
    check_keys(report, data, location, STAGE_REQUIRED, STAGE_OPTIONAL)
    stage = Stage(
        id=get_id(report, data, "id", location),
        title=get_text(report, data, "title", location),
        text=get_text(report, data, "text", location, empty_ok=True),
        questions=_questions(report, data, location),
        next=get_id(report, data, "next", location) or None,
    )
    check_stage_branching(report, stage, location)
    return stage


def _questions(report: Report, data: dict, location: str) -> tuple[Question, ...]:
    items = get_list(report, data, "questions", location)
    if "questions" in data and not items:
        report.add(location, N_("a stage needs at least one question"))
    questions = []
    for position, item in enumerate(items):
        at = child(location, "questions", position)
        if is_mapping(report, item, at, at):
            questions.append(_question(report, item, at))
    return tuple(questions)


def _question(report: Report, data: dict, location: str) -> Question:
    check_keys(report, data, location, QUESTION_REQUIRED, QUESTION_OPTIONAL)
    question = Question(
        id=get_id(report, data, "id", location),
        type=_question_type(report, data, location),
        prompt=get_text(report, data, "prompt", location),
        options=_options(report, data, location),
        points=get_number(report, data, "points", location, default=1.0),
        rubric=parse_rubric(report, data, location),
        choice_points=get_number(report, data, "choice_points", location, default=0.0),
        shuffle=get_bool(report, data, "shuffle", location, default=True),
    )
    check_question_rules(report, question, data, location)
    return replace(question, variants=_variants(report, question, data, location))


def _variants(report: Report, base: Question, data: dict, location: str) -> tuple[Question, ...]:
    """Alternative versions of a question: same id and type, their own prompt, options and rubric."""
    variants = []
    for position, item in enumerate(get_list(report, data, "variants", location)):
        at = child(location, "variants", position)
        if not is_mapping(report, item, at, at):
            continue
        check_keys(report, item, at, VARIANT_REQUIRED, VARIANT_OPTIONAL)
        # What a variant does not give it inherits: its question's points, rubric, choice_points and shuffle.
        variant = Question(id=base.id, type=base.type, prompt=get_text(report, item, "prompt", at),
                           options=_options(report, item, at), points=get_number(report, item, "points", at,
                                                                                 default=base.points),
                           rubric=parse_rubric(report, item, at) if "rubric" in item else base.rubric,
                           choice_points=get_number(report, item, "choice_points", at, default=base.choice_points),
                           shuffle=get_bool(report, item, "shuffle", at, default=base.shuffle), variant=position + 1)
        inherited = {key: data[key] for key in ("rubric", "choice_points") if key in data and key not in item}
        check_question_rules(report, variant, {**inherited, **item}, at)
        variants.append(variant)
    if variants and (base.is_branching or any(v.is_branching for v in variants)):
        report.add(location, N_("a question with variants cannot branch: every variant must lead to the same stage"))
    return tuple(variants)


def _question_type(report: Report, data: dict, location: str) -> QuestionType:
    value = data.get("type")
    try:
        return QuestionType(value)
    except ValueError:
        if value is not None:
            report.add(location, N_("type must be one of: {allowed} (got {value!r})"),
                       allowed=", ".join(QuestionType), value=str(value))
        return QuestionType.WRITTEN if "rubric" in data else QuestionType.BEST_ACTION


def _options(report: Report, data: dict, location: str) -> tuple[Option, ...]:
    options = []
    for position, item in enumerate(get_list(report, data, "options", location)):
        at = child(location, "options", position)
        if not is_mapping(report, item, at, at):
            continue
        check_keys(report, item, at, OPTION_REQUIRED, OPTION_OPTIONAL)
        options.append(Option(
            id=get_id(report, item, "id", at),
            text=get_text(report, item, "text", at),
            effectiveness=get_int(report, item, "effectiveness", at, default=0, low=1, high=4),
            rationale=get_text(report, item, "rationale", at),
            basis=get_text(report, item, "basis", at, empty_ok=True),
            next=get_id(report, item, "next", at) or None,
            pinned=get_bool(report, item, "pinned", at, default=False),
        ))
    return tuple(options)


def parse_rubric(report: Report, data: dict, location: str) -> tuple[RubricCriterion, ...]:
    """The `rubric` list of a mapping: criteria with their levels."""
    criteria = []
    for position, item in enumerate(get_list(report, data, "rubric", location)):
        at = child(location, "rubric", position)
        if not is_mapping(report, item, at, at):
            continue
        check_keys(report, item, at, CRITERION_REQUIRED, ())
        criteria.append(RubricCriterion(
            id=get_id(report, item, "id", at),
            title=get_text(report, item, "title", at),
            levels=_levels(report, item, at),
        ))
    return tuple(criteria)


def _levels(report: Report, data: dict, location: str) -> tuple[RubricLevel, ...]:
    levels = []
    for position, item in enumerate(get_list(report, data, "levels", location)):
        at = child(location, "levels", position)
        if not is_mapping(report, item, at, at):
            continue
        check_keys(report, item, at, LEVEL_REQUIRED, ())
        levels.append(RubricLevel(
            points=get_number(report, item, "points", at, default=0.0, low=0, low_inclusive=True),
            description=get_text(report, item, "description", at),
        ))
    return tuple(levels)


def _check_markdown(report: Report, case: CaseDefinition, parts: Parts, index: LinkIndex | None,
                    module_key: str | None) -> None:
    """Call-outs and links in the body and in every Markdown field of the stages."""
    check_callouts(report, parts.body, parts.body_line)
    check_links(report, parts.body, index, module_key, first_line=parts.body_line)
    for s_pos, stage in enumerate(case.stages):
        s_loc = child("", "stages", s_pos)
        fields = [(child(s_loc, "text"), stage.text)]
        for q_pos, question in enumerate(stage.questions):
            q_loc = child(s_loc, "questions", q_pos)
            fields.append((child(q_loc, "prompt"), question.prompt))
            for o_pos, option in enumerate(question.options):
                o_loc = child(q_loc, "options", o_pos)
                fields += [(child(o_loc, key), getattr(option, key)) for key in ("text", "rationale", "basis")]
        for location, text in fields:
            check_callouts(report, text, None, location)
            check_links(report, text, index, module_key, location=location)
