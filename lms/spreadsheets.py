"""What every CSV and XLSX the app writes shares: cells a spreadsheet will not run as formulas."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from itertools import islice

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Text a spreadsheet will not run as a formula (text starting with = + - @ gets a leading quote)."""
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return "'" + value
    return value


def csv_chunks(header: Iterable, rows: Iterable[Iterable], rows_per_chunk: int = 500) -> Iterator[str]:
    """A CSV document for spreadsheets, piece by piece (a streamed download holds one piece at a time): a
    byte-order mark (Excel then reads UTF-8), CRLF lines, safe cells."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    out.write("\ufeff")
    writer.writerow([safe_cell(v) for v in header])
    rows = iter(rows)
    while True:
        writer.writerows([safe_cell(v) for v in row] for row in islice(rows, rows_per_chunk))
        if out.tell() == 0:  # the rows ran out with the previous piece
            return
        yield out.getvalue()
        out.seek(0)
        out.truncate()


def csv_text(header: Iterable, rows: Iterable[Iterable]) -> str:
    """A CSV document for spreadsheets, whole (see csv_chunks)."""
    return "".join(csv_chunks(header, rows))
