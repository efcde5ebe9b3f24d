"""What every CSV and XLSX the app writes shares: cells a spreadsheet will not run as formulas."""
from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Text a spreadsheet will not run as a formula (text starting with = + - @ gets a leading quote)."""
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return "'" + value
    return value
