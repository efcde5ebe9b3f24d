"""The structured case form: flat posted fields to a nested case, the case-file text, and back.

The nested case is plain dicts and lists of the strings as typed, so an invalid form survives a round trip;
the file text built from it goes through the same validator as files (parse_case_text). A question's variants
are held under it; a variant's blank points, choice points and shuffling, and its empty rubric, are its
question's (as in the file, where a variant gives only what differs). The buttons are in case_form_ops.py.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from itertools import product
from typing import Any

from lms.content.body import DEBRIEF, SCENARIO
from lms.content.export import front_matter
from lms.content.frontmatter import normalize_text, split_parts
from lms.content.validate_case import parse_case_text
from lms.domain.cases import CaseDefinition, Option, Question, RubricCriterion, Stage

TOP_FIELDS = ("slug", "title", "kind", "summary", "required", "roles", "scenario", "debrief")
FIELDS = {  # the fields of each repeated part, by the name of the list holding it
    "stages": ("id", "title", "text", "next"),
    "questions": ("id", "type", "prompt", "points", "choice_points", "shuffle"),
    "variants": ("prompt", "points", "choice_points", "shuffle"),  # the id and type are the question's
    "options": ("id", "text", "effectiveness", "rationale", "basis", "next", "pinned"),
    "rubric": ("id", "title"),
    "levels": ("points", "description"),
}
CHILDREN = {"": ("stages",), "stages": ("questions",), "questions": ("options", "rubric", "variants"),
            "variants": ("options", "rubric"), "rubric": ("levels",), "options": (), "levels": ()}
DEFAULTS = {"questions": {"type": "best_action", "points": "1"}, "options": {"effectiveness": ""}}
SHUFFLE = {"yes": True, "no": False}  # a variant's choice; blank: as its question
MARKDOWN = frozenset({"scenario", "debrief", "roles", "text", "prompt", "rationale"})  # textareas: kept as typed


def blank(list_name: str) -> dict[str, Any]:
    """An empty part of the kind held in list_name: every field blank, no children."""
    item: dict[str, Any] = {name: "" for name in FIELDS[list_name]}
    item.update(DEFAULTS.get(list_name, {}))
    item.update({name: [] for name in CHILDREN[list_name]})
    return item


def is_branching(question: dict[str, Any]) -> bool:
    """Whether an option of the question leads to a stage of its own (next): such a question takes no variants,
    since every variant must lead where its question does (the content validator's rule)."""
    return any(str(option.get("next") or "").strip() for option in question.get("options", []))


def blank_case() -> dict[str, Any]:
    """A new case: one stage with one question and three options, ready to be filled in."""
    case: dict[str, Any] = {name: "" for name in TOP_FIELDS}
    case.update(kind="other", required=True, stages=[blank("stages")])
    question = blank("questions")
    question["options"] = [blank("options") for _ in range(3)]
    case["stages"][0]["questions"].append(question)
    return ensure_ids(case)


def _free(taken: set[str], make) -> str:
    n = 1
    while make(n) in taken:
        n += 1
    taken.add(make(n))
    return make(n)


def _letter(n: int) -> str:
    """a, b, ..., z, then a2, b2, ...: option ids as the shipped cases write them."""
    return "abcdefghijklmnopqrstuvwxyz"[(n - 1) % 26] + ("" if n <= 26 else str((n - 1) // 26 + 1))


def ensure_ids(case: dict[str, Any]) -> dict[str, Any]:
    """Give every part left without an id a fresh one, so authors never type ids: stages s1, s2 ...; questions
    q1, q2 ... (unique in the case); options a, b, c ... and rubric criteria c1, c2 ... (unique in their question
    or variant). Ids already there are kept, so links between stages hold."""
    stages, questions = case.get("stages", []), [q for s in case.get("stages", []) for q in s.get("questions", [])]
    taken = {s["id"] for s in stages if s.get("id")}
    for stage in stages:
        stage["id"] = stage.get("id") or _free(taken, lambda n: f"s{n}")
    taken = {q["id"] for q in questions if q.get("id")}
    for question in questions:
        question["id"] = question.get("id") or _free(taken, lambda n: f"q{n}")
        for part, (name, make) in product((question, *question.get("variants", [])),
                                          (("options", _letter), ("rubric", lambda n: f"c{n}"))):
            items = part.get(name, [])
            own = {item["id"] for item in items if item.get("id")}
            for item in items:
                item["id"] = item.get("id") or _free(own, make)
    return case


# Posted form -> nested case --------------------------------------------------------------------------------

def parse_form(form: Mapping[str, str]) -> dict[str, Any]:
    """The nested case in flat fields such as stages-0-questions-1-options-2-text, parts ordered by index."""
    root: dict[str, Any] = {}
    for key in form:
        parts = key.split("-")
        if len(parts) % 2 == 0:
            continue
        node, kind = root, ""
        for name, index in zip(parts[:-1:2], parts[1:-1:2]):
            if name not in CHILDREN[kind] or not index.isdigit():
                break
            node, kind = node.setdefault(name, {}).setdefault(int(index), {}), name
        else:
            if parts[-1] in (FIELDS[kind] if kind else TOP_FIELDS):
                node[parts[-1]] = _clean(form.get(key, ""), parts[-1])
    case = _ordered(root, "")
    case["required"] = "required" in form
    return ensure_ids(case)


def _clean(value: str, name: str) -> str:
    value = normalize_text(value or "")
    return value if name in MARKDOWN else value.strip()


def _ordered(node: dict, kind: str) -> dict[str, Any]:
    item = {name: node.get(name, "") for name in (FIELDS[kind] if kind else TOP_FIELDS)}
    for name in CHILDREN[kind]:
        children = node.get(name, {})
        item[name] = [_ordered(children[index], name) for index in sorted(children)]
    return item


# Nested case -> case-file text -----------------------------------------------------------------------------

def build_text(case: Mapping[str, Any]) -> str:
    """The case file for the form, valid or not: front matter in the exporter's key order, then the body."""
    data: dict[str, Any] = {"title": case["title"], "kind": case["kind"], "summary": case["summary"]}
    if not case["required"]:
        data["required"] = False
    roles = [line.strip() for line in case["roles"].split("\n") if line.strip()]
    if roles:
        data["roles"] = roles
    data["stages"] = [_stage(stage) for stage in case["stages"]]
    return f"{front_matter(data)}\n## {SCENARIO}\n\n{case['scenario']}\n\n## {DEBRIEF}\n\n{case['debrief']}\n"


def _number(value: str) -> int | float | str:
    """A typed number as YAML would read it; anything else is kept as typed for the validator to report."""
    try:
        number = float(value.replace(",", "."))
    except ValueError:
        return value
    return int(number) if number.is_integer() else number


def _stage(stage: Mapping[str, Any]) -> dict[str, Any]:
    data = {"id": stage["id"], "title": stage["title"], "text": stage["text"],
            "questions": [_question(question) for question in stage["questions"]]}
    if stage["next"]:
        data["next"] = stage["next"]
    return data


def _question(question: Mapping[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {"id": question["id"], "type": question["type"], "prompt": question["prompt"]}
    if question["points"] and _number(question["points"]) != 1:
        data["points"] = _number(question["points"])
    if question["options"]:
        data["options"] = [_option(option) for option in question["options"]]
    if question["rubric"]:
        data["rubric"] = [_criterion(criterion) for criterion in question["rubric"]]
    if question["choice_points"] and _number(question["choice_points"]) != 0:
        data["choice_points"] = _number(question["choice_points"])
    if question["shuffle"] == "no":
        data["shuffle"] = False
    if question["variants"]:
        data["variants"] = [_variant(variant) for variant in question["variants"]]
    return data


def _variant(variant: Mapping[str, Any]) -> dict[str, Any]:
    """A variant as the file writes it: what it gives of its own (left blank, its question's)."""
    data: dict[str, Any] = {"prompt": variant["prompt"]}
    if variant["points"]:
        data["points"] = _number(variant["points"])
    if variant["options"]:
        data["options"] = [_option(option) for option in variant["options"]]
    if variant["rubric"]:
        data["rubric"] = [_criterion(criterion) for criterion in variant["rubric"]]
    if variant["choice_points"]:
        data["choice_points"] = _number(variant["choice_points"])
    if variant["shuffle"] in SHUFFLE:
        data["shuffle"] = SHUFFLE[variant["shuffle"]]
    return data


def _option(option: Mapping[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {"id": option["id"], "text": option["text"]}
    if option["effectiveness"]:
        data["effectiveness"] = _number(option["effectiveness"])
    data["rationale"] = option["rationale"]
    if option["basis"]:
        data["basis"] = option["basis"]
    if option["next"]:
        data["next"] = option["next"]
    if option["pinned"] == "yes":
        data["pinned"] = True
    return data


def _criterion(criterion: Mapping[str, Any]) -> dict[str, Any]:
    levels = [{"points": _number(level["points"]), "description": level["description"]}
              for level in criterion["levels"]]
    return {"id": criterion["id"], "title": criterion["title"], "levels": levels}


# Stored case -> nested case --------------------------------------------------------------------------------

def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def from_definition(case: CaseDefinition) -> dict[str, Any]:
    """The form's nested case for a valid case definition."""
    return {"slug": case.slug, "title": case.title, "kind": str(case.kind), "summary": case.summary,
            "required": case.required, "roles": "\n".join(case.roles), "scenario": case.scenario,
            "debrief": case.debrief, "stages": [_stage_fields(stage) for stage in case.stages]}


def _stage_fields(stage: Stage) -> dict[str, Any]:
    return {"id": stage.id, "title": stage.title, "text": stage.text, "next": stage.next or "",
            "questions": [_question_fields(question) for question in stage.questions]}


def _question_fields(question: Question) -> dict[str, Any]:
    return {"id": question.id, "type": str(question.type), "prompt": question.prompt,
            "points": _text(question.points), "choice_points": _text(question.choice_points or None),
            "shuffle": "" if question.shuffle else "no",
            "options": [_option_fields(option) for option in question.options],
            "rubric": [_criterion_fields(criterion) for criterion in question.rubric],
            "variants": [_variant_fields(variant, question) for variant in question.variants]}


def _variant_fields(variant: Question, base: Question) -> dict[str, Any]:
    """A variant's fields: blank (or no criteria) where it is as its question."""
    def own(name: str) -> Any:
        return getattr(variant, name) if getattr(variant, name) != getattr(base, name) else None

    return {"prompt": variant.prompt, "points": _text(own("points")), "choice_points": _text(own("choice_points")),
            "shuffle": {True: "yes", False: "no", None: ""}[own("shuffle")],
            "options": [_option_fields(option) for option in variant.options],
            "rubric": [_criterion_fields(criterion) for criterion in own("rubric") or ()]}


def _option_fields(option: Option) -> dict[str, Any]:
    return {"id": option.id, "text": option.text, "effectiveness": str(option.effectiveness),
            "rationale": option.rationale, "basis": option.basis, "next": option.next or "",
            "pinned": "yes" if option.pinned else ""}


def _criterion_fields(criterion: RubricCriterion) -> dict[str, Any]:
    return {"id": criterion.id, "title": criterion.title,
            "levels": [{"points": _text(level.points), "description": level.description} for level in criterion.levels]}


def unrepresented(case: CaseDefinition) -> str | None:
    """None when the form holds the whole case (saved with no change, it gives the same case); else where it first
    would not: a validator location (stages[1].questions[0].variants[2]), "" for the case's own fields."""
    again, _problems = parse_case_text(build_text(from_definition(case)), case.slug)
    if again == case:
        return None
    for s, (stage, other) in enumerate(zip(case.stages, again.stages if again else ())):
        for q, (question, copy) in enumerate(zip(stage.questions, other.questions)):
            if question != copy:
                v = next((v for v, pair in enumerate(zip(question.variants, copy.variants)) if pair[0] != pair[1]),
                         None)
                return f"stages[{s}].questions[{q}]" + ("" if v is None else f".variants[{v}]")
        if stage != other:
            return f"stages[{s}]"
    return ""


def from_text(text: str, slug: str) -> dict[str, Any]:
    """The form's nested case for a case-file text as far as it can be read (drafts may be invalid)."""
    parts = split_parts(normalize_text(text), "")
    data = parts.data if isinstance(parts.data, dict) else {}
    case = _from_data(data, "")
    scenario, _, debrief = parts.body.partition(f"## {DEBRIEF}")
    case.update(slug=slug, scenario=scenario.replace(f"## {SCENARIO}", "", 1).strip(), debrief=debrief.strip(),
                required=data.get("required", True) is not False, kind=_text(data.get("kind")) or "other")
    roles = data.get("roles")
    case["roles"] = "\n".join(map(_text, roles)) if isinstance(roles, list) else ""
    return case


def _from_data(data: Mapping[str, Any], kind: str) -> dict[str, Any]:
    item: dict[str, Any] = {name: _text(data.get(name)) for name in (FIELDS[kind] if kind else TOP_FIELDS)}
    if "shuffle" in item:  # a question's is "" (shuffled) or "no"; a variant's may also be "yes"
        own = kind == "variants" and data.get("shuffle") is True
        item["shuffle"] = "no" if data.get("shuffle") is False else "yes" if own else ""
    if "pinned" in item:
        item["pinned"] = "yes" if data.get("pinned") is True else ""
    for name in CHILDREN[kind]:
        children = data.get(name)
        children = children if isinstance(children, list) else []
        item[name] = [_from_data(child, name) for child in children if isinstance(child, dict)]
    return item


# Problems next to the parts they concern -------------------------------------------------------------------

_STEP = re.compile(r"(\w+)\[(\d+)\]")


def anchor(location: str) -> str:
    """The id of the fieldset a validator location points into: stages[0].questions[1].x -> f-stages-0-questions-1."""
    steps = [f"{name}-{index}" for name, index in _STEP.findall(location)]
    return "f-" + "-".join(steps) if steps else "f-case"
