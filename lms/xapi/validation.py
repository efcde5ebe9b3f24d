"""Checking a statement against the xAPI 1.0.3 statement rules: a JSON Schema of the specification's tables
(statement-1.0.3.schema.json, beside this file) and the rules a schema cannot state."""
from __future__ import annotations

import functools
import json
from pathlib import Path

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

SCHEMA_PATH = Path(__file__).with_name("statement-1.0.3.schema.json")


@functools.cache
def _validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def _score_problems(score: dict, where: str) -> list[str]:
    """A score's raw lies between its min and max, and min is below max (xAPI 1.0.3, 2.4.5.1)."""
    problems = []
    low, high, raw = score.get("min"), score.get("max"), score.get("raw")
    if low is not None and high is not None and not low < high:
        problems.append(f"{where}: min must be less than max")
    if raw is not None and ((low is not None and raw < low) or (high is not None and raw > high)):
        problems.append(f"{where}: raw must lie between min and max")
    return problems


def _describe(error: ValidationError) -> str:
    """The error with its place; for "none of the kinds of object", the error deepest into the statement (the
    kind it was meant to be got furthest)."""
    while error.context:
        error = max(error.context, key=lambda e: (len(e.absolute_path), -len(e.absolute_schema_path)))
    return f"{'.'.join(map(str, error.absolute_path)) or '(statement)'}: {error.message}"


def statement_problems(statement: dict) -> list[str]:
    """Every way the statement breaks the xAPI 1.0.3 rules, each with its place ('result.score: ...'); [] if none."""
    problems = [_describe(error) for error in sorted(_validator().iter_errors(statement),
                                                      key=lambda e: list(map(str, e.path)))]
    for where, holder in (("result.score", statement.get("result")),
                          ("object.result.score", (statement.get("object") or {}).get("result"))):
        if isinstance(holder, dict) and isinstance(holder.get("score"), dict):
            problems += _score_problems(holder["score"], where)
    return problems
