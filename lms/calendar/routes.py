"""A learner's calendar: the cohort's schedule by week (and by month on wide screens), and the private
iCalendar feed a phone calendar subscribes to."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from babel.dates import get_day_names
from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_datetime, get_locale
from flask_babel import gettext as _
from flask_login import current_user

from lms.auth.access import roles_required
from lms.auth.forms import EmptyForm
from lms.calendar.feed import build_feed, find_owner, reset_token
from lms.cohorts.queries import current_cohort_id
from lms.database import utcnow
from lms.domain.calendar import monday_of, month_asked, month_grid
from lms.extensions import db
from lms.models import ESSAY, Cohort, Role
from lms.schedule.services import Deadline, deadlines, local_zone

bp = Blueprint("calendar", __name__, template_folder="templates")
FEED_CACHE = "private, max-age=900"  # a phone polls often; a quarter of an hour of staleness is harmless


@dataclass(frozen=True)
class Week:
    """A Monday-based week of local dates and the learner's moments in it."""

    monday: date
    moments: list[Deadline]

    @property
    def heading(self) -> str:
        """The week's title, as "Tuần 07/12 – 13/12/2026" (the start's year too when it straddles two years)."""
        sunday = self.monday + timedelta(days=6)
        start = f"{self.monday:%d/%m}" if self.monday.year == sunday.year else f"{self.monday:%d/%m/%Y}"
        end = sunday.strftime("%d/%m/%Y")
        return _("Tuần %(start)s – %(end)s", start=start, end=end)


@dataclass(frozen=True)
class Month:
    """One month laid out as whole Monday-based weeks, with the moments of each local day."""

    first: date
    weeks: list[list[date]]
    by_day: dict[date, list[Deadline]]

    @property
    def previous(self) -> str:
        """The month before, as YYYY-MM."""
        return f"{self.first - timedelta(days=1):%Y-%m}"

    @property
    def next(self) -> str:
        """The month after, as YYYY-MM."""
        return f"{self.first + timedelta(days=31):%Y-%m}"

    @property
    def has_moments(self) -> bool:
        """True when a day of the month itself has a moment."""
        return any(day.month == self.first.month and day in self.by_day for week in self.weeks for day in week)


def _by_day(moments: list[Deadline], zone: tzinfo) -> dict[date, list[Deadline]]:
    days: dict[date, list[Deadline]] = {}
    for moment in moments:
        days.setdefault(moment.at.astimezone(zone).date(), []).append(moment)
    return days


def _weeks(by_day: dict[date, list[Deadline]]) -> list[Week]:
    weeks: dict[date, list[Deadline]] = {}
    for day in sorted(by_day):
        weeks.setdefault(monday_of(day), []).extend(by_day[day])
    return [Week(monday, moments) for monday, moments in weeks.items()]


def _month(arg: str, today: date, by_day: dict[date, list[Deadline]]) -> Month:
    """The month asked for as ?month=YYYY-MM (this month when absent or not a sensible month)."""
    first = month_asked(arg, today)
    return Month(first, month_grid(first), by_day)


def _scheduled(user_id: int, cohort_id: int | None, now: datetime) -> list[Deadline]:
    """The learner's moments whose item still exists (a chuyên đề or the final essay)."""
    return [d for d in deadlines(user_id, cohort_id, now) if d.module is not None or d.kind == ESSAY]


def _when(moment: datetime) -> str:
    return format_datetime(moment, "EEE dd/MM, HH:mm")


def _day_names() -> list[tuple[str, str]]:
    short, wide = get_day_names("abbreviated", locale=get_locale()), get_day_names("wide", locale=get_locale())
    return [(short[day], wide[day]) for day in range(7)]


@bp.get("/calendar")
@roles_required(Role.LEARNER)
def index():
    """The learner's openings, due dates and closings by week, a month grid for wide screens, the feed address."""
    now, zone = utcnow(), local_zone()
    cohort_id = current_cohort_id(current_user.id)
    by_day = _by_day(_scheduled(current_user.id, cohort_id, now), zone)
    today = now.astimezone(zone).date()
    weeks = _weeks(by_day)
    token = current_user.calendar_token
    return render_template("calendar/index.html", has_cohort=cohort_id is not None, today=today,
                           this_monday=monday_of(today), weeks=[w for w in weeks if w.monday >= monday_of(today)],
                           past_weeks=[w for w in weeks if w.monday < monday_of(today)],
                           month=_month(request.args.get("month", ""), today, by_day), day_names=_day_names(),
                           when=_when, clock=lambda moment: format_datetime(moment, "HH:mm"),
                           feed_url=url_for("calendar.feed", token=token, _external=True) if token else None,
                           form=EmptyForm())


@bp.post("/calendar/feed")
@roles_required(Role.LEARNER)
def reset_feed():
    """Create or replace the learner's secret feed address; the old one stops working at once."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    replaced = current_user.calendar_token is not None
    reset_token(current_user, utcnow())
    flash(_("Đã tạo đường dẫn lịch mới. Đường dẫn cũ không còn dùng được: đồng chí hãy thêm đường dẫn mới vào "
            "ứng dụng lịch.") if replaced else _("Đã tạo đường dẫn lịch riêng của đồng chí."), "success")
    return redirect(url_for("calendar.index"))


def _link(moment: Deadline) -> str:
    if moment.module is None:
        return url_for("essays.mine", _external=True)
    return url_for("lessons.module", module_key=moment.module.key, _external=True)


@bp.get("/calendar/<token>.ics")
def feed(token: str):
    """The learner's iCalendar feed, public by its secret address (a phone cannot sign in); 404 for any other."""
    owner = find_owner(token)
    if owner is None:
        abort(404)
    cohort_id, now = current_cohort_id(owner.id), utcnow()
    cohort = db.session.get(Cohort, cohort_id) if cohort_id is not None else None
    response = Response(build_feed(cohort, _scheduled(owner.id, cohort_id, now), now, _link),
                        content_type="text/calendar; charset=utf-8")
    response.headers["Cache-Control"] = FEED_CACHE
    response.headers["X-Robots-Tag"] = "noindex"
    return response
