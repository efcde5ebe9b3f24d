"""Administrators set a cohort's schedule: dates per chuyên đề and for the final essay, a template laid out
from a start date, and per-learner extensions with a reason. Dates are typed in Hà Nội time."""
from __future__ import annotations

from datetime import date, datetime

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from lms.auth.access import admin_required
from lms.auth.forms import EmptyForm
from lms.database import utcnow, vietnamese
from lms.domain.schedule import Template, Window
from lms.extensions import db
from lms.models import ESSAY, MODULE, Cohort, Enrolment, Extension, Module, User
from lms.pagination import db_int
from lms.schedule import services
from lms.schedule.wording import PROBLEMS

PICK_LIST_MAX = 300  # learners listed in the extension form's menu; a larger cohort types the username

bp = Blueprint("schedule", __name__, url_prefix="/admin/cohorts/<int:cohort_id>/schedule", template_folder="templates")


def _local(value: str) -> datetime | None:
    """A typed `YYYY-MM-DDTHH:MM` (or a bare date: the end of that day) in Hà Nội time, as an aware datetime."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value if "T" in value or " " in value else value + "T23:59")
    except ValueError as error:
        raise services.ScheduleError(["bad_date"]) from error
    if moment.tzinfo is not None or not 2000 <= moment.year <= 2100:
        raise services.ScheduleError(["bad_date"])
    return moment.replace(tzinfo=services.local_zone())


def _typed(moment: datetime | None) -> str:
    return moment.astimezone(services.local_zone()).strftime("%Y-%m-%dT%H:%M") if moment else ""


def _items() -> list[tuple[str, str, Module | None]]:
    """Every schedulable item as (form key, kind, module): each chuyên đề in order, then the final essay."""
    modules = db.session.scalars(select(Module).order_by(Module.number)).all()
    return [(f"m{m.id}", MODULE, m) for m in modules] + [("essay", ESSAY, None)]


def _render(cohort: Cohort, typed: dict[str, str] | None = None, errors: dict[str, list[str]] | None = None,
            status: int = 200, form_typed: dict[str, str] | None = None):
    """The page; `typed` keeps the dates table as typed, `form_typed` the template or extension form's fields."""
    stored, items = services.cohort_items(cohort.id), _items()
    values = {}
    for key, kind, module in items:
        item = stored.get((kind, module.id if module else None))
        for part in ("opens", "due", "closes"):
            values[f"{key}-{part}"] = _typed(getattr(item, f"{part}_at", None) if item else None)
    values.update(typed or {})
    enrolled = select(User.id, User.full_name, User.username).join(Enrolment).where(Enrolment.cohort_id == cohort.id)
    learners = db.session.execute(enrolled.order_by(vietnamese(User.full_name)).limit(PICK_LIST_MAX + 1)).all()
    if len(learners) > PICK_LIST_MAX:  # a menu of thousands is a page of hundreds of KB: the username is typed
        learners = None
    extensions = services.list_extensions(cohort.id)
    modules = {m.id: m for _k, _kind, m in items if m}
    return render_template("admin/schedule.html", cohort=cohort, items=items, values=values,
                           errors=errors or {}, problems=PROBLEMS, learners=learners, extensions=extensions,
                           modules=modules, form=EmptyForm(), typed_form=form_typed or {},
                           today=utcnow().astimezone(services.local_zone()).date().isoformat()), status


@bp.get("/")
@admin_required
def index(cohort_id: int):
    """The schedule table, the template form and the extensions."""
    return _render(db.get_or_404(Cohort, cohort_id))


