"""Reading a roster from a CSV or XLSX file into raw rows with their line numbers."""
from __future__ import annotations

import csv
import io
import unicodedata

from openpyxl import load_workbook

from lms.domain.errors import DomainError

# Accepted column headings, compared without diacritics, case or punctuation.
HEADINGS = {
    "full_name": ("ho va ten", "ho ten", "full name", "fullname", "name", "ten"),
    "identifier": ("ten dang nhap hoac email", "ten dang nhap", "email", "username", "username or email",
                   "tai khoan", "identifier"),
    "commune": ("xa phuong", "xa/phuong", "don vi", "commune", "ward", "commune or ward", "xa", "phuong"),
    "phone": ("so dien thoai", "dien thoai", "sdt", "phone"),
}
REQUIRED = ("full_name", "identifier", "commune")
MAX_ROWS = 5000


class RosterFileError(DomainError, ValueError):
    """The file as a whole cannot be read; `code` says why."""


def _key(heading: object) -> str:
    text = unicodedata.normalize("NFD", str(heading or "")).replace("đ", "d").replace("Đ", "D")
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return " ".join("".join(ch if ch.isalnum() else " " for ch in text).split())


def _map_headings(header: list[object]) -> dict[str, int]:
    lookup = {alias.replace("/", " "): name for name, aliases in HEADINGS.items() for alias in aliases}
    columns: dict[str, int] = {}
    for index, heading in enumerate(header):
        name = lookup.get(_key(heading))
        if name and name not in columns:
            columns[name] = index
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        raise RosterFileError("missing_columns", columns=missing)  # field names: the web layer words them
    return columns


def _rows(table: list[list[object]]) -> list[tuple[int, dict[str, object]]]:
    if not table:
        raise RosterFileError("empty")
    columns = _map_headings(table[0])
    rows = []
    for line, values in enumerate(table[1:], start=2):
        if all(v is None or str(v).strip() == "" for v in values):
            continue  # blank lines are not rows
        rows.append((line, {name: values[i] if i < len(values) else None for name, i in columns.items()}))
    if len(rows) > MAX_ROWS:
        raise RosterFileError("too_many_rows", max=MAX_ROWS)
    return rows


def _csv_table(data: bytes) -> list[list[object]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise RosterFileError("encoding") from error
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _xlsx_table(data: bytes) -> list[list[object]]:
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a damaged file
        raise RosterFileError("unreadable") from error
    sheet = book.worksheets[0]
    table = [list(row) for row in sheet.iter_rows(values_only=True)]
    book.close()
    return table


def read_roster(filename: str, data: bytes) -> list[tuple[int, dict[str, object]]]:
    """Raw rows (line number, values by column) from a .csv or .xlsx file."""
    name = filename.lower()
    if name.endswith(".csv"):
        return _rows(_csv_table(data))
    if name.endswith(".xlsx"):
        return _rows(_xlsx_table(data))
    raise RosterFileError("file_type")
