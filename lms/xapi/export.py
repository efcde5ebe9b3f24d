"""The statements of a period (and a cohort) as JSON lines, each checked against the xAPI 1.0.3 rules first."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import TextIO

from lms.xapi.outbox import iter_statements
from lms.xapi.validation import statement_problems


@dataclass
class ExportReport:
    """How many statements were written, and the ones left out because they break the rules (with why)."""

    written: int = 0
    invalid: list[tuple[str, list[str]]] = field(default_factory=list)


def write_json_lines(out: TextIO, since: datetime | None, until: datetime | None, cohort_id: int | None
                     ) -> ExportReport:
    """Write one statement per line, oldest first; a statement that does not validate is reported, not written."""
    report = ExportReport()
    for row in iter_statements(since, until, cohort_id):
        problems = statement_problems(row.payload)
        if problems:
            report.invalid.append((row.statement_id, problems))
            continue
        out.write(json.dumps(row.payload, ensure_ascii=False, separators=(",", ":")) + "\n")
        report.written += 1
    return report
