"""The structured case form's buttons: add, remove and move a part of the nested case (case_form.py).

A new variant starts as a copy of its question's prompt and options; a variant's first criteria of its own are its
question's rubric, to be changed; a branching question takes none. Variants move up and down like options. Each
button works on the whole posted form, so nothing typed is lost.
"""
from __future__ import annotations

import copy
from typing import Any

from lms.authoring.case_form import CHILDREN, blank, ensure_ids, is_branching
from lms.domain.errors import DomainError

OPS = ("add", "remove", "up", "down")


class FormOpError(DomainError, ValueError):
    """A structure operation naming no part of the form: `detail` is the operation."""

    default_code = "unknown_form_operation"

    def __init__(self, detail: str) -> None:
        super().__init__(detail=detail)


class VariantOfBranchingQuestion(DomainError):
    """A variant asked of a question whose options lead to other stages (the button was on the page from before
    a "leads to" was chosen): the form comes back as posted, with this said."""

    default_code, status = "variant_of_branching_question", 409

    def __init__(self, stage: int, question: int) -> None:
        super().__init__(stage=stage, question=question)


def apply_op(case: dict[str, Any], op: str) -> dict[str, Any]:
    """A copy of the case after one button: add:<list path>, remove:/up:/down:<item path>."""
    verb, _, path = op.partition(":")
    if verb not in OPS:
        raise FormOpError(op)
    case = copy.deepcopy(case)
    steps = path.split("-")
    if verb == "add":
        holder, kind = _walk(case, steps[:-1])
        if steps[-1] not in CHILDREN[kind]:
            raise FormOpError(op)
        holder[steps[-1]].extend(_added(case, steps, holder, kind))
        return ensure_ids(case)
    if len(steps) < 2 or not steps[-1].isdigit():
        raise FormOpError(op)
    holder, kind = _walk(case, steps[:-2])
    index = int(steps[-1])
    if steps[-2] not in CHILDREN[kind] or index >= len(holder[steps[-2]]):
        raise FormOpError(op)
    items = holder[steps[-2]]
    if verb == "remove":
        del items[index]
    else:
        other = index - 1 if verb == "up" else index + 1
        if 0 <= other < len(items):
            items[index], items[other] = items[other], items[index]
    return case


def _added(case: dict[str, Any], steps: list[str], holder: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    """The parts an add button appends to the list at steps (in holder, held in the list kind): one blank part,
    but a copy of its question for a variant, and its question's criteria for a variant's first own criterion."""
    if steps[-1] == "variants":
        if is_branching(holder):
            raise VariantOfBranchingQuestion(int(steps[1]) + 1, int(steps[3]) + 1)
        return [new_variant(holder)]
    if kind == "variants" and steps[-1] == "rubric" and not holder["rubric"]:
        question, _ = _walk(case, steps[:-3])
        return copy.deepcopy(question["rubric"]) or [blank("rubric")]
    return [blank(steps[-1])]


def new_variant(question: dict[str, Any]) -> dict[str, Any]:
    """A variant to start from: the question's prompt and options, everything else as the question's."""
    variant = blank("variants")
    variant.update(prompt=question["prompt"], options=copy.deepcopy(question["options"]))
    return variant


def _walk(case: dict[str, Any], steps: list[str]) -> tuple[dict[str, Any], str]:
    """The part an item path names, and the name of the list holding it ('' for the case itself)."""
    node, kind = case, ""
    if len(steps) % 2:
        raise FormOpError("-".join(steps))
    for name, index in zip(steps[::2], steps[1::2]):
        if name not in CHILDREN[kind] or not index.isdigit() or int(index) >= len(node.get(name, [])):
            raise FormOpError("-".join(steps))
        node, kind = node[name][int(index)], name
    return node, kind