@bp.post("/")
@admin_required
def save(cohort_id: int):
    """Save every typed date; a row with a mistake is refused with the others kept as typed, nothing saved."""
    cohort = db.get_or_404(Cohort, cohort_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    typed = {k: v for k, v in request.form.items() if k.endswith(("-opens", "-due", "-closes"))}
    windows, errors = {}, {}
    for key, kind, module in _items():
        try:
            window = Window(*(_local(typed.get(f"{key}-{part}", "")) for part in ("opens", "due", "closes")))
            services.set_window(cohort, kind, module.id if module else None, window, current_user, utcnow())
            windows[key] = window
        except services.ScheduleError as error:
            errors[key] = error.codes
    if errors:
        db.session.rollback()
        flash(_("Chưa lưu lịch: có %(n)s dòng sai, được đánh dấu bên dưới.", n=len(errors)), "error")
        return _render(cohort, typed, errors, 400)
    flash(_("Đã lưu lịch học của lớp."), "success")
    return redirect(url_for("schedule.index", cohort_id=cohort.id))


@bp.post("/template")
@admin_required
def template(cohort_id: int):
    """Lay every chuyên đề out week by week from a start date (replaces the dates already set)."""
    cohort = db.get_or_404(Cohort, cohort_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        start = date.fromisoformat(request.form.get("start", ""))
        if not 2000 <= start.year <= 2100:  # as for typed dates; year 9999 overflowed (a 500)
            raise ValueError("start")
        plan = Template(spacing_days=_days("spacing", 7), due_days=_days("due_days", 14),
                        grace_days=_days("grace_days", 7))
    except ValueError:
        flash(_("Ngày bắt đầu hoặc số ngày không hợp lệ: chưa thay đổi lịch."), "error")
        return _render(cohort, status=400, form_typed=_fields("start", "spacing", "due_days", "grace_days"))
    if (already := len(services.cohort_items(cohort.id))) and not request.form.get("confirmed"):
        return render_template("confirm.html", form=EmptyForm(), cancel=url_for("schedule.index", cohort_id=cohort.id),
                               hidden={**_fields("start", "spacing", "due_days", "grace_days"), "confirmed": "1"},
                               question=_("Xếp lại lịch cả khóa bắt đầu từ %(d)s? %(n)s mục đã có ngày của lớp sẽ được "
                                          "thay (gia hạn riêng từng học viên vẫn giữ).",
                                          d=start.strftime("%d/%m/%Y"), n=already))
    count = services.apply_template(cohort, start, plan, current_user, utcnow())
    flash(_("Đã xếp lịch %(n)s mục bắt đầu từ %(d)s.", n=count, d=start.strftime("%d/%m/%Y")), "success")
    return redirect(url_for("schedule.index", cohort_id=cohort.id))


def _fields(*names: str) -> dict[str, str]:
    """What the administrator typed in these fields, to show again with the error."""
    return {name: request.form.get(name, "") for name in names}


def _days(name: str, default: int) -> int:
    value = int(request.form.get(name) or default)
    if not 0 <= value <= 365:
        raise ValueError(name)
    return value


def _module_id(item: str) -> int | None:
    """The module id in an item value "m<id>", if it is one the database can hold."""
    try:
        return db_int(item[1:]) if item.startswith("m") else None
    except ValueError:
        return None


@bp.post("/extensions")
@admin_required
def extend(cohort_id: int):
    """Give one learner later dates for one chuyên đề or the essay, with a reason (audited)."""
    cohort = db.get_or_404(Cohort, cohort_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    form = request.form
    learner = db.session.get(User, form.get("user_id", type=db_int) or 0) if form.get("user_id") else \
        db.session.scalar(select(User).where(User.username == form.get("username", "").strip().lower()))
    item = form.get("item", "")
    module = db.session.get(Module, _module_id(item)) if _module_id(item) else None
    try:
        if learner is None:
            raise services.ScheduleError(["no_learner"])
        if item != "essay" and module is None:
            raise services.ScheduleError(["no_item"])
        kind, module_id = (ESSAY, None) if item == "essay" else (MODULE, module.id)
        services.grant_extension(cohort, learner, kind, module_id, _local(form.get("due", "")),
                                 _local(form.get("closes", "")), form.get("reason") or "", current_user, utcnow())
    except services.ScheduleError as error:
        flash(_("Chưa gia hạn: %(why)s.", why="; ".join(PROBLEMS[c]() for c in error.codes)), "error")
        return _render(cohort, status=400, form_typed=_fields("user_id", "username", "item", "due", "closes", "reason"))
    flash(_("Đã gia hạn cho %(name)s.", name=learner.full_name), "success")
    return redirect(url_for("schedule.index", cohort_id=cohort.id))


@bp.route("/extensions/<int:extension_id>/withdraw", methods=["GET", "POST"])
@admin_required
def withdraw(cohort_id: int, extension_id: int):
    """Confirm, then take back an extension granted by mistake."""
    extension = db.first_or_404(select(Extension).filter_by(id=extension_id, cohort_id=cohort_id))
    form, back = EmptyForm(), url_for("schedule.index", cohort_id=cohort_id)
    if form.validate_on_submit():
        services.withdraw_extension(extension, current_user, utcnow())
        flash(_("Đã bỏ gia hạn."), "success")
        return redirect(back)
    return render_template("confirm.html", form=form, cancel=back, question=_(
        "Bỏ gia hạn của %(name)s? Hạn nộp và ngày đóng của học viên trở lại như của lớp.",
        name=db.session.get(User, extension.user_id).full_name))
