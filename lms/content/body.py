"""Line-level checks of Markdown bodies: code blocks, headings, call-outs and case sections."""
from __future__ import annotations

import re

from lms.content.fields import Report
from lms.content.schema import CALLOUT_KINDS
from lms.content.translatable import N_

FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
CODE_SPAN_RE = re.compile(r"(`+)(.+?)\1")
# python-markdown needs no space after the hashes, so neither do we
HEADING_RE = re.compile(r"^(#{1,6})(?!#)(.*)$")
CALLOUT_RE = re.compile(r"^ *!!! ?([\w-]+(?: +[\w-]+)*)")
SCENARIO, DEBRIEF = "Tình huống", "Tổng kết"


def tidy(text: str) -> str:
    """Markdown text without leading blank lines or trailing whitespace, as stored and exported."""
    return re.sub(r"\A(?:[ \t]*\n)+", "", text).rstrip()


def prose_lines(text: str) -> list[str]:
    """The lines of a Markdown text with code blocks and code spans blanked, so line numbers hold."""
    lines, fence = [], ""
    for line in text.split("\n"):
        match = FENCE_RE.match(line)
        if fence:
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = ""
            lines.append("")
        elif match:
            fence = match.group(1)
            lines.append("")
        else:
            lines.append(CODE_SPAN_RE.sub(lambda m: " " * len(m.group(0)), line))
    return lines


def headings(text: str) -> list[tuple[int, int, str]]:
    """(line index, level, title) of each ATX heading outside code."""
    found = []
    for index, line in enumerate(prose_lines(text)):
        match = HEADING_RE.match(line)
        if match:
            found.append((index, len(match.group(1)), match.group(2).strip().rstrip("#").strip()))
    return found


def where(first_line: int | None, index: int, location: str) -> str:
    """A file line when the text's first line is known, else the field location."""
    return f"line {first_line + index}" if first_line is not None else location


def check_callouts(report: Report, text: str, first_line: int | None, location: str = "") -> None:
    """Record each call-out whose kind is not one of the allowed kinds."""
    for index, line in enumerate(prose_lines(text)):
        match = CALLOUT_RE.match(line)
        if not match:
            continue
        for kind in match.group(1).lower().split():
            if kind not in CALLOUT_KINDS:
                report.add(where(first_line, index, location),
                           N_("unknown call-out kind {kind} (allowed: {allowed})"),
                           kind=kind, allowed=", ".join(CALLOUT_KINDS))


def check_no_title_heading(report: Report, text: str, first_line: int) -> None:
    """Record each level-1 heading: the title is the only '#' and comes from the front matter."""
    for index, level, _ in headings(text):
        if level == 1:
            report.add(where(first_line, index, ""),
                       N_("headings start at ##; the # title comes from the front matter"))


def case_sections(report: Report, body: str, first_line: int) -> tuple[str, str]:
    """The scenario and debrief texts; records a problem unless the body has exactly the two sections."""
    lines = body.split("\n")
    top = [(index, level, title) for index, level, title in headings(body) if level <= 2]
    if [(level, title) for _, level, title in top] != [(2, SCENARIO), (2, DEBRIEF)]:
        found = ", ".join(f"'{'#' * level} {title}'" for _, level, title in top) or "none"
        report.add(where(first_line, top[0][0], "") if top else "body",
                   N_("the body must have exactly the sections '## {first}' then '## {second}' (found: {found})"),
                   first=SCENARIO, second=DEBRIEF, found=found)
        return "", ""
    start, middle = top[0][0], top[1][0]
    if "\n".join(lines[:start]).strip():
        report.add(where(first_line, 0, ""), N_("text before '## {first}'; put it inside a section"),
                   first=SCENARIO)
    scenario = tidy("\n".join(lines[start + 1:middle]))
    debrief = tidy("\n".join(lines[middle + 1:]))
    for title, text, index in ((SCENARIO, scenario, start), (DEBRIEF, debrief, middle)):
        if not text:
            report.add(where(first_line, index, ""), N_("the section '## {title}' is empty"), title=title)
    return scenario, debrief
