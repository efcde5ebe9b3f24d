"""Course-wide rules no single file can check: references a maintainer can trust, and one term for each thing.

- A reference that names a kind of numbered document (Luật, Nghị định, Quy định ...) carries its number.
- `verified: true` says when it was checked (`checked_on`) and where (`source`).
- Only documents in force are listed as a basis (`in_force: false` is refused: mention history in the text).
- The same document (same number) carries the same title, issuer and date in every module.
- Learner-visible text uses none of the phrases in `content/terms.yml` (each with the term to use instead);
  link targets and `inline code` are not prose, so a glossary can quote a term it forbids.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from lms.content.essay import load_essay
from lms.content.fields import Report
from lms.content.schema import Course, ModuleDoc, Problem, Reference
from lms.content.translatable import N_

NUMBERED_KINDS = ("luật", "bộ luật", "nghị định", "nghị quyết", "quy định", "kết luận", "chỉ thị", "thông tư",
                  "quyết định", "hướng dẫn", "kế hoạch", "quy chế")
TERMS_FILE = "terms.yml"
# Not prose: link targets (module:07-x, case:slug) and inline code, where a term may be quoted on purpose.
NOT_PROSE_RE = re.compile(r"\]\([^)]*\)|`[^`]*`")


@dataclass(frozen=True)
class Term:
    """A phrase learner-visible text must not use, and what to write instead."""

    avoid: str
    use: str
    why: str = ""

    @property
    def pattern(self) -> re.Pattern[str]:
        """The phrase as a whole word or words, any case."""
        return re.compile(rf"(?<!\w){re.escape(self.avoid)}(?!\w)", re.IGNORECASE)


def load_terms(root: Path) -> list[Term]:
    """The forbidden terms listed next to the modules root (content/terms.yml), or none."""
    path = Path(root).parent / TERMS_FILE
    if not path.is_file():
        return []
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return [Term(str(e["avoid"]), str(e.get("use", "")), str(e.get("why", ""))) for e in entries
            if isinstance(e, dict) and e.get("avoid")]


def check_course(root: Path, course: Course) -> list[Problem]:
    """Every course-wide problem: references, terms, then the final essay (content/essay.md) if there is one."""
    return check_references(root, course) + check_terms(root, load_terms(root)) + load_essay(root)[1]


def _needs_number(reference: Reference) -> bool:
    title = reference.title.strip().lower()
    return title.startswith(NUMBERED_KINDS) and not re.search(r"\d+\s*[/-]", reference.number)


def check_references(root: Path, course: Course) -> list[Problem]:
    """Numbers where documents have them, checked dates for verified ones, documents in force, one set of facts."""
    problems: list[Problem] = []
    first_seen: dict[str, tuple[ModuleDoc, Reference]] = {}
    for module in course.modules:
        report = Report(Path(root) / module.key / "module.md")
        for position, reference in enumerate(module.references):
            _check_reference(report, f"references[{position}]", reference)
            key = re.sub(r"\s+", "", reference.number.lower())
            if key in first_seen and _facts(first_seen[key][1]) != _facts(reference):
                report.add(f"references[{position}]",
                           N_("{number} is described differently in {other}: use the same title, issuer and date"),
                           number=reference.number, other=first_seen[key][0].key)
            first_seen.setdefault(key, (module, reference))
        problems.extend(report.problems)
    return problems


def _check_reference(report: Report, location: str, reference: Reference) -> None:
    if _needs_number(reference):
        report.add(location, N_("{title} needs its official number (e.g. 31/2024/QH15), not {number!r}"),
                   title=reference.title, number=reference.number)
    if reference.verified and (reference.checked_on is None or not reference.source):
        report.add(location, N_("{number} is marked verified: say when (checked_on) and where (source) it was checked"),
                   number=reference.number)
    if reference.in_force is False:
        report.add(location, N_("{number} is not in force: a module rests only on documents in force "
                                "(mention a replaced one in the text)"), number=reference.number)


def _facts(reference: Reference) -> tuple:
    return (" ".join(reference.title.split()).lower(), reference.issuer.strip().lower(), reference.date)


def check_terms(root: Path, terms: list[Term]) -> list[Problem]:
    """A problem for each line of a module, lesson or case file that uses a forbidden term."""
    problems: list[Problem] = []
    if not terms:
        return problems
    files = sorted([*Path(root).glob("*/module.md"), *Path(root).glob("*/lessons/*.md"),
                    *Path(root).glob("*/cases/*.md")])
    for path in files:
        report = Report(path)
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            line = NOT_PROSE_RE.sub(" ", line)
            for term in terms:
                if term.pattern.search(line):
                    report.add(f"line {number}", N_("write {use!r}, not {avoid!r}"), use=term.use, avoid=term.avoid)
        problems.extend(report.problems)
    return problems
