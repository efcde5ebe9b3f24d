"""Loading a module folder or the whole course from disk, with folder-level and course-wide rules."""
from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lms.content.course_rules import check_course
from lms.content.fields import Report
from lms.content.links import LinkIndex, scan_index
from lms.content.schema import MODULE_NUMBER_MAX, Course, ModuleDoc, Problem
from lms.content.translatable import N_
from lms.content.validate_case import parse_case_text
from lms.content.validate_module import (
    NAME_RE,
    parse_lesson_text,
    parse_module_text,
    parse_name,
)

MODULE_ENTRIES = ("module.md", "lessons", "cases", "media")


def read_text(path: Path, report: Report) -> str | None:
    """The UTF-8 text of a file, or None after recording why it cannot be read."""
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as error:
        report.add("", N_("the file is not UTF-8 text (bad byte at position {position})"), position=error.start)
    except OSError as error:
        report.add("", N_("the file cannot be read: {error}"), error=error.strerror or str(error))
    return None


def load_module_dir(path: Path | str, *, index: LinkIndex | None = None) -> tuple[ModuleDoc | None, list[Problem]]:
    """A module folder with its lessons and cases (None when anything is wrong), and every problem."""
    path = Path(path)
    index = index if index is not None else scan_index(path.parent)
    report = Report(path)
    _check_entries(report, path)
    module = _load_header(report, path, index)
    lessons = _load_files(report, path / "lessons", lambda text, file, p: parse_lesson_text(
        text, file.name, p, index=index, module_key=path.name))
    cases = _load_files(report, path / "cases", lambda text, file, p: parse_case_text(
        text, file.stem, p, index=index, module_key=path.name))
    _check_lesson_numbers(report, path / "lessons")
    if module is None or report.problems:
        return None, report.problems
    return dataclasses.replace(module, lessons=tuple(lessons), cases=tuple(cases)), report.problems


def _check_entries(report: Report, path: Path) -> None:
    for entry in sorted(path.iterdir()):
        if entry.name not in MODULE_ENTRIES and not entry.name.startswith("."):
            report.add("", N_("unexpected {name}: a module folder holds only {allowed}"),
                       name=entry.name, allowed=", ".join(MODULE_ENTRIES))


def _load_header(report: Report, path: Path, index: LinkIndex) -> ModuleDoc | None:
    file = path / "module.md"
    if not file.is_file():
        parse_name(report, path.name, "folder name", MODULE_NUMBER_MAX)
        report.add("", N_("module.md missing"))
        return None
    text = read_text(file, Report(file))
    if text is None:
        return None
    module, problems = parse_module_text(text, path.name, str(file), index=index)
    report.extend(problems)
    return module


def _load_files(report: Report, folder: Path, parse: Callable[[str, Path, str], tuple[Any, list[Problem]]]) -> list:
    """Every .md file of a lessons or cases folder parsed, in file-name order."""
    if not folder.is_dir():
        return []
    loaded = []
    for file in sorted(folder.iterdir()):
        if file.name.startswith("."):
            continue
        if not file.is_file() or file.suffix != ".md":
            report.problems.append(Problem.make(str(folder), "", N_("unexpected {name}: only .md files belong here"),
                                                name=file.name))
            continue
        file_report = Report(file)
        text = read_text(file, file_report)
        if text is not None:
            item, problems = parse(text, file, str(file))
            file_report.extend(problems)
            loaded.append(item)
        report.extend(file_report.problems)
    return [item for item in loaded if item is not None]


def _check_lesson_numbers(report: Report, folder: Path) -> None:
    if not folder.is_dir():
        return
    names = [f.stem for f in sorted(folder.glob("*.md"))]
    _check_numbering(Report(folder), report, names, "lessons")
    by_slug = defaultdict(list)
    for name in names:
        match = NAME_RE.fullmatch(name)
        if match:
            by_slug[match.group(2)].append(name)
    for slug, files in by_slug.items():
        if len(files) > 1:
            report.problems.append(Problem.make(str(folder), "", N_("the lesson slug {slug} is used by {files}"),
                                                slug=slug, files=", ".join(files)))


def _check_numbering(where: Report, report: Report, names: list[str], what: str) -> None:
    """Numbers must run 01, 02, ... N without gaps or repeats."""
    numbers = defaultdict(list)
    for name in names:
        match = NAME_RE.fullmatch(name)
        if match and int(match.group(1)) > 0:
            numbers[int(match.group(1))].append(name)
    for number, found in sorted(numbers.items()):
        if len(found) > 1:
            where.add("", N_("{what} share the number {number:02d}: {names}"),
                      what=what, number=number, names=", ".join(found))
    top = max(numbers, default=0)
    missing = [f"{n:02d}" for n in range(1, top + 1) if n not in numbers]
    if missing:
        where.add("", N_("{what} must be numbered 01, 02, ... without gaps: missing {missing}"),
                  what=what, missing=", ".join(missing))
    report.extend(where.problems)


def load_course(root: Path | str) -> tuple[Course, list[Problem]]:
    """Every module under the root (only those without problems) and every problem, course-wide rules included."""
    root = Path(root)
    report = Report(root)
    if not root.is_dir():
        report.add("", N_("no such folder"))
        return Course(), report.problems
    index = scan_index(root)
    modules, folders = [], []
    for entry in sorted(root.iterdir()):
        if entry.name.startswith("."):
            continue
        if not entry.is_dir():
            report.add("", N_("unexpected file {name}: the modules root holds only module folders"),
                       name=entry.name)
            continue
        folders.append(entry.name)
        module, problems = load_module_dir(entry, index=index)
        report.extend(problems)
        if module is not None:
            modules.append(module)
    _check_numbering(Report(root), report, folders, "modules")
    report.extend(duplicate_case_slugs(root))
    course = Course(tuple(modules))
    report.extend(check_course(root, course))
    return course, report.problems


def duplicate_case_slugs(root: Path, only: str | None = None) -> list[Problem]:
    """A problem for each case file whose slug another module already uses (only those in module `only`)."""
    seen: dict[str, Path] = {}
    problems = []
    for file in sorted(root.glob("*/cases/*.md")):
        first = seen.setdefault(file.stem, file)
        if first != file and only in (None, file.parent.parent.name, first.parent.parent.name):
            problems.append(Problem.make(str(file), "file name",
                                         N_("the case slug {slug} is also used by {other}; case slugs must be "
                                            "unique across the course"), slug=file.stem, other=str(first)))
    return problems
