"""A learner's private iCalendar feed: its secret address, and the openings and due dates as a VCALENDAR.

The address is the only key (phone calendars cannot sign in), so it is long, random and can be replaced; the
feed is written in Vietnamese whatever language a browser picked, since the calendar app has no session.
"""
from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import force_locale, format_datetime
from flask_babel import gettext as _
from icalendar import Alarm, Calendar, Event
from sqlalchemy import select

import lms.audit as audit
from lms.extensions import db
from lms.models import Cohort, Role, User
from lms.schedule.services import Deadline

TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{43}")  # what secrets.token_urlsafe(32) gives
PRODID = "-//Truong Dao tao can bo Le Hong Phong//Boi duong Bi thu xa phuong//VI"
TIMEZONE = "Asia/Ho_Chi_Minh"
LENGTH = {"opens": timedelta(minutes=30), "due": timedelta(0)}  # a due date is a moment (23:59 + 30' is tomorrow)
REMINDER = timedelta(days=1)


def reset_token(user: User, now: datetime) -> str:
    """Give the learner a new secret feed address; the previous one, if any, stops working at once (audited)."""
    replaced = user.calendar_token is not None
    user.calendar_token = secrets.token_urlsafe(32)
    db.session.flush()
    audit.record(user, "calendar.token_reset" if replaced else "calendar.token_created", "user", user.id, now)
    return user.calendar_token


def find_owner(token: str) -> User | None:
    """The active learner whose feed this secret opens, or None (a malformed secret is not even looked up)."""
    if not TOKEN_PATTERN.fullmatch(token):
        return None
    user = db.session.scalar(select(User).filter_by(calendar_token=token))
    return user if user is not None and user.is_active and user.role == Role.LEARNER else None


def item_name(deadline: Deadline) -> str:
    """The item's name in the feed: "Chuyên đề 3 – title", or the final essay."""
    if deadline.module is None:
        return _("Bài thu hoạch cuối khóa")
    return _("Chuyên đề %(n)s – %(t)s", n=deadline.module.number, t=deadline.module.title)


def build_feed(cohort: Cohort | None, moments: list[Deadline], now: datetime,
               link: Callable[[Deadline], str]) -> bytes:
    """The openings and due dates as iCalendar text (times in UTC), a reminder one day before each due date."""
    cohort_id = cohort.id if cohort else 0
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        name = _("Lịch học – %(cohort)s", cohort=cohort.name) if cohort else _("Lịch học")
        calendar = Calendar.new(name=name, prodid=PRODID, method="PUBLISH", uid=f"{cohort_id}-calendar@lms")
        calendar.add("x-wr-timezone", TIMEZONE)
        closes = {_key(m): m.at for m in moments if m.what == "closes"}
        for moment in moments:
            if moment.what in LENGTH:
                calendar.add_component(_event(cohort_id, moment, now, link(moment), closes.get(_key(moment))))
        return calendar.to_ical()


def _key(moment: Deadline) -> tuple[str, int | None]:
    return moment.kind, moment.module.id if moment.module else None


def _uid(cohort_id: int, moment: Deadline) -> str:
    """The same for a moment across fetches and changes of its date, so a phone moves the event, not copies it."""
    kind, module_id = _key(moment)
    return f"{cohort_id}-{kind}-{module_id or 0}-{moment.what}@lms"


def _event(cohort_id: int, moment: Deadline, now: datetime, url: str, closes_at: datetime | None) -> Event:
    item = item_name(moment)
    lines = [_("Trang học tập: %(url)s", url=url)]
    if moment.what == "due" and closes_at:
        lines.append(_("Sau hạn này vẫn nộp được nhưng bị ghi là nộp muộn, đến %(t)s (giờ Hà Nội).",
                       t=format_datetime(closes_at, "HH:mm dd/MM/yyyy")))
    summary = _("Hạn nộp: %(item)s", item=item) if moment.what == "due" else _("Mở: %(item)s", item=item)
    event = Event.new(uid=_uid(cohort_id, moment), summary=summary, start=moment.at,
                      stamp=now, url=url, description="\n".join(lines))
    event.DURATION = LENGTH[moment.what]
    if moment.what == "due":
        event.add_component(Alarm.new_display(_("Còn một ngày đến hạn nộp: %(item)s", item=item), -REMINDER))
    return event
