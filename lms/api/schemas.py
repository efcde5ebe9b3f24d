"""The API's request and response shapes (pydantic): the handlers validate with them and the OpenAPI document is
generated from them, so the two cannot drift."""
from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from lms.domain.accounts import MAX_NAME
from lms.domain.roster import MAX_COMMUNE
from lms.schedule.services import MAX_REASON

MAX_BATCH = 500  # rows of one enrolment call; larger rosters go through the administrators' import page
MAX_PER_PAGE = 100
Stamp = datetime  # every moment is given in UTC with its offset (ISO 8601)


class Out(BaseModel):
    """A response body."""

    model_config = ConfigDict(extra="forbid")


class In(BaseModel):
    """A request body or query: unknown fields are refused, so a typo does not pass unnoticed."""

    model_config = ConfigDict(extra="forbid", str_max_length=2000)


class PageQuery(BaseModel):
    """`page` (from 1) and `per_page` (at most 100); unknown query parameters are ignored."""

    model_config = ConfigDict(extra="ignore")

    page: int = Field(1, ge=1, le=100_000, description="The page wanted, from 1.")
    per_page: int = Field(25, ge=1, le=MAX_PER_PAGE, description="Rows per page, at most 100.")


class SyncQuery(PageQuery):
    """Paging, plus `updated_since` for incremental synchronisation."""

    updated_since: AwareDatetime | None = Field(
        None, description="Only rows changed at or after this moment (ISO 8601 with an offset).")


class ItemQuery(PageQuery):
    """Paging, and the item analysis's filters."""

    module: int | None = Field(None, ge=1, le=1000, description="Only this chuyên đề (module number).")
    commune: str | None = Field(None, max_length=MAX_COMMUNE, description="Only learners of this commune or ward.")


class ScheduleQuery(BaseModel):
    """`updated_since` for the schedule items and extensions changed since."""

    model_config = ConfigDict(extra="ignore")

    updated_since: AwareDatetime | None = Field(
        None, description="Only items and extensions changed at or after this moment.")


class Links(Out):
    """Where to go from a page of results (null: there is no such page)."""

    self: str
    first: str
    last: str
    next: str | None
    prev: str | None


class Paged(Out):
    """One page of a list, its position and its links."""

    page: int
    per_page: int
    total: int
    pages: int
    links: Links


class CohortLinks(Out):
    """The cohort's resources."""

    self: str
    schedule: str
    learners: str
    documents: str
    items: str


class CohortOut(Out):
    """A class of learners."""

    id: int
    name: str
    starts_on: date | None
    ends_on: date | None
    created_at: Stamp
    learners: int
    links: CohortLinks


class CohortPage(Paged):
    """A page of cohorts."""

    items: list[CohortOut]


class ScheduleItemOut(Out):
    """When one chuyên đề (kind module) or the final essay (kind essay) opens, is due and closes."""

    kind: Literal["module", "essay"]
    module_number: int | None
    module_title: str | None
    opens_at: Stamp | None
    due_at: Stamp | None
    closes_at: Stamp | None
    updated_at: Stamp


class ExtensionOut(Out):
    """A learner's later dates for one item, with the reason."""

    user_id: int
    username: str
    kind: Literal["module", "essay"]
    module_number: int | None
    due_at: Stamp | None
    closes_at: Stamp | None
    reason: str
    granted_at: Stamp


class ScheduleOut(Out):
    """A cohort's schedule and its per-learner extensions."""

    cohort_id: int
    items: list[ScheduleItemOut]
    extensions: list[ExtensionOut]


class ModuleStanding(Out):
    """A learner's standing in one chuyên đề."""

    number: int
    title: str
    status: Literal["not_started", "in_progress", "completed", "passed", "not_passed"]
    grade: float | None
    grade_source: str | None
    lessons_studied: int
    lessons_total: int
    cases_submitted: int
    cases_total: int


class LearnerOut(Out):
    """A learner of the cohort with their progress and module grades."""

    user_id: int
    username: str
    full_name: str
    commune: str
    enrolled_at: Stamp
    updated_at: Stamp
    percent: int = Field(description="Share of the course's lessons and required cases done.")
    average: float | None = Field(description="Mean of the module grades, once every module has one.")
    modules: list[ModuleStanding]
    transcript: str


