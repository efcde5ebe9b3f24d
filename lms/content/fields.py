"""Typed reading of YAML mappings that records a located problem instead of raising."""
from __future__ import annotations

import datetime
import math
import re
from typing import Any

from lms.content.schema import Problem
from lms.content.translatable import N_

ID_RE = re.compile(r"[a-z0-9-]+")
SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
TOP = "front matter"  # the location of keys at the top level of the front matter


class Report:
    """Collects the problems of one file."""

    def __init__(self, path: str) -> None:
        self.path = str(path)
        self.problems: list[Problem] = []

    def add(self, location: str, template: str, **params: Any) -> None:
        """Record one problem at a location in this file."""
        self.problems.append(Problem.make(self.path, location, template, **params))

    def extend(self, problems: list[Problem]) -> None:
        """Record problems found by another check."""
        self.problems.extend(problems)


def is_mapping(report: Report, data: Any, location: str, what: str) -> bool:
    """True when data is a mapping; otherwise record why it is not."""
    if isinstance(data, dict):
        return True
    report.add(location or TOP, N_("{what} must be a mapping of keys to values"), what=what)
    return False


def check_keys(report: Report, data: dict, location: str, required: tuple, optional: tuple) -> None:
    """Record each required key that is missing and each key that is not allowed here."""
    where = location or TOP
    for key in required:
        if data.get(key) is None:
            report.add(where, N_("{key} missing"), key=key)
    allowed = set(required) | set(optional)
    for key in data:
        if key not in allowed:
            report.add(where, N_("unknown key {key} (allowed: {allowed})"),
                       key=str(key), allowed=", ".join(list(required) + list(optional)))


def get_text(report: Report, data: dict, key: str, location: str,
             *, empty_ok: bool = False, default: str = "") -> str:
    """A text value; empty text is a problem unless empty_ok; absent gives the default."""
    value = data.get(key)
    if value is None:
        return default
    if not isinstance(value, str):
        report.add(location or TOP, N_("{key} must be text (put it in quotes)"), key=key)
        return default
    if not empty_ok and not value.strip():
        report.add(location or TOP, N_("{key} must not be empty"), key=key)
    return value


def get_id(report: Report, data: dict, key: str, location: str) -> str:
    """An identifier made of lower-case ASCII letters, digits and hyphens."""
    value = data.get(key)
    if value is None:
        return ""
    if isinstance(value, (int, float)):
        report.add(location or TOP, N_("{key} must be text: put {value} in quotes"), key=key, value=str(value))
        return str(value)
    if not isinstance(value, str) or not ID_RE.fullmatch(value):
        report.add(location or TOP,
                   N_("{key} must be lower-case letters, digits and hyphens, like s1 or a (got {value!r})"),
                   key=key, value=str(value))
        return str(value)
    return value


def get_number(report: Report, data: dict, key: str, location: str, *, default: float,
               low: float = 0.0, low_inclusive: bool = False, high: float | None = None) -> float:
    """A number above low (or at least low) and at most high; absent gives the default."""
    value = data.get(key)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        report.add(location or TOP, N_("{key} must be a number"), key=key)
        return default
    too_low = value < low if low_inclusive else value <= low
    if too_low or (high is not None and value > high):
        _report_range(report, location, key, low, low_inclusive, high)
        return default
    return float(value)


def _report_range(report: Report, location: str, key: str, low: float,
                  low_inclusive: bool, high: float | None) -> None:
    where = location or TOP
    if high is not None:
        report.add(where, N_("{key} must be a number from {low:g} to {high:g}"), key=key, low=low, high=high)
    elif low_inclusive:
        report.add(where, N_("{key} must be a number of at least {low:g}"), key=key, low=low)
    else:
        report.add(where, N_("{key} must be a number greater than {low:g}"), key=key, low=low)


def get_int(report: Report, data: dict, key: str, location: str, *, default: int,
            low: int, high: int | None = None) -> int:
    """An integer from low to high (or at least low); absent gives the default."""
    value = data.get(key)
    if value is None:
        return default
    ok = isinstance(value, int) and not isinstance(value, bool)
    if ok and value >= low and (high is None or value <= high):
        return value
    if high is None:
        report.add(location or TOP, N_("{key} must be a whole number of at least {low}"), key=key, low=low)
    else:
        report.add(location or TOP, N_("{key} must be an integer from {low} to {high}"),
                   key=key, low=low, high=high)
    return default


def get_bool(report: Report, data: dict, key: str, location: str, *, default: bool) -> bool:
    """true or false; absent gives the default."""
    value = data.get(key)
    if value is None:
        return default
    if not isinstance(value, bool):
        report.add(location or TOP, N_("{key} must be true or false"), key=key)
        return default
    return value


def get_date(report: Report, data: dict, key: str, location: str) -> datetime.date | None:
    """A calendar date written YYYY-MM-DD, or None when absent."""
    value = data.get(key)
    if value is None:
        return None
    parsed = parse_date(value)
    if parsed is None:
        report.add(location or TOP, N_("{key} must be a date written YYYY-MM-DD (got {value!r})"),
                   key=key, value=str(value))
    return parsed


def parse_date(value: Any) -> datetime.date | None:
    """The date in a YAML date or a 'YYYY-MM-DD' string, else None."""
    if isinstance(value, datetime.datetime):
        return None
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str) and DATE_RE.fullmatch(value):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def get_list(report: Report, data: dict, key: str, location: str) -> list:
    """A list value; absent gives an empty list."""
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        report.add(location or TOP, N_("{key} must be a list"), key=key)
        return []
    return value


def get_text_list(report: Report, data: dict, key: str, location: str) -> tuple[str, ...]:
    """A list of non-empty texts."""
    texts = []
    for index, item in enumerate(get_list(report, data, key, location)):
        if not isinstance(item, str) or not item.strip():
            report.add(location or TOP, N_("{key}[{index}] must be non-empty text"), key=key, index=index)
        else:
            texts.append(item)
    return tuple(texts)


def child(location: str, key: str, index: int | None = None) -> str:
    """The location of a nested item, e.g. stages[1].questions[0]."""
    name = key if index is None else f"{key}[{index}]"
    return f"{location}.{name}" if location else name
