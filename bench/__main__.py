"""Run every benchmark and print figures and ratios."""
from __future__ import annotations

import sys

from bench import (
    audit_log,
    cohort_zip,
    content_import,
    documents,
    gradebook,
    grading,
    load,
    pages,
    roster_import,
    search,
    wire,
    writes,
)


def main() -> int:
    """Run the benchmarks in order, each printing its own table."""
    for module in (grading, content_import, search, gradebook, audit_log, documents, wire, pages, writes, load,
                   roster_import, cohort_zip):
        print(f"\n== {module.__name__.split('.')[-1]} ==")
        module.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
