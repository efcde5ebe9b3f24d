"""Internal links (lesson:, module:, case:) and media images: finding them and checking they resolve."""
from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from lms.content.body import prose_lines, where
from lms.content.fields import SLUG_RE, Report
from lms.content.schema import Course
from lms.content.translatable import N_

INTERNAL_KINDS = ("lesson", "module", "case")
WEB_SCHEMES = ("http", "https")
KEY_RE = re.compile(r"(\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)")
INLINE_RE = re.compile(r"(!?)\[[^\]]*\]\(\s*<?([^\s)>]+)")
REFERENCE_RE = re.compile(r"^ {0,3}\[(?!\^)[^\]]+\]:\s*<?([^\s>]+)")
SCHEME_RE = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")


@dataclass(frozen=True)
class LinkIndex:
    """What internal links may point to; media is None when image files are not known."""

    modules: frozenset[str] = frozenset()
    lessons: Mapping[str, frozenset[str]] = field(default_factory=dict)
    cases: frozenset[str] = frozenset()
    media: Mapping[str, frozenset[str]] | None = None

    @classmethod
    def from_course(cls, course: Course) -> LinkIndex:
        """The index of a loaded course (media unknown)."""
        return cls(frozenset(m.key for m in course.modules),
                   {m.key: frozenset(lesson.key for lesson in m.lessons) for m in course.modules},
                   frozenset(c.slug for m in course.modules for c in m.cases))


def scan_index(root: Path) -> LinkIndex:
    """The index built from the folder and file names under a modules root, valid or not."""
    modules, lessons, cases, media = set(), {}, set(), {}
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and KEY_RE.fullmatch(p.name)):
        modules.add(folder.name)
        lessons[folder.name] = frozenset(_stems(folder / "lessons"))
        cases.update(_stems(folder / "cases"))
        media_dir = folder / "media"
        names = (p.relative_to(media_dir).as_posix() for p in media_dir.rglob("*") if p.is_file())
        media[folder.name] = frozenset(names) if media_dir.is_dir() else frozenset()
    return LinkIndex(frozenset(modules), lessons, frozenset(cases), media)


def _stems(folder: Path) -> list[str]:
    return [p.stem for p in folder.glob("*.md")] if folder.is_dir() else []


def link_targets(text: str) -> Iterator[tuple[int, str, bool]]:
    """(line index, target, is_image) of every Markdown link or image outside code."""
    for index, line in enumerate(prose_lines(text)):
        for match in INLINE_RE.finditer(line):
            yield index, match.group(2), bool(match.group(1))
        match = REFERENCE_RE.match(line)
        if match:
            yield index, match.group(1), False


def check_links(report: Report, text: str, index: LinkIndex | None, module_key: str | None,
                *, first_line: int | None = None, location: str = "") -> None:
    """Record each link with a forbidden scheme, each internal link and media image that does not resolve."""
    for line_index, target, is_image in link_targets(text):
        at = where(first_line, line_index, location)
        scheme = SCHEME_RE.match(target)
        name = scheme.group(1) if scheme else ""
        if scheme and name.lower() not in WEB_SCHEMES and name not in INTERNAL_KINDS:
            report.add(at, N_("links may only go to http(s) addresses or lesson:, module:, case: targets (got {target})"),
                       target=target)
        elif name in INTERNAL_KINDS and index is not None:
            kind, _, rest = target.partition(":")
            if not resolves(index, kind, rest, module_key):
                report.add(at, N_("the link {target} goes nowhere: no such {kind}"), target=target, kind=kind)
        elif is_image and target.startswith("media/") and index is not None and index.media is not None:
            if module_key is not None and target.removeprefix("media/") not in index.media.get(module_key, ()):
                report.add(at, N_("the image {target} is not in the module's media folder"), target=target)


def resolves(index: LinkIndex, kind: str, target: str, module_key: str | None) -> bool:
    """True when an internal link target names something in the index."""
    if kind == "module":
        return target in index.modules
    if kind == "case":
        return bool(SLUG_RE.fullmatch(target)) and target in index.cases
    module, _, lesson = target.rpartition("/")
    module = module or module_key or ""
    return lesson in index.lessons.get(module, ())
