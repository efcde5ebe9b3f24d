"""The transcript of a learner's modules, and the documents (transcript, certificate) issued from it."""
from __future__ import annotations

import base64
import re
import secrets
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

from lms.domain.errors import DomainError
from lms.domain.scoring import DEFAULT_BANDS, Band, classify

TENTH = Decimal("0.1")
CODE_BYTES = 16  # 128 bits of randomness
CODE_PATTERN = re.compile(r"[a-z2-7]{26}")
VIETNAM_TIME = timezone(timedelta(hours=7), "ICT")  # no daylight saving in Viet Nam


@dataclass(frozen=True)
class ModuleLine:
    """One module on a transcript: its nominal study hours and the learner's current grade."""

    number: int
    title: str
    hours: float
    grade: float | None
    passed: bool
    completed_on: date | None
    # The course's classification bands: a policy, not part of the results (left out of repr and equality).
    bands: tuple[Band, ...] = field(default=DEFAULT_BANDS, repr=False, compare=False)

    @property
    def classification(self) -> str | None:
        """The classification code of the grade (`lms.domain.scoring.Classification`), or None."""
        return None if self.grade is None else str(classify(self.grade, self.bands))


@dataclass(frozen=True)
class Transcript:
    """A learner's results over every module of the course, with the overall figures derived from them."""

    holder_name: str
    holder_username: str
    commune: str
    cohort_name: str
    lines: tuple[ModuleLine, ...]
    average: float | None  # plain mean of the module grades; None until every module has one
    classification: str | None  # code of the average's band, None without an average
    completed: bool  # every module passed, and the final essay too when the course requires it
    total_hours: float  # sum of the hours of all modules listed
    # The final essay's score and its share of the final average, once graded (kept out of the repr so the
    # fingerprints of transcripts without an essay stay as they were; transcript_hash adds the score).
    essay: float | None = field(default=None, repr=False)
    essay_weight: float = field(default=0.0, repr=False)
    # Whether completing the course needs the essay graded at `essay_pass_mark` or more, and the day it was
    # graded (documents issued before the rule state no requirement and keep reading as they were signed).
    essay_required: bool = field(default=False, repr=False)
    essay_pass_mark: float = field(default=5.0, repr=False)
    essay_on: date | None = field(default=None, repr=False)

    @property
    def passed_count(self) -> int:
        """How many modules are passed."""
        return sum(1 for line in self.lines if line.passed)

    @property
    def modules_completed(self) -> bool:
        """Every module passed (the course may also need the final essay: `essay_passed`)."""
        return bool(self.lines) and all(line.passed for line in self.lines)

    @property
    def essay_passed(self) -> bool:
        """The final essay is graded at the pass mark or more."""
        return self.essay is not None and self.essay >= self.essay_pass_mark

    @property
    def completed_on(self) -> date | None:
        """The date the last module (or the required essay) was completed, once the course is completed."""
        dates = [line.completed_on for line in self.lines if line.completed_on is not None]
        if self.essay_required and self.essay_on is not None:
            dates.append(self.essay_on)
        return max(dates) if self.completed and dates else None


def _decimal(value: float) -> Decimal:
    """The shortest decimal form of a float, so 8.45 stays 8.45."""
    return Decimal(str(value))


def mean_grade(grades: Sequence[float]) -> float:
    """The plain mean of grades, rounded half-up to one decimal."""
    if not grades:
        raise ValueError("no grades to average")
    total = sum((_decimal(g) for g in grades), Decimal(0))
    return float((total / len(grades)).quantize(TENTH, rounding=ROUND_HALF_UP))


def build_transcript(
    holder_name: str, holder_username: str, commune: str, cohort_name: str, lines: Iterable[ModuleLine],
    bands: tuple[Band, ...] = DEFAULT_BANDS, essay: float | None = None, essay_weight: float = 0.0,
    essay_required: bool = False, essay_pass_mark: float = 5.0, essay_on: date | None = None,
) -> Transcript:
    """The transcript of the lines ordered by module number, with average, classification and status.

    The course is completed when every module is passed and, if `essay_required`, the essay scores at least
    `essay_pass_mark`."""
    ordered = tuple(sorted(lines, key=lambda line: line.number))
    numbers = [line.number for line in ordered]
    if len(set(numbers)) != len(numbers):
        raise ValueError(f"module numbers repeat: {numbers}")
    for line in ordered:
        if line.hours < 0:
            raise ValueError(f"module {line.number}: negative hours {line.hours}")
        if line.grade is not None and not 0 <= line.grade <= 10:
            raise ValueError(f"module {line.number}: grade {line.grade} is outside 0..10")
    grades = [line.grade for line in ordered]
    average = mean_grade(grades) if ordered and None not in grades else None  # type: ignore[arg-type]
    if average is not None and essay is not None and essay_weight > 0:
        weighted = (1 - _decimal(essay_weight)) * _decimal(average) + _decimal(essay_weight) * _decimal(essay)
        average = float(weighted.quantize(TENTH, rounding=ROUND_HALF_UP))
    return Transcript(
        holder_name=holder_name,
        holder_username=holder_username,
        commune=commune,
        cohort_name=cohort_name,
        lines=ordered,
        average=average,
        classification=None if average is None else str(classify(average, bands)),
        completed=bool(ordered) and all(line.passed for line in ordered)
        and (not essay_required or (essay is not None and essay >= essay_pass_mark)),
        total_hours=float(sum((_decimal(line.hours) for line in ordered), Decimal(0))),
        essay=essay, essay_weight=essay_weight if essay is not None else 0.0,
        essay_required=essay_required, essay_pass_mark=essay_pass_mark,
        essay_on=essay_on if essay is not None else None,
    )


