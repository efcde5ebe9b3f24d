"""The module header (module.md) as a form: fields <-> front matter checked by the same validator."""
from __future__ import annotations

from datetime import datetime

import lms.audit as audit
from lms.catalog.store import apply_module_doc
from lms.content.export import front_matter
from lms.content.schema import ModuleDoc, Problem
from lms.content.validate_module import parse_module_text
from lms.extensions import db
from lms.models import Module, User

VERIFIED_WORDS = ("đã đối chiếu", "verified", "x", "có")


def _number(text: str):
    """A typed number (7,5 or 7.5) as a number; anything else stays text for the validator to report."""
    value = (text or "").strip().replace(",", ".")
    try:
        number = float(value)
    except ValueError:
        return value
    return int(number) if number.is_integer() else number


def references_text(references: list[dict]) -> str:
    """References as editable lines: số hiệu | tên văn bản | YYYY-MM-DD | đã đối chiếu/chưa."""
    return "\n".join(" | ".join([r["number"], r.get("title") or "", r.get("date") or "",
                                 "đã đối chiếu" if r.get("verified") else "chưa"]) for r in references)


def _reference(line: str) -> dict:
    parts = [part.strip() for part in line.split("|")] + ["", "", ""]
    data: dict = {"number": parts[0], "title": parts[1]}
    if parts[2]:
        data["date"] = parts[2]
    data["verified"] = parts[3].lower() in VERIFIED_WORDS
    return data


def header_text(form: dict[str, str]) -> str:
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
    intro = form["intro"].strip()
    return front_matter(data) + (f"\n{intro}\n" if intro else "")


def check_header(module: Module, form: dict[str, str]) -> tuple[ModuleDoc | None, list[Problem]]:
    """The header parsed by the content validator, or its problems."""
    return parse_module_text(header_text(form), module.key, "module.md")


def save_header(module: Module, doc: ModuleDoc, resolve, actor: User, now: datetime) -> None:
    """Apply a validated header; the module is marked as edited in the browser (imports report a conflict)."""
    apply_module_doc(module, doc, resolve, now)
    module.edited_in_browser = True
    db.session.flush()
    audit.record(actor, "module.header_edited", "module", module.id, now, module=module.key, title=module.title)
