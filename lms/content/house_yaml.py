"""The house style of the content files' front matter, written by hand so an export reproduces the shipped files
byte for byte (`tests/unit/content/test_export.py` checks every file):

- mappings in block style, two spaces per level; a list under a key is indented two spaces, items start "- ";
- free text in double quotes (JSON escapes, Unicode kept as is); text with line breaks as a literal block (`|`);
- identifiers and enumerations plain: the values of `id`, `type`, `kind`, `next`, `grading_policy`, `key_visible`
  when it is `after_submit`, `discussion`; numbers, booleans and dates plain;
- `roles` and the review policy's part lists on one line (`["a", "b"]`), a rubric level on one line
  (`{points: 1, description: "..."}`).
"""
from __future__ import annotations

import datetime
import json
import re
from typing import Any

PLAIN_KEYS = frozenset({"id", "type", "kind", "next", "grading_policy", "discussion"})
FLOW_LIST_KEYS = frozenset({"roles", "after_attempt", "after_last"})
FLOW_ITEM_KEYS = frozenset({"levels"})
PLAIN_TEXT = re.compile(r"[a-z0-9][a-z0-9_~-]*")


def _scalar(value: Any, key: str = "") -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if value is None:
        return "null"
    text = str(value)
    if (key in PLAIN_KEYS or text == "after_submit") and PLAIN_TEXT.fullmatch(text):
        return text
    return json.dumps(text, ensure_ascii=False)


def _block(text: str, indent: int) -> list[str]:
    """A literal block: `|` keeps one final line break, `|-` none, `|+` several."""
    chomp = "+" if text.endswith("\n\n") else "" if text.endswith("\n") else "-"
    pad = " " * (indent + 2)
    return ["|" + chomp] + [pad + line if line else "" for line in text.rstrip("\n").split("\n")] + \
        ([""] * (len(text) - len(text.rstrip("\n")) - 1) if chomp == "+" else [])


def _flow(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_scalar(v, k)}" for k, v in value.items()) + "}"
    return "[" + ", ".join(_scalar(v) for v in value) + "]"


def _mapping(data: dict[str, Any], indent: int) -> list[str]:
    lines, pad = [], " " * indent
    for key, value in data.items():
        if isinstance(value, dict):
            lines.append(f"{pad}{key}:")
            lines += _mapping(value, indent + 2)
        elif isinstance(value, list) and (key in FLOW_LIST_KEYS or not value):
            lines.append(f"{pad}{key}: {_flow(value)}")
        elif isinstance(value, list):
            lines.append(f"{pad}{key}:")
            lines += _sequence(value, indent + 2, flow_items=key in FLOW_ITEM_KEYS)
        elif isinstance(value, str) and "\n" in value:
            block = _block(value, indent)
            lines.append(f"{pad}{key}: {block[0]}")
            lines += block[1:]
        else:
            lines.append(f"{pad}{key}: {_scalar(value, key)}")
    return lines


def _sequence(items: list[Any], indent: int, flow_items: bool = False) -> list[str]:
    lines, pad = [], " " * indent
    for item in items:
        if isinstance(item, dict) and flow_items:
            lines.append(f"{pad}- {_flow(item)}")
        elif isinstance(item, dict):
            inner = _mapping(item, indent + 2)
            lines.append(f"{pad}- {inner[0].lstrip()}")
            lines += inner[1:]
        else:
            lines.append(f"{pad}- {_scalar(item)}")
    return lines


def dump(data: dict[str, Any]) -> str:
    """The front matter's YAML (without its --- lines) in the house style."""
    return "\n".join(_mapping(data, 0)) + "\n"
