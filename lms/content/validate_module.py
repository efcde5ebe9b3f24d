"""Parsing and validating module.md and lesson files from their text."""
from __future__ import annotations

import re

from lms.content.body import check_callouts, check_no_title_heading, tidy
from lms.content.fields import (
    TOP,
    Report,
    check_keys,
    child,
    get_bool,
    get_date,
    get_int,
    get_list,
    get_number,
    get_text,
    get_text_list,
    is_mapping,
)
from lms.content.frontmatter import split_parts
from lms.content.links import LinkIndex, check_links
from lms.content.schema import (
    GRADING_POLICIES,
    MODULE_NUMBER_MAX,
    LessonDoc,
    ModuleDoc,
    ModulePolicy,
    Problem,
    Reference,
)
from lms.content.translatable import N_
from lms.domain.discussion import OPENS as DISCUSSION_OPENS
from lms.domain.review_policy import DEFAULT as DEFAULT_REVIEW
from lms.domain.review_policy import PARTS as REVIEW_PARTS
from lms.domain.review_policy import ReviewPolicy, leak_problem

NAME_RE = re.compile(r"(\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)")
MODULE_REQUIRED = ("title", "summary", "group", "hours", "objectives", "references")
POLICY_KEYS = ("pass_mark", "attempts_allowed", "grading_policy", "time_limit_minutes", "key_visible", "review",
               "knowledge_weight", "discussion")
LESSON_REQUIRED = ("title", "summary")
REFERENCE_REQUIRED, REFERENCE_OPTIONAL = ("number", "title"), ("date", "verified", "issuer", "in_force",
                                                                  "checked_on", "source")
AFTER_SUBMIT = "after_submit"


def parse_name(report: Report, name: str, what: str, high: int | None = None) -> tuple[int, str]:
    """The number and slug in a name like '07-slug'; (0, '') after recording a problem."""
    match = NAME_RE.fullmatch(name)
    if not match:
        report.add(what, N_("{what} must be NN-slug: two digits, a hyphen, then lower-case ASCII letters, "
                            "digits and single hyphens (got {name!r})"), what=what, name=name)
        return 0, ""
    number = int(match.group(1))
    if number < 1 or (high is not None and number > high):
        report.add(what, N_("{what} number must be from 01 to {high:02d} (got {name!r})"),
                   what=what, name=name, high=high or 99)
    return number, match.group(2)


def parse_module_text(text: str, folder_name: str, path: str = "", *, index: LinkIndex | None = None
                      ) -> tuple[ModuleDoc | None, list[Problem]]:
    """The module header and introduction in module.md (lessons and cases empty), and its problems."""
    report = Report(path)
    number, slug = parse_name(report, folder_name, "folder name", MODULE_NUMBER_MAX)
    parts = split_parts(text, path)
    report.extend(parts.problems)
    if parts.data is None or not is_mapping(report, parts.data, TOP, "the front matter"):
        return None, report.problems
    data = parts.data
    check_keys(report, data, TOP, MODULE_REQUIRED, POLICY_KEYS)
    module = ModuleDoc(
        number=number, slug=slug,
        title=get_text(report, data, "title", TOP),
        summary=get_text(report, data, "summary", TOP),
        group=get_int(report, data, "group", TOP, default=0, low=1, high=3),
        hours=get_number(report, data, "hours", TOP, default=0.0),
        objectives=_objectives(report, data),
        references=_references(report, data),
        policy=_policy(report, data),
        intro=tidy(parts.body),
    )
    key = f"{number:02d}-{slug}"
    check_callouts(report, parts.body, parts.body_line)
    check_links(report, parts.body, index, key, first_line=parts.body_line)
    return (None if report.problems else module), report.problems


def _objectives(report: Report, data: dict) -> tuple[str, ...]:
    objectives = get_text_list(report, data, "objectives", TOP)
    raw = data.get("objectives")
    if isinstance(raw, list) and len(raw) < 2:
        report.add(TOP, N_("objectives must list at least {count} learning objectives"), count=2)
    return objectives


def _references(report: Report, data: dict) -> tuple[Reference, ...]:
    items = get_list(report, data, "references", TOP)
    if "references" in data and not items:
        report.add(TOP, N_("references must list at least {count} document"), count=1)
    references = []
    for position, item in enumerate(items):
        location = child("", "references", position)
        if not is_mapping(report, item, location, location):
            continue
        check_keys(report, item, location, REFERENCE_REQUIRED, REFERENCE_OPTIONAL)
        references.append(Reference(
            number=get_text(report, item, "number", location),
            title=get_text(report, item, "title", location),
            date=get_date(report, item, "date", location),
            verified=get_bool(report, item, "verified", location, default=False),
            issuer=get_text(report, item, "issuer", location),
            in_force=get_bool(report, item, "in_force", location, default=False) if "in_force" in item else None,
            checked_on=get_date(report, item, "checked_on", location),
            source=get_text(report, item, "source", location),
        ))
    return tuple(references)


