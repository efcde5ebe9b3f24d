"""Calendar arithmetic for the schedule pages: Monday-based weeks and month grids of local dates. Pure."""
from __future__ import annotations

import re
from datetime import date, timedelta

MONTH = re.compile(r"(\d{4})-(\d{2})")


def monday_of(day: date) -> date:
    """The Monday of the day's week."""
    return day - timedelta(days=day.weekday())


def month_asked(arg: str, today: date) -> date:
    """The first day of the month asked for as YYYY-MM; this month when absent or not a sensible month."""
    match = MONTH.fullmatch(arg or "")
    year, month = (int(match[1]), int(match[2])) if match else (0, 0)
    return date(year, month, 1) if 2000 <= year <= 2199 and 1 <= month <= 12 else today.replace(day=1)


def month_grid(first: date) -> list[list[date]]:
    """The whole Monday-to-Sunday weeks that cover the month starting on `first`."""
    last = (first + timedelta(days=31)).replace(day=1) - timedelta(days=1)
    start, count = monday_of(first), (monday_of(last) - monday_of(first)).days // 7 + 1
    return [[start + timedelta(days=7 * week + day) for day in range(7)] for week in range(count)]
