"""Rules of a cohort's schedule: when a chuyên đề can be started, when a submission is late, when it closes,
and how a template schedule is laid out from a start date. Pure: times are aware datetimes passed in."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, tzinfo
from enum import StrEnum


class WindowState(StrEnum):
    """Where a chuyên đề stands for a learner at a moment."""

    NOT_OPEN = "not_open"  # visible, not startable yet
    OPEN = "open"
    LATE = "late"  # past the due date, still accepted (marked late)
    CLOSED = "closed"  # no new attempt; open ones were submitted as they stood


@dataclass(frozen=True)
class Window:
    """Open, due and close moments; any may be None (unscheduled: always open, never late)."""

    opens_at: datetime | None = None
    due_at: datetime | None = None
    closes_at: datetime | None = None

    def extended(self, due_at: datetime | None, closes_at: datetime | None) -> Window:
        """The window with an extension's later dates (an extension never shortens)."""
        return replace(self, due_at=_later(self.due_at, due_at), closes_at=_later(self.closes_at, closes_at))

    def state(self, now: datetime) -> WindowState:
        """Not open, open, late or closed at `now`."""
        if self.opens_at is not None and now < self.opens_at:
            return WindowState.NOT_OPEN
        if self.closes_at is not None and now >= self.closes_at:
            return WindowState.CLOSED
        if self.due_at is not None and now > self.due_at:
            return WindowState.LATE
        return WindowState.OPEN

    def can_start(self, now: datetime) -> bool:
        """An attempt may start while open or late."""
        return self.state(now) in (WindowState.OPEN, WindowState.LATE)

    def is_late(self, submitted_at: datetime) -> bool:
        """A submission after the due date."""
        return self.due_at is not None and submitted_at > self.due_at

    @property
    def scheduled(self) -> bool:
        """True when any date is set."""
        return any((self.opens_at, self.due_at, self.closes_at))


def _later(current: datetime | None, new: datetime | None) -> datetime | None:
    if new is None:
        return current
    return new if current is None or new > current else current


def earliest(*moments: datetime | None) -> datetime | None:
    """The earliest of the moments that are set."""
    present = [m for m in moments if m is not None]
    return min(present) if present else None


def window_problems(window: Window) -> list[str]:
    """Codes of what is wrong with a window: due before open, close before due or before open."""
    problems = []
    if window.opens_at and window.due_at and window.due_at < window.opens_at:
        problems.append("due_before_open")
    if window.due_at and window.closes_at and window.closes_at < window.due_at:
        problems.append("close_before_due")
    if window.opens_at and window.closes_at and window.closes_at <= window.opens_at:
        problems.append("close_before_open")
    return problems


@dataclass(frozen=True)
class Template:
    """A whole course laid out from a start date: one chuyên đề opening every `spacing_days`, due `due_days`
    after it opens, closing `grace_days` after it is due; the final essay opens with the last chuyên đề."""

    spacing_days: int = 7
    due_days: int = 14
    grace_days: int = 7
    essay_due_days: int = 28
    opens_at_time: time = time(7, 0)
    due_at_time: time = time(23, 59)


def lay_out(start: date, count: int, template: Template, zone: tzinfo) -> tuple[list[Window], Window]:
    """The windows of `count` chuyên đề in order, and the final essay's, from `start` (local dates in `zone`)."""
    def at(day: date, moment: time) -> datetime:
        return datetime.combine(day, moment, tzinfo=zone)

    windows = []
    for index in range(count):
        opens = start + timedelta(days=index * template.spacing_days)
        due = opens + timedelta(days=template.due_days)
        windows.append(Window(at(opens, template.opens_at_time), at(due, template.due_at_time),
                              at(due + timedelta(days=template.grace_days), template.due_at_time)))
    essay_opens = start + timedelta(days=max(count - 1, 0) * template.spacing_days)
    essay_due = essay_opens + timedelta(days=template.essay_due_days)
    essay = Window(at(essay_opens, template.opens_at_time), at(essay_due, template.due_at_time),
                   at(essay_due + timedelta(days=template.grace_days), template.due_at_time))
    return windows, essay


def cohort_has_ended(ends_on: date | None, today: date) -> bool:
    """A cohort has ended after its last day (one ending today still runs; one without an end date never ends)."""
    return ends_on is not None and ends_on < today
