"""Content file texts <-> what the editors hold: lesson files built from fields and read back, lesson and case
texts checked into content objects, uploads decoded, case copies, and line diffs between two texts."""
from __future__ import annotations

import dataclasses
import difflib
from functools import lru_cache
from pathlib import Path

from lms.content.body import tidy
from lms.content.export import case_file
from lms.content.export import lesson_file as lesson_text
from lms.content.fields import Report
from lms.content.frontmatter import normalize_text, split_front_matter
from lms.content.links import LinkIndex
from lms.content.schema import LessonDoc, Problem
from lms.content.translatable import N_
from lms.content.validate_case import parse_case_text
from lms.content.validate_module import parse_lesson_text
from lms.domain.cases import CaseDefinition

CASE_TEMPLATE_FILE = Path(__file__).with_name("case_template.md")
COPY_PREFIX = "Bản sao — "  # content, not interface: case titles are Vietnamese in every language


@lru_cache(maxsize=1)
def case_template() -> str:
    """The complete, valid case shown in the editor of a new case: every question type and a branch."""
    return CASE_TEMPLATE_FILE.read_text(encoding="utf-8")


def lesson_file(number: int, slug: str, title: str, summary: str, body: str) -> str:
    """The lesson file text for the editor's fields, whether or not they are valid."""
    return lesson_text(LessonDoc(number, slug, title.strip(), summary.strip(), tidy(normalize_text(body))))


def body_offset(text: str) -> int:
    """How many lines of a lesson file come before its body, to turn file lines into lines of the body field."""
    head, fence, body = text.partition("\n---\n")
    return text.count("\n", 0, len(head) + len(fence) + len(body) - len(body.lstrip("\n"))) if fence else 0


def lesson_fields(text: str) -> tuple[str, str, str]:
    """Title, summary and body read back from a lesson file text, as far as it can be read."""
    data, body, _ = split_front_matter(text)
    data = data if isinstance(data, dict) else {}
    return str(data.get("title") or ""), str(data.get("summary") or ""), tidy(body)


def front_matter_title(text: str) -> str:
    """The title in a lesson's or case's file text, '' when it names none or cannot be read (drafts may be invalid)."""
    data, _, _ = split_front_matter(text)
    title = data.get("title") if isinstance(data, dict) else None
    return " ".join(str(title).split()) if title else ""


def check_lesson(text: str, key: str, index: LinkIndex, module_key: str) -> tuple[LessonDoc | None, list[Problem]]:
    """The lesson in a file text named key.md, validated as files are, with its links checked."""
    return parse_lesson_text(text, f"{key}.md", index=index, module_key=module_key)


def check_case(text: str, slug: str, index: LinkIndex, module_key: str) -> tuple[CaseDefinition | None, list[Problem]]:
    """The case in a file text, validated as files are, with its links checked."""
    return parse_case_text(normalize_text(text), slug, index=index, module_key=module_key)


def decode_upload(data: bytes) -> tuple[str | None, list[Problem]]:
    """The UTF-8 text of an uploaded file, or the problem explaining why it cannot be read."""
    try:
        return normalize_text(data.decode("utf-8")), []
    except UnicodeDecodeError as error:
        report = Report("")
        report.add("", N_("the file is not UTF-8 text (bad byte at position {position})"), position=error.start)
        return None, report.problems


def copy_case(case: CaseDefinition, slug: str) -> str:
    """The file text of a copy of a case under a new slug, its title marked as a copy."""
    return case_file(dataclasses.replace(case, slug=slug, title=COPY_PREFIX + case.title))


def diff_lines(old: str, new: str, old_label: str, new_label: str) -> list[tuple[str, str]]:
    """A unified diff as (css class, line) pairs: diff-add, diff-del, diff-hunk or diff-meta, '' for context."""
    lines = difflib.unified_diff(old.splitlines(), new.splitlines(), old_label, new_label, lineterm="")
    return [(_line_class(line), line) for line in lines]


def _line_class(line: str) -> str:
    if line.startswith(("+++", "---")):
        return "diff-meta"
    if line.startswith("@@"):
        return "diff-hunk"
    return {"+": "diff-add", "-": "diff-del"}.get(line[:1], "")
