"""A module's details (its module.md: title, objectives, references, assessment policy, introduction) as form
fields: the fields of a module, the module.md text of posted fields, checked by the same validator as files."""
from __future__ import annotations

from collections.abc import Mapping

from lms.catalog.store import review_policy_of
from lms.content.export import front_matter, review_lists
from lms.content.schema import ModuleDoc, Problem
from lms.content.validate_module import parse_module_text
from lms.domain.review_policy import DEFAULT as DEFAULT_REVIEW
from lms.models import Module

FIELDS = ("title", "summary", "group", "hours", "objectives", "references", "pass_mark", "attempts_allowed",
          "grading_policy", "time_limit_minutes", "key_visible", "review_after_attempt", "review_after_last",
          "knowledge_weight", "discussion", "intro")
REVIEW_FIELDS = ("review_after_attempt", "review_after_last")  # checkboxes: posted as several values
EXTRA_COLUMNS = ("issuer", "checked_on", "source")  # optional columns after the first four of a reference line
VERIFIED_WORDS = ("đã đối chiếu", "verified", "x", "có")


def current_values(module: Module) -> dict[str, str]:
    """The form fields of the module as it is."""
    return {"title": module.title, "summary": module.summary, "group": str(module.group),
            "hours": f"{module.hours:g}", "objectives": "\n".join(module.objectives),
            "references": references_text(module.references), "pass_mark": f"{module.pass_mark:g}",
            "attempts_allowed": str(module.attempts_allowed), "grading_policy": module.grading_policy,
            "time_limit_minutes": str(module.time_limit_minutes),
            "key_visible": module.key_visible_from.isoformat() if module.key_visible_from else "",
            **_review_values(review_policy_of(module)), "knowledge_weight": f"{module.knowledge_weight:g}",
            "discussion": module.discussion_opens,
            "intro": module.intro_md}


def _review_values(review) -> dict[str, str]:
    lists = review_lists(review)
    return {"review_after_attempt": ",".join(lists["after_attempt"]), "review_after_last": ",".join(lists["after_last"])}


def posted_values(form: Mapping[str, str], current: Mapping[str, str]) -> dict[str, str]:
    """The form fields as posted, every one present; the review checkboxes only count when the form had them
    (unchecked boxes post nothing, so a form without them keeps the module's current review policy)."""
    values = {name: form.get(name, "") for name in FIELDS}
    for name in REVIEW_FIELDS:
        values[name] = ",".join(form.getlist(name)) if form.get("review_form") else current[name]
    return values


def _number(text: str):
    """A typed number (7,5 or 7.5) as a number; anything else stays text for the validator to report."""
    value = (text or "").strip().replace(",", ".")
    try:
        number = float(value)
    except ValueError:
        return value
    return int(number) if number.is_integer() else number


def references_text(references: list[dict]) -> str:
    """References as editable lines: số hiệu | tên văn bản | YYYY-MM-DD | đã đối chiếu/chưa, then (when known)
    | cơ quan ban hành | ngày kiểm tra | nguồn."""
    lines = []
    for r in references:
        columns = [r["number"], r.get("title") or "", r.get("date") or "", "đã đối chiếu" if r.get("verified") else "chưa"]
        extra = [str(r.get(key) or "") for key in EXTRA_COLUMNS]
        lines.append(" | ".join(columns + (extra if any(extra) else [])))
    return "\n".join(lines)


def _reference(line: str) -> dict:
    parts = [part.strip() for part in line.split("|")] + [""] * 7
    data: dict = {"number": parts[0], "title": parts[1]}
    if parts[2]:
        data["date"] = parts[2]
    data["verified"] = parts[3].lower() in VERIFIED_WORDS
    for key, value in zip(EXTRA_COLUMNS, parts[4:7]):
        if value:
            data[key] = value
    if any(parts[4:7]):
        data["in_force"] = True  # only documents in force are listed (content/README.md)
    return data


def module_file(form: Mapping[str, str]) -> str:
    """The module.md text for the submitted fields (default policy values left out, as the exporter does)."""
    data: dict = {"title": form["title"].strip(), "summary": form["summary"].strip(), "group": _number(form["group"]),
                  "hours": _number(form["hours"]),
                  "objectives": [line.strip() for line in form["objectives"].splitlines() if line.strip()],
                  "references": [_reference(line) for line in form["references"].splitlines() if line.strip()]}
    for key, default in (("pass_mark", 5), ("attempts_allowed", 3), ("time_limit_minutes", 0)):
        value = _number(form[key])
        if value != default:
            data[key] = value
    if form["grading_policy"] != "best":
        data["grading_policy"] = form["grading_policy"]
    if form["key_visible"].strip():
        data["key_visible"] = form["key_visible"].strip()
    weight = _number(form["knowledge_weight"]) if form["knowledge_weight"].strip() else 0.2
    if weight != 0.2:
        data["knowledge_weight"] = weight
    if form["discussion"] and form["discussion"] != "after_submit":
        data["discussion"] = form["discussion"]
    review = {"after_attempt": _parts(form["review_after_attempt"]), "after_last": _parts(form["review_after_last"])}
    if review != review_lists(DEFAULT_REVIEW):
        data["review"] = review
    intro = form["intro"].strip()
    return front_matter(data) + (f"\n{intro}\n" if intro else "")


def check_details(module: Module, form: Mapping[str, str]) -> tuple[ModuleDoc | None, list[Problem]]:
    """The module's new details parsed by the content validator, or their problems."""
    return parse_module_text(module_file(form), module.key, "module.md")


def _parts(text: str) -> list[str]:
    return [part for part in (text or "").split(",") if part]
