"""What every CSV and XLSX the app writes shares: cells a spreadsheet will not run as formulas."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Text a spreadsheet will not run as a formula (text starting with = + - @ gets a leading quote)."""
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return "'" + value
    return value


def csv_text(header: Iterable, rows: Iterable[Iterable]) -> str:
    """A CSV document for spreadsheets: a byte-order mark (Excel then reads UTF-8), CRLF lines, safe cells."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_cell(v) for v in header])
    writer.writerows([safe_cell(v) for v in row] for row in rows)
    return out.getvalue()
