"""What a learner sees of a submitted attempt, and when (like Moodle's review options).

Five parts: the score; the path through the stages; which answers earned credit; the expert key (ratings);
the rationales, legal bases and debrief. A module names the parts shown right after each submission and
the parts shown once no attempt remains (the last allowed attempt is submitted) or the module's key date
has come. The key, credit and rationales leak the answer to a learner who may try again, so a policy that
shows them after each attempt is refused unless one attempt is allowed or grading by the average or the
last attempt makes a retake pointless.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

PARTS = ("score", "path", "credit", "key", "rationale")
LEAKING = frozenset({"credit", "key", "rationale"})


@dataclass(frozen=True)
class ReviewPolicy:
    """The parts shown after each attempt and after the last one (or the key date)."""

    after_attempt: frozenset[str] = frozenset({"score", "path"})
    after_last: frozenset[str] = frozenset(PARTS)

    @classmethod
    def from_lists(cls, after_attempt, after_last) -> ReviewPolicy:
        """A policy from two lists of part names (stored or written in module.md)."""
        return cls(frozenset(after_attempt), frozenset(after_last) | frozenset(after_attempt))


DEFAULT = ReviewPolicy()


def is_final(attempts_used: int, attempts_allowed: int, key_date: date | None, today: date) -> bool:
    """True once no attempt remains (0 allowed means unlimited) or the module's key date has come."""
    if key_date is not None and today >= key_date:
        return True
    return attempts_allowed > 0 and attempts_used >= attempts_allowed


def visible_parts(policy: ReviewPolicy, attempts_used: int, attempts_allowed: int, key_date: date | None,
                  today: date) -> frozenset[str]:
    """The parts a learner sees now."""
    final = is_final(attempts_used, attempts_allowed, key_date, today)
    return policy.after_last if final else policy.after_attempt


def leak_problem(policy: ReviewPolicy, attempts_allowed: int, grading_policy: str) -> str | None:
    """Why the policy leaks the key to a learner who can still try again, or None when it does not."""
    leaked = sorted(policy.after_attempt & LEAKING)
    if leaked and attempts_allowed != 1 and grading_policy == "best":
        return ", ".join(leaked)
    return None
