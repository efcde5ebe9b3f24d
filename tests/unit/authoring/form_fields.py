"""The structured case form as a browser posts it, for the tests of case_form (unit) and of its pages (web)."""
from __future__ import annotations


def flatten(data: dict, prefix: str = "") -> dict[str, str]:
    """The flat fields a browser posts for a nested case (the inverse of parse_form)."""
    fields: dict[str, str] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, list):
            for index, item in enumerate(value):
                fields.update(flatten(item, f"{name}-{index}-"))
        elif isinstance(value, bool):
            if value:
                fields[name] = "y"
        else:
            fields[name] = value
    return fields
