"""Reading and changing a cohort's schedule; units of work that flush and audit."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import and_, bindparam, literal, select

import lms.audit as audit
from lms.catalog.outline import ModuleView, course_outline
from lms.database import upsert
from lms.domain.schedule import Template, Window, WindowState, lay_out, window_problems
from lms.extensions import db
from lms.models import ESSAY, MODULE, Cohort, Enrolment, Extension, Module, ScheduleItem, User


def local_zone() -> ZoneInfo:
    """The time zone dates are typed and shown in (Hà Nội)."""
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def _window(item: ScheduleItem | None) -> Window:
    return Window(item.opens_at, item.due_at, item.closes_at) if item else Window()


_module = bindparam("module_id")
# The item and the learner's extension in one query, built once: building it took longer than running it.
WINDOW = (select(ScheduleItem.id, ScheduleItem.opens_at, ScheduleItem.due_at, ScheduleItem.closes_at, Extension.id,
                 Extension.due_at, Extension.closes_at)
          .select_from(select(literal(1).label("one")).subquery())  # a row to hang both on
          .outerjoin(ScheduleItem, and_(ScheduleItem.cohort_id == bindparam("cohort_id"),
                                        ScheduleItem.kind == bindparam("kind"),
                                        ScheduleItem.module_id.is_not_distinct_from(_module)))
          .outerjoin(Extension, and_(Extension.cohort_id == bindparam("cohort_id"),
                                     Extension.user_id == bindparam("user_id"), Extension.kind == bindparam("kind"),
                                     Extension.module_id.is_not_distinct_from(_module))))


def window_for(user_id: int, cohort_id: int | None, module_id: int | None, kind: str = MODULE) -> Window:
    """The learner's window for a chuyên đề (or the essay) in their cohort, their extension applied."""
    if cohort_id is None:
        return Window()
    row = db.session.execute(WINDOW, {"cohort_id": cohort_id, "user_id": user_id, "kind": kind,
                                      "module_id": module_id}).one()
    window = Window(row[1], row[2], row[3]) if row[0] is not None else Window()
    return window.extended(row[5], row[6]) if row[4] is not None else window


COHORT_ITEMS = select(ScheduleItem).where(ScheduleItem.cohort_id == bindparam("cohort_id"))
LEARNER_EXTENSIONS = select(Extension).where(Extension.cohort_id == bindparam("cohort_id"),
                                             Extension.user_id == bindparam("user_id"))


def cohort_items(cohort_id: int) -> dict[tuple[str, int | None], ScheduleItem]:
    """Every schedule item of the cohort by (kind, module id)."""
    return {(i.kind, i.module_id): i for i in db.session.scalars(COHORT_ITEMS, {"cohort_id": cohort_id})}


def list_extensions(cohort_id: int) -> list[tuple[Extension, User]]:
    """The cohort's extensions with their learners, the latest granted first."""
    return list(db.session.execute(select(Extension, User).join(User, User.id == Extension.user_id)
                                   .where(Extension.cohort_id == cohort_id)
                                   .order_by(Extension.granted_at.desc(), Extension.id.desc())).all())


def learner_windows(user_id: int, cohort_id: int) -> dict[tuple[str, int | None], Window]:
    """The learner's windows for every scheduled item, extensions applied (two queries)."""
    windows = {key: _window(item) for key, item in cohort_items(cohort_id).items()}
    for extension in db.session.scalars(LEARNER_EXTENSIONS, {"cohort_id": cohort_id, "user_id": user_id}):
        key = (extension.kind, extension.module_id)
        windows[key] = windows.get(key, Window()).extended(extension.due_at, extension.closes_at)
    return windows


class ScheduleError(ValueError):
    """A window whose dates contradict each other; `codes` say how."""

    def __init__(self, codes: list[str]):
        super().__init__(", ".join(codes))
        self.codes = codes


def set_window(cohort: Cohort, kind: str, module_id: int | None, window: Window, actor: User | None,
               now: datetime) -> ScheduleItem:
    """Store the dates of one item (audited); refuses contradictory dates."""
    problems = window_problems(window)
    if problems:
        raise ScheduleError(problems)
    item = upsert(ScheduleItem, {"cohort_id": cohort.id, "kind": kind, "module_id": module_id},
                  {"opens_at": window.opens_at, "due_at": window.due_at, "closes_at": window.closes_at,
                   "updated_at": now})
    audit.record(actor, "schedule.set", "cohort", cohort.id, now, kind=kind, module_id=module_id,
                 opens_at=_iso(window.opens_at), due_at=_iso(window.due_at), closes_at=_iso(window.closes_at))
    return item


