"""Splitting a content file into its YAML front matter and its Markdown body."""
from __future__ import annotations

import unicodedata
from typing import Any, NamedTuple

import yaml

from lms.content.fields import Report
from lms.content.schema import Problem
from lms.content.translatable import N_

FENCE = "---"


class Parts(NamedTuple):
    """The pieces of a content file; body_line is the file line the body starts on."""

    data: dict | None
    body: str
    body_line: int
    problems: list[Problem]


_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml is ten times faster when present


class _StrictLoader(_SafeLoader):
    """A safe loader that refuses duplicate keys, which plain YAML silently overwrites."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        """The mapping, or a ConstructorError at the first repeated key."""
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, (str, int, float, bool)) and key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


_StrictLoader.add_constructor("tag:yaml.org,2002:map", _StrictLoader.construct_yaml_map)


def normalize_text(text: str) -> str:
    """NFC-normalised text with Unix line ends and no byte-order mark."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def split_front_matter(text: str, path: str = "") -> tuple[dict | None, str, list[Problem]]:
    """The front matter mapping (None when unreadable), the body and the problems found."""
    parts = split_parts(text, path)
    return parts.data, parts.body, parts.problems


def split_parts(text: str, path: str = "") -> Parts:
    """Like split_front_matter, also giving the file line the body starts on."""
    report = Report(path)
    lines = normalize_text(text).split("\n")
    if not lines or lines[0].rstrip() != FENCE:
        report.add("line 1", N_("the file must start with a --- line that opens the YAML front matter"))
        return Parts(None, "\n".join(lines), 1, report.problems)
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() == FENCE), None)
    if end is None:
        report.add("line 1", N_("the front matter has no closing --- line"))
        return Parts(None, "", len(lines) + 1, report.problems)
    data = _load_yaml("\n".join(lines[1:end]), report)
    return Parts(data, "\n".join(lines[end + 1:]), end + 2, report.problems)


# What a YAML parser's complaint means for someone who has never seen YAML, by the words of the complaint.
PLAIN_YAML_ERRORS = (
    ("duplicate key", N_("the key {key} is written twice at the same level: keep one")),
    ("mapping values are not allowed", N_("a colon (:) inside a value: put the whole value in double quotes")),
    ("tab character", N_("a tab character: indent with spaces only (two per level)")),
    ("'\\t'", N_("a tab character: indent with spaces only (two per level)")),
    ("quoted scalar", N_("a quotation mark is opened and never closed: close it at the end of the value")),
    ("undefined alias", N_("a value starts with * or &: put it in double quotes")),
    ("cannot start any token", N_("a value starts with a character YAML reserves (@, `, % ...): put it in double quotes")),
    ("could not find expected ':'", N_("a line without its colon after the key, or text running onto the next line: "
                                       "put long text in double quotes or under text: |")),
    ("expected <block end>", N_("the indentation does not line up with the lines above: each level is two more "
                                "spaces, and the items of a list start with - at the same place")),
    ("did not find expected", N_("the indentation does not line up with the lines above: each level is two more "
                                 "spaces, and the items of a list start with - at the same place")),
)


def _load_yaml(source: str, report: Report) -> dict | None:
    try:
        data = yaml.load(source, Loader=_StrictLoader)  # noqa: S506 (a SafeLoader subclass)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 2 if mark else 2  # +1 for 1-based, +1 for the opening --- line
        detail = " ".join(str(part) for part in (error.context, error.problem) if part)
        plain = next((template for words, template in PLAIN_YAML_ERRORS if words in detail), None)
        if plain is not None:
            key = detail.split("duplicate key", 1)[-1].strip() if "duplicate key" in detail else ""
            report.add(f"line {line}", plain, key=key)
        else:
            report.add(f"line {line}", N_("the YAML cannot be read: {error}"), error=detail)
        return None
    except yaml.YAMLError as error:
        report.add("line 2", N_("the YAML cannot be read: {error}"), error=str(error))
        return None
    if data is None:
        return {}
    if not isinstance(data, dict):
        report.add("line 2", N_("the front matter must be a mapping of keys to values"))
        return None
    return data