# --- issued documents ----------------------------------------------------------


def new_document_code() -> str:
    """A fresh random document code: 128 bits as 26 lowercase base32 characters, URL-safe."""
    raw = base64.b32encode(secrets.token_bytes(CODE_BYTES)).decode("ascii")
    return raw.rstrip("=").lower()


def read_typed_code(text: str) -> str | None:
    """The document code someone typed from paper, or None: spaces, hyphens and dots dropped, any case, and a
    zero read as the letter O (codes have no 0); None when what is left is not a code."""
    code = re.sub(r"[\s.\-]+", "", text or "").lower().replace("0", "o")
    return code if is_document_code(code) else None


def is_document_code(text: str) -> bool:
    """True when the text has the shape of a document code (for validating URLs before a lookup)."""
    return bool(CODE_PATTERN.fullmatch(text))


class DocumentKind(StrEnum):
    """What an issued document is."""

    TRANSCRIPT = "transcript"  # Bảng điểm kết quả học tập
    CERTIFICATE = "certificate"  # Giấy chứng nhận hoàn thành


class NotEligible(DomainError, ValueError):
    """A certificate was asked for a learner who has not passed every module."""

    status, default_code = 409, "not_eligible"

    def __init__(self, detail: str) -> None:
        super().__init__(detail=detail)


@dataclass(frozen=True)
class IssuedDocument:
    """One issued document: its code, public verify URL, issue time (aware) and the transcript it states."""

    code: str
    kind: DocumentKind
    verify_url: str
    issued_at: datetime
    transcript: Transcript

    def __post_init__(self) -> None:
        """Refuse naive times and certificates of incomplete transcripts."""
        if self.issued_at.tzinfo is None:
            raise ValueError("issued_at must be timezone-aware")
        if self.kind is DocumentKind.CERTIFICATE and not self.transcript.completed:
            raise NotEligible(f"{self.transcript.holder_username} has not completed the course")

    @property
    def issued_on(self) -> date:
        """The calendar date of issue in Viet Nam (printed as the generated date)."""
        return self.issued_at.astimezone(VIETNAM_TIME).date()


def can_receive_certificate(transcript: Transcript) -> bool:
    """True when the learner completed the course (every module, and the essay when required)."""
    return transcript.completed


def issue_document(
    kind: DocumentKind | str, transcript: Transcript, *, now: datetime, verify_url: Callable[[str], str]
) -> IssuedDocument:
    """A new document with a fresh code, issued at `now` (whole seconds, UTC); raises NotEligible.

    `verify_url(code)` gives the document's public URL, e.g. a `url_for(..., _external=True)` closure.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    code = new_document_code()
    issued_at = now.astimezone(UTC).replace(microsecond=0)
    return IssuedDocument(code, DocumentKind(kind), verify_url(code), issued_at, transcript)


@dataclass(frozen=True)
class Signatory:
    """Who signs a document: the position (e.g. "GIÁM ĐỐC") and the person's name."""

    title: str
    name: str


@dataclass(frozen=True)
class DocumentSettings:
    """The institution's configuration printed on and signed into every document."""

    institution_name: str
    institution_url: str  # the issuer's id in the credential
    course_title: str
    place: str  # "Hà Nội" in "Hà Nội, ngày 26 tháng 11 năm 2026"
    signatories: tuple[Signatory, ...] = ()
    parent_body: str = ""  # the governing body printed above the institution, if any
    course_description: str = ""
    bands: tuple[Band, ...] = DEFAULT_BANDS  # the classification bands the grades are read against

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> DocumentSettings:
        """Settings from a config dict; signatories given as [(title, name), ...] or [{"title", "name"}]."""
        data = dict(values)
        data["signatories"] = tuple(
            Signatory(**s) if isinstance(s, Mapping) else Signatory(*s) for s in data.get("signatories", ())
        )
        return cls(**data)

