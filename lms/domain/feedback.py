"""The learners' anonymous feedback (phiếu lấy ý kiến học viên) on each chuyên đề and on the course: the fixed
questionnaire, reading and checking a filled-in form, who may answer, and the figures staff see (only from
MIN_RESPONSES_SHOWN responses on, so that no answer can be traced to a learner). Pure: no database, no request."""
from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from lms.domain.progress import ModuleStatus
from lms.domain.schedule import cohort_has_ended
from lms.domain.scoring import round_half_up
from lms.domain.text import sort_key


def N_(message: str) -> str:  # noqa: N802 (the conventional gettext marker name)
    """Mark a message for extraction; the web layer translates it when it shows it."""
    return message


# Fewer responses than this for a chuyên đề (or the course) in a cohort: staff see only how many there are.
MIN_RESPONSES_SHOWN = 5
SUGGESTION_MAX_CHARS = 2000
SCALE = (1, 2, 3, 4, 5)
SCALE_LABELS = {1: N_("Rất không đồng ý"), 2: N_("Không đồng ý"), 3: N_("Phân vân"), 4: N_("Đồng ý"),
                5: N_("Rất đồng ý")}
SUGGESTION_QUESTION = N_("Đề xuất bổ sung, điều chỉnh")


@dataclass(frozen=True)
class Item:
    """One statement of the questionnaire, answered on the 1-5 scale; `key` is its form field and its column."""

    key: str
    text: str


ITEMS = (
    Item("useful", N_("Nội dung hữu ích cho công việc Bí thư của tôi.")),
    Item("realistic", N_("Các tình huống sát với thực tế của xã, phường.")),
    Item("applicable", N_("Tôi có thể vận dụng vào công việc ở xã, phường của mình.")),
    Item("instructors", N_("Nhận xét của giảng viên giúp ích cho tôi.")),
    Item("workload", N_("Khối lượng học tập phù hợp với thời gian của tôi.")),
)
ITEM_KEYS = tuple(item.key for item in ITEMS)
SUGGESTION = "suggestion"  # the free-text question's form field and column


class Problem(StrEnum):
    """What is wrong with a filled-in form."""

    NOTHING_ANSWERED = "nothing_answered"
    NOT_ON_SCALE = "not_on_scale"  # params: item
    SUGGESTION_TOO_LONG = "suggestion_too_long"  # params: length, limit


@dataclass(frozen=True)
class Answers:
    """One learner's answers: a score 1-5 or None (left blank) per item key, and the suggestion or None."""

    scores: Mapping[str, int | None]
    suggestion: str | None = None

    @property
    def is_empty(self) -> bool:
        """Nothing answered at all."""
        return all(value is None for value in self.scores.values()) and not self.suggestion


def clean_suggestion(text: str | None) -> str:
    """The suggestion as it is kept and counted: composed Unicode (a decomposed "ệ" is one character, not three),
    one character per line break (a browser sends CRLF), no surrounding blanks."""
    return unicodedata.normalize("NFC", (text or "").replace("\r\n", "\n").replace("\r", "\n")).strip()


def _score(value: str | None) -> tuple[int | None, bool]:
    """(the score, whether the value was acceptable): blank is acceptable and None."""
    value = (value or "").strip()
    if not value:
        return None, True
    if value.isascii() and value.isdigit() and int(value) in SCALE:
        return int(value), True
    return None, False


def read_answers(form: Mapping[str, str]) -> tuple[Answers, list[tuple[Problem, dict]]]:
    """The answers in a posted form (item keys and "suggestion"), and every problem with them: a value off the
    scale, a suggestion over SUGGESTION_MAX_CHARS characters, nothing answered at all."""
    scores, problems = {}, []
    for key in ITEM_KEYS:
        scores[key], acceptable = _score(form.get(key))
        if not acceptable:
            problems.append((Problem.NOT_ON_SCALE, {"item": key}))
    suggestion = clean_suggestion(form.get(SUGGESTION))
    if len(suggestion) > SUGGESTION_MAX_CHARS:
        problems.append((Problem.SUGGESTION_TOO_LONG, {"length": len(suggestion), "limit": SUGGESTION_MAX_CHARS}))
    answers = Answers(scores, suggestion or None)
    if answers.is_empty and not problems:
        problems.append((Problem.NOTHING_ANSWERED, {}))
    return answers, problems


def may_give_module_feedback(status: ModuleStatus) -> bool:
    """A learner gives feedback on a chuyên đề once they have passed it."""
    return status == ModuleStatus.PASSED


def may_give_course_feedback(statuses: Sequence[ModuleStatus], ends_on: date | None, today: date) -> bool:
    """On the course: once every chuyên đề is passed, or once the cohort has ended (whatever was passed)."""
    return (bool(statuses) and all(s == ModuleStatus.PASSED for s in statuses)) or cohort_has_ended(ends_on, today)


@dataclass(frozen=True)
class ItemSummary:
    """One item's figures: how many answered it, the count of each score 1-5, the mean to one decimal."""

    key: str
    text: str
    answered: int
    counts: tuple[int, ...]
    mean: float | None


@dataclass(frozen=True)
class Summary:
    """The figures of one chuyên đề (or the course) in one cohort. Below the threshold only `responses` is
    filled: the items and suggestions are not even computed, so no page can show them by mistake."""

    responses: int
    shown: bool
    items: tuple[ItemSummary, ...] = ()
    suggestions: tuple[str, ...] = ()


def summarize(responses: Iterable[Answers], threshold: int = MIN_RESPONSES_SHOWN) -> Summary:
    """Aggregate the responses: per item the distribution and the mean (half up to one decimal); the suggestions
    in Vietnamese dictionary order, never in the order they came (that order could point to who wrote them)."""
    responses = list(responses)
    if len(responses) < threshold:
        return Summary(len(responses), False)
    items = []
    for item in ITEMS:
        values = [r.scores.get(item.key) for r in responses]
        values = [v for v in values if v is not None]
        counts = tuple(values.count(score) for score in SCALE)
        mean = round_half_up(sum(values) / len(values), 1) if values else None
        items.append(ItemSummary(item.key, item.text, len(values), counts, mean))
    suggestions = sorted((r.suggestion for r in responses if r.suggestion), key=lambda s: (sort_key(s), s))
    return Summary(len(responses), True, tuple(items), tuple(suggestions))


def response_rate(responses: int, learners: int) -> int:
    """The share of the cohort's learners who answered, in percent (0 for a cohort without learners)."""
    return round(100 * responses / learners) if learners else 0