class LearnerPage(Paged):
    """A page of a cohort's learners."""

    items: list[LearnerOut]


class TranscriptLine(Out):
    """One chuyên đề on the transcript."""

    number: int
    title: str
    hours: float
    grade: float | None
    passed: bool
    completed_on: date | None
    classification: str | None


class TranscriptOut(Out):
    """A learner's transcript in a cohort, as the transcript page shows it."""

    user_id: int
    cohort_id: int
    holder_name: str
    holder_username: str
    commune: str
    cohort_name: str
    lines: list[TranscriptLine]
    passed_count: int
    average: float | None
    classification: str | None
    completed: bool
    completed_on: date | None
    total_hours: float
    essay: float | None
    essay_required: bool


class DocumentOut(Out):
    """An issued transcript or certificate and its verification status."""

    code: str
    kind: Literal["transcript", "certificate"]
    user_id: int
    cohort_id: int
    status: Literal["valid", "superseded", "revoked"]
    issued_at: Stamp
    superseded_at: Stamp | None
    revoked_at: Stamp | None
    revoked_reason: str | None
    updated_at: Stamp
    verify_url: str


class DocumentPage(Paged):
    """A page of a cohort's issued documents."""

    items: list[DocumentOut]


class VerifiedDocument(DocumentOut):
    """A document with the check of its signature."""

    signature_valid: bool


class OptionOut(Out):
    """How one option of a question fared."""

    option_id: str
    rating: int
    chosen: int
    chosen_by_upper: int


class ItemOut(Out):
    """One question of one case with its statistics (the item analysis)."""

    module_number: int
    case_title: str
    case_slug: str
    stage: int
    question_id: str
    variant: int
    prompt: str
    attempts: int
    facility: float | None
    discrimination: float | None
    upper_lower: float | None
    flags: list[str]
    options: list[OptionOut]


class ItemPage(Paged):
    """A page of the item analysis."""

    items: list[ItemOut]


class EnrolRow(In):
    """One learner to enrol, as a roster row: the roster import's checks decide, with its codes and messages."""

    full_name: str = Field(description=f"At most {MAX_NAME} characters.")
    identifier: str = Field(description="A username (3-64 characters: a-z, 0-9, '.', '_', '-') or an e-mail address.")
    commune: str = Field(description=f"The commune or ward, at most {MAX_COMMUNE} characters.")
    phone: str | None = Field(None, description="Optional: digits, spaces, '.', '-', an optional leading '+'.")


class EnrolIn(In):
    """Learners to enrol, all or none."""

    learners: list[EnrolRow] = Field(min_length=1, max_length=MAX_BATCH)


class CreatedAccount(Out):
    """A new account made for a row, with its temporary password (shown this once)."""

    row: int = Field(description="The row's index in `learners`, from 0.")
    user_id: int
    username: str
    temporary_password: str = Field(description="To hand to the learner, who must replace it at first sign-in.")


class EnrolOut(Out):
    """What an enrolment did."""

    cohort_id: int
    enrolled: int
    unchanged: int
    created: list[CreatedAccount]


class ExtensionIn(In):
    """Later dates for one learner and one item, with the reason; setting it again replaces it."""

    kind: Literal["module", "essay"]
    module_number: int | None = Field(None, ge=1, le=1000, description="Required when kind is module.")
    due_at: AwareDatetime | None = Field(None, description="The new due date; this or closes_at is required.")
    closes_at: AwareDatetime | None = Field(None, description="The new closing date; this or due_at is required.")
    reason: str = Field(min_length=1, max_length=MAX_REASON)


class FieldError(Out):
    """One field at fault: a JSON pointer into the request, a machine code and the message."""

    pointer: str
    code: str
    message: str


class Problem(BaseModel):
    """RFC 9457 problem details; `title` and `detail` follow Accept-Language (Vietnamese or English)."""

    type: str
    title: str
    status: int
    detail: str
    code: str | None = Field(None, description=(
        "What went wrong, for programs: token_unknown, token_revoked, token_expired, token_owner_not_admin (401); "
        "invalid_request, roster_rejected, extension_rejected, no_item (422); body_too_large (413)."))
    errors: list[FieldError] | None = Field(None, description="Each field at fault (422).")


class IndexOut(Out):
    """The API's entry point."""

    name: str
    version: str
    openapi: str
    docs: str
    cohorts: str
