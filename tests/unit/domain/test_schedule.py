"""The schedule's rules: before open, open, between due and close (late), closed; extensions; the template."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from lms.domain.schedule import Template, Window, WindowState, earliest, lay_out, window_problems

T0 = datetime(2027, 3, 1, 0, 0, tzinfo=UTC)
WINDOW = Window(T0, T0 + timedelta(days=14), T0 + timedelta(days=21))


def test_the_states_of_a_window_in_time():
    assert WINDOW.state(T0 - timedelta(seconds=1)) == WindowState.NOT_OPEN
    assert WINDOW.state(T0) == WindowState.OPEN and WINDOW.can_start(T0)
    assert WINDOW.state(T0 + timedelta(days=14)) == WindowState.OPEN  # due at that very moment: on time
    assert WINDOW.state(T0 + timedelta(days=15)) == WindowState.LATE and WINDOW.can_start(T0 + timedelta(days=15))
    assert WINDOW.state(T0 + timedelta(days=21)) == WindowState.CLOSED and not WINDOW.can_start(T0 + timedelta(days=21))
    assert not WINDOW.can_start(T0 - timedelta(days=1))


def test_an_unscheduled_window_is_always_open_and_never_late():
    assert Window().state(T0) == WindowState.OPEN and not Window().is_late(T0) and not Window().scheduled


def test_late_is_after_the_due_date():
    assert not WINDOW.is_late(T0 + timedelta(days=14)) and WINDOW.is_late(T0 + timedelta(days=14, seconds=1))


def test_an_extension_only_moves_dates_later():
    later = WINDOW.extended(T0 + timedelta(days=20), T0 + timedelta(days=28))
    assert later.due_at == T0 + timedelta(days=20) and later.closes_at == T0 + timedelta(days=28)
    assert later.state(T0 + timedelta(days=22)) == WindowState.LATE
    assert WINDOW.extended(T0, None) == WINDOW  # an earlier date or none changes nothing
    assert later.opens_at == WINDOW.opens_at


def test_problems_of_a_window():
    assert window_problems(WINDOW) == []
    assert window_problems(Window(T0, T0 - timedelta(days=1), None)) == ["due_before_open"]
    assert "close_before_due" in window_problems(Window(None, T0, T0 - timedelta(days=1)))
    assert window_problems(Window(T0, None, T0)) == ["close_before_open"]


def test_earliest_ignores_unset_moments():
    assert earliest(None, T0, T0 - timedelta(hours=1)) == T0 - timedelta(hours=1) and earliest(None, None) is None


def test_the_template_lays_out_eighteen_chuyen_de_week_by_week_in_hanoi_time():
    hanoi = ZoneInfo("Asia/Ho_Chi_Minh")
    windows, essay = lay_out(date(2027, 3, 1), 18, Template(), hanoi)
    assert len(windows) == 18
    assert windows[0].opens_at == datetime(2027, 3, 1, 7, 0, tzinfo=hanoi)
    assert windows[0].due_at == datetime(2027, 3, 15, 23, 59, tzinfo=hanoi)
    assert windows[0].closes_at == datetime(2027, 3, 22, 23, 59, tzinfo=hanoi)
    assert windows[17].opens_at.date() == date(2027, 3, 1) + timedelta(weeks=17)
    assert essay.opens_at == windows[17].opens_at and essay.due_at.date() == windows[17].opens_at.date() + timedelta(days=28)
    assert all(window_problems(w) == [] for w in [*windows, essay])


def test_a_cohort_ends_after_its_last_day_and_never_without_an_end_date():
    from datetime import date

    from lms.domain.schedule import cohort_has_ended

    today = date(2026, 12, 8)
    assert cohort_has_ended(date(2026, 12, 7), today)
    assert not cohort_has_ended(today, today)
    assert not cohort_has_ended(None, today)
