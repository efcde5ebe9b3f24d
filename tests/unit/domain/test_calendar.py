"""Calendar arithmetic: Monday-based weeks, the month asked for, month grids of whole weeks."""
from datetime import date

from lms.domain.calendar import monday_of, month_asked, month_grid


def test_the_monday_of_a_week():
    assert monday_of(date(2026, 12, 7)) == date(2026, 12, 7) and monday_of(date(2026, 12, 13)) == date(2026, 12, 7)


def test_the_month_asked_for_or_this_month():
    today = date(2026, 12, 7)
    assert month_asked("2027-02", today) == date(2027, 2, 1)
    assert month_asked("2027-13", today) == month_asked("", today) == month_asked("x", today) == date(2026, 12, 1)


def test_a_month_grid_is_whole_weeks_covering_the_month():
    grid = month_grid(date(2026, 12, 1))  # 1 December 2026 is a Tuesday, the 31st a Thursday
    assert grid[0][0] == date(2026, 11, 30) and grid[-1][-1] == date(2027, 1, 3) and len(grid) == 5
    assert all(len(week) == 7 for week in grid)
    assert len(month_grid(date(2027, 2, 1))) == 4  # February 2027 starts on a Monday and has 28 days
