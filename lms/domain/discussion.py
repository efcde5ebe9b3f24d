"""The rules of a case's cohort discussion (the debrief): who may read it, what a post may hold, when it may be
edited, how a quotation is written, how the class chose and how two learners' choices compare.

Pure rules: the services pass in what they read from the database.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

AFTER_SUBMIT, AFTER_KEY = "after_submit", "after_key"
OPENS = (AFTER_SUBMIT, AFTER_KEY)  # when a module opens its cases' discussions to a learner
MAX_TITLE = 200
MAX_BODY = 5000
MAX_REASON = 500
MIN_CLASS = 5  # learners who must have submitted before the class's choices are shown (none is identifiable)
EDIT_WINDOW = timedelta(minutes=30)


def may_read(opens: str, submitted: bool, key_released: bool) -> bool:
    """A learner reads a case's discussion once they have submitted it, or (when the module says so) once the
    key is released to them; never before, so the debrief cannot leak the key to someone still deciding."""
    if opens == AFTER_KEY:
        return key_released
    return submitted or key_released


def post_problems(body: str, title: str | None = None, limit: int = MAX_BODY) -> list[tuple[str, dict]]:
    """What is wrong with a post (a thread has a title, a reply has None): (code, parameters) pairs."""
    found: list[tuple[str, dict]] = []
    if title is not None:
        if not title.strip():
            found.append(("title_missing", {}))
        elif len(title) > MAX_TITLE:
            found.append(("title_too_long", {"max": MAX_TITLE, "n": len(title)}))
    if not body.strip():
        found.append(("body_missing", {}))
    elif len(body) > limit:
        found.append(("body_too_long", {"max": limit, "n": len(body)}))
    return found


def reason_problems(reason: str) -> list[tuple[str, dict]]:
    """A report or a moderation needs a reason of reasonable length."""
    if not reason.strip():
        return [("reason_missing", {})]
    if len(reason) > MAX_REASON:
        return [("reason_too_long", {"max": MAX_REASON, "n": len(reason)})]
    return []


def may_edit(created_at: datetime, now: datetime, window: timedelta = EDIT_WINDOW) -> bool:
    """Its author may edit a post within the window after writing it (the edit is then shown)."""
    return now - created_at <= window


def quotation(author: str, body: str, limit: int = 600) -> str:
    """The Markdown that opens a reply quoting a post: an attribution and the post's lines, each after '> '
    (a long post is cut at `limit` characters, with an ellipsis)."""
    text = body.strip()
    if len(text) > limit:
        text = text[:limit].rstrip() + " …"
    lines = [f"> **{author}:**", ">"] + [f"> {line}" if line else ">" for line in text.splitlines()]
    return "\n".join(lines) + "\n\n"


# --- how the class chose -------------------------------------------------------------------


@dataclass(frozen=True)
class OptionShare:
    """One option of a question: how many of the class chose it, and its share."""

    option_id: str
    count: int
    share: float


@dataclass(frozen=True)
class QuestionTally:
    """How the class answered one choice question (the learners who reached it)."""

    question_id: str
    answered: int
    options: tuple[OptionShare, ...]


def tally(question_id: str, option_ids: Sequence[str], picks: Iterable[Sequence[str]]) -> QuestionTally:
    """The share of learners who picked each option, in the options' order; a learner may pick several."""
    counts: Counter[str] = Counter()
    answered = 0
    for chosen in picks:
        if chosen:
            answered += 1
            counts.update(set(chosen))
    return QuestionTally(question_id, answered, tuple(
        OptionShare(option_id, counts[option_id], counts[option_id] / answered if answered else 0.0)
        for option_id in option_ids))


def branch_shares(stage_ids: Sequence[str], paths: Sequence[Sequence[str]]) -> dict[str, float]:
    """The share of learners whose path went through each stage."""
    total = len(paths)
    return {stage: (sum(1 for path in paths if stage in path) / total if total else 0.0) for stage in stage_ids}


def class_is_large_enough(submitted: int, minimum: int = MIN_CLASS) -> bool:
    """The class's choices show only once at least `minimum` learners have submitted."""
    return submitted >= max(minimum, 1)


def compare_choices(mine: Mapping[int, tuple[str, ...]], theirs: Mapping[int, tuple[str, ...]]
                    ) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The stage numbers where two learners chose the same options, and where they chose differently (stages
    both reached and answered with a choice)."""
    both = sorted(set(mine) & set(theirs))
    same = tuple(n for n in both if mine[n] == theirs[n])
    different = tuple(n for n in both if mine[n] != theirs[n])
    return same, different
