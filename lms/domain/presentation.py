"""How an attempt presents a question's options: a per-attempt order, and the token each option posts.

The order is drawn from the attempt's seed and the question's id, so a reload, a resume on another device
and the review all show the same order. A question whose shuffling is off (or an attempt without a seed,
started before shuffling existed) keeps the authored order; pinned options ("none of the above") keep their
authored place. A shuffled question's options post their position in the shown order, never their authored
id (which follows the authored order, where the best option is often first); an unshuffled question's
options post their id, which tells nothing the order does not.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, replace

from lms.domain.cases import CaseDefinition, Option, Question


def draw_variant(question: Question, seed: int | None) -> Question:
    """The version of a question an attempt answers: the question itself or one of its variants, drawn from the
    attempt's seed (no seed: the question itself)."""
    if seed is None or not question.variants:
        return question
    pick = random.Random(f"{seed}:variant:{question.id}").randrange(len(question.variants) + 1)
    return question if pick == 0 else question.variants[pick - 1]


def paper_for(definition: CaseDefinition, seed: int | None) -> CaseDefinition:
    """The case as one attempt's paper: every question with variants replaced by the version drawn for it."""
    if seed is None or not any(q.variants for s in definition.stages for q in s.questions):
        return definition
    stages = tuple(replace(stage, questions=tuple(draw_variant(q, seed) for q in stage.questions))
                   for stage in definition.stages)
    return replace(definition, stages=stages)


def is_shuffled(question: Question, seed: int | None) -> bool:
    """True when this attempt shows the question's options in a drawn order."""
    return seed is not None and question.shuffle and len(question.options) > 1


def option_order(question: Question, seed: int | None) -> tuple[Option, ...]:
    """The options in the order this attempt shows them."""
    if not is_shuffled(question, seed):
        return question.options
    movable = [o for o in question.options if not o.pinned]
    random.Random(f"{seed}:{question.id}").shuffle(movable)
    drawn = iter(movable)
    return tuple(o if o.pinned else next(drawn) for o in question.options)


@dataclass(frozen=True)
class ShownQuestion:
    """One question as one attempt shows it: its options in order, each with the token its inputs post."""

    question: Question
    options: tuple[Option, ...]
    shuffled: bool

    def token(self, option: Option) -> str:
        """What the form posts for this option (and names its fields by)."""
        return str(self.options.index(option) + 1) if self.shuffled else option.id

    def option_id(self, token: str) -> str | None:
        """The authored id a posted token stands for, or None when the token names no option."""
        if not self.shuffled:
            return token if self.question.option(token) is not None else None
        if not token.isdigit() or not 1 <= int(token) <= len(self.options):
            return None
        return self.options[int(token) - 1].id


def shown(question: Question, seed: int | None) -> ShownQuestion:
    """The question as the attempt with this seed shows it."""
    return ShownQuestion(question, option_order(question, seed), is_shuffled(question, seed))