def apply_template(cohort: Cohort, start: date, template: Template, actor: User | None, now: datetime) -> int:
    """Lay the whole course out from `start`: every chuyên đề in order, then the final essay. Returns the count."""
    modules = list(db.session.scalars(select(Module).order_by(Module.number)))
    windows, essay = lay_out(start, len(modules), template, local_zone())
    for module, window in zip(modules, windows, strict=True):
        set_window(cohort, MODULE, module.id, window, None, now)
    set_window(cohort, ESSAY, None, essay, None, now)
    audit.record(actor, "schedule.template_applied", "cohort", cohort.id, now, start=start.isoformat(),
                 spacing_days=template.spacing_days, due_days=template.due_days, grace_days=template.grace_days)
    return len(modules) + 1


MAX_REASON = 2000  # characters, as for grade overrides and revocations


def grant_extension(cohort: Cohort, learner: User, kind: str, module_id: int | None, due_at: datetime | None,
                    closes_at: datetime | None, reason: str, actor: User, now: datetime) -> Extension:
    """Give one learner later dates for one item, with a reason (audited); granting again replaces it."""
    if due_at is None and closes_at is None:
        raise ScheduleError(["no_dates"])  # an extension of nothing would be shown as granted
    if not reason.strip():
        raise ScheduleError(["reason_missing"])
    if due_at and closes_at and closes_at < due_at:
        raise ScheduleError(["close_before_due"])
    actor_id, learner_id, cohort_id = actor.id, learner.id, cohort.id  # read before the query below can flush
    if not db.session.scalar(select(Enrolment.id).filter_by(cohort_id=cohort_id, user_id=learner_id)):
        raise ScheduleError(["no_learner"])
    if len(reason.strip()) > MAX_REASON:
        raise ScheduleError(["reason_too_long"])
    extension = upsert(Extension, {"cohort_id": cohort_id, "user_id": learner_id, "kind": kind, "module_id": module_id},
                       {"due_at": due_at, "closes_at": closes_at, "reason": reason.strip(), "granted_by_id": actor_id,
                        "granted_at": now})
    audit.record(actor, "schedule.extension_granted", "user", learner.id, now, cohort_id=cohort.id, kind=kind,
                 module_id=module_id, due_at=_iso(due_at), closes_at=_iso(closes_at), reason=reason.strip())
    return extension


def withdraw_extension(extension: Extension, actor: User, now: datetime) -> None:
    """Take back an extension granted by mistake: the learner's dates are the cohort's again (audited)."""
    audit.record(actor, "schedule.extension_withdrawn", "user", extension.user_id, now, cohort_id=extension.cohort_id,
                 kind=extension.kind, module_id=extension.module_id, due_at=_iso(extension.due_at),
                 closes_at=_iso(extension.closes_at))
    db.session.delete(extension)
    db.session.flush()


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


@dataclass(frozen=True)
class Deadline:
    """One scheduled moment of a learner's course: a chuyên đề (or the essay) opening, due or closing."""

    at: datetime
    what: str  # "opens" | "due" | "closes"
    kind: str  # MODULE | ESSAY
    module: ModuleView | None
    state: WindowState


def deadlines(user_id: int, cohort_id: int | None, now: datetime, start: datetime | None = None,
              end: datetime | None = None) -> list[Deadline]:
    """The learner's scheduled moments between `start` and `end` (all when unset), in time order."""
    if cohort_id is None:
        return []
    windows = learner_windows(user_id, cohort_id)
    modules = course_outline().by_id
    found = []
    for (kind, module_id), window in windows.items():
        module = modules.get(module_id) if module_id else None
        for what, moment in (("opens", window.opens_at), ("due", window.due_at), ("closes", window.closes_at)):
            if moment and (start is None or moment >= start) and (end is None or moment < end):
                found.append(Deadline(moment, what, kind, module, window.state(now)))
    return sorted(found, key=lambda d: (d.at, d.module.number if d.module else 99, d.what))


def due_dates(user_id: int, cohort_id: int | None, now: datetime, days: int = 7) -> tuple[list[Deadline], list[Deadline]]:
    """Due dates passed of what is still open for late work, and due dates in the next `days` days (one read)."""
    found = [d for d in deadlines(user_id, cohort_id, now, None, now + timedelta(days=days)) if d.what == "due"]
    return [d for d in found if d.at < now and d.state == WindowState.LATE], [d for d in found if d.at >= now]