def _policy(report: Report, data: dict) -> ModulePolicy:
    default = ModulePolicy()
    grading = data.get("grading_policy", default.grading_policy)
    if grading not in GRADING_POLICIES:
        report.add(TOP, N_("grading_policy must be one of: {allowed}"), allowed=", ".join(GRADING_POLICIES))
        grading = default.grading_policy
    discussion = data.get("discussion", default.discussion)
    if discussion not in DISCUSSION_OPENS:
        report.add(TOP, N_("discussion must be one of: {allowed}"), allowed=", ".join(DISCUSSION_OPENS))
        discussion = default.discussion
    policy = ModulePolicy(
        pass_mark=get_number(report, data, "pass_mark", TOP, default=default.pass_mark,
                             low=0, low_inclusive=True, high=10),
        attempts_allowed=get_int(report, data, "attempts_allowed", TOP, default=default.attempts_allowed, low=0),
        grading_policy=grading,
        time_limit_minutes=get_int(report, data, "time_limit_minutes", TOP,
                                   default=default.time_limit_minutes, low=0),
        key_visible_from=_key_visible(report, data),
        review=_review(report, data),
        knowledge_weight=get_number(report, data, "knowledge_weight", TOP, default=default.knowledge_weight,
                                    low=0, low_inclusive=True, high=1),
        discussion=discussion,
    )
    _check_review_leak(report, policy)
    return policy


def _review(report: Report, data: dict) -> ReviewPolicy:
    value = data.get("review")
    if value is None:
        return DEFAULT_REVIEW
    if not isinstance(value, dict) or set(value) - {"after_attempt", "after_last"}:
        report.add(TOP, N_("review must have after_attempt and after_last, each a list of: {parts}"),
                   parts=", ".join(REVIEW_PARTS))
        return DEFAULT_REVIEW
    lists = {}
    for key in ("after_attempt", "after_last"):
        items = value.get(key, list(getattr(DEFAULT_REVIEW, key)))
        unknown = [str(i) for i in items if i not in REVIEW_PARTS] if isinstance(items, list) else [str(items)]
        if unknown:
            report.add(TOP, N_("review.{key} may list only: {parts} (got {unknown})"), key=key,
                       parts=", ".join(REVIEW_PARTS), unknown=", ".join(unknown))
            items = []
        lists[key] = items
    return ReviewPolicy.from_lists(lists["after_attempt"], lists["after_last"])


def _check_review_leak(report: Report, policy: ModulePolicy) -> None:
    leaked = leak_problem(policy.review, policy.attempts_allowed, policy.grading_policy)
    if leaked:
        report.add(TOP, N_("review.after_attempt shows {parts} while attempts remain and the best attempt counts: "
                           "a learner could read the key and retake for full marks; show them after the last "
                           "attempt, allow one attempt, or grade by the average or the last attempt"), parts=leaked)


def _key_visible(report: Report, data: dict):
    value = data.get("key_visible")
    if value is None or value == AFTER_SUBMIT:
        return None
    found = get_date(Report(report.path), data, "key_visible", TOP)
    if found is None:
        report.add(TOP, N_("key_visible must be after_submit or a date written YYYY-MM-DD (got {value!r})"),
                   value=str(value))
    return found


def parse_lesson_text(text: str, file_name: str, path: str = "", *, index: LinkIndex | None = None,
                      module_key: str | None = None) -> tuple[LessonDoc | None, list[Problem]]:
    """The lesson in a lesson file's text, and its problems."""
    report = Report(path)
    number, slug = parse_name(report, file_name.removesuffix(".md"), "file name")
    parts = split_parts(text, path)
    report.extend(parts.problems)
    if parts.data is None or not is_mapping(report, parts.data, TOP, "the front matter"):
        return None, report.problems
    check_keys(report, parts.data, TOP, LESSON_REQUIRED, ())
    lesson = LessonDoc(number, slug, get_text(report, parts.data, "title", TOP),
                       get_text(report, parts.data, "summary", TOP), tidy(parts.body))
    check_no_title_heading(report, parts.body, parts.body_line)
    check_callouts(report, parts.body, parts.body_line)
    check_links(report, parts.body, index, module_key, first_line=parts.body_line)
    return (None if report.problems else lesson), report.problems
