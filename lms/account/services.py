"""One's own account: the phone number at once, a new e-mail address once its owner confirms it from that
mailbox (a mistyped address would otherwise send every notification to a stranger). Flush only."""
from __future__ import annotations

from datetime import datetime

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select

import lms.audit as audit
from lms.domain.accounts import RowError, clean, email_problem, phone_problem
from lms.domain.errors import DomainError
from lms.extensions import db
from lms.jobs import handler, submit
from lms.mail import send_mail
from lms.mail.tokens import email_change_token, read_email_change_token
from lms.models import Job, User

CONFIRMATION_JOB = "email_confirmation"
CONFIRM_HOURS = 48


class ConfirmationError(DomainError):
    """A confirmation link that cannot change the address; `code` says why (invalid, expired, spent, taken)."""


def phone_problems(raw: str) -> tuple[str, RowError | None]:
    """The phone number cleaned, and what is wrong with it (empty is allowed: no phone)."""
    phone = clean(raw)
    return phone, phone_problem(0, "phone", phone) if phone else None


def email_problems(user: User, raw: str) -> tuple[str, RowError | None]:
    """The address cleaned (lower case), and what is wrong with it: its form, or another account's use of it."""
    address = clean(raw).lower()
    if not address:
        return address, None
    if problem := email_problem(0, "email", address):
        return address, problem
    taken = db.session.scalar(select(User.id).where(func.lower(User.email) == address, User.id != user.id).limit(1))
    return address, RowError(0, "email", "email_taken", {"value": address}) if taken else None


def change_phone(user: User, phone: str, now: datetime) -> bool:
    """Keep the new (checked) phone number; True if it changed."""
    if (user.phone or "") == phone:
        return False
    user.phone = phone or None
    db.session.flush()
    audit.record(user, "user.phone_changed", "user", user.id, now)
    return True


def remove_email(user: User, now: datetime) -> None:
    """No e-mail address any more: notifications stay in the app only."""
    old, user.email = user.email, None
    db.session.flush()
    audit.record(user, "user.email_removed", "user", user.id, now, old=old)


def request_email_change(user: User, address: str, base_url: str, now: datetime) -> Job:
    """Ask the worker to send a confirmation link to the new (checked) address; nothing changes until it is used."""
    audit.record(user, "user.email_change_requested", "user", user.id, now, new=address)
    return submit(CONFIRMATION_JOB, {"user_id": user.id, "email": address, "base": base_url}, user, now)


@handler(CONFIRMATION_JOB)
def send_confirmation(job: Job, progress) -> dict:
    """The confirmation e-mail, to the new address, in Vietnamese then English."""
    user = db.session.get(User, job.params["user_id"])
    if user is None:
        return {"sent": 0}
    token = email_change_token(user.id, job.params["email"], user.email)
    link = job.params["base"] + current_app.url_map.bind("localhost").build("account.confirm_email",
                                                                            {"confirmation": token})
    with force_locale("vi"):
        subject = _("Xác nhận địa chỉ email của đồng chí")
    context = {"user": user, "link": link, "hours": CONFIRM_HOURS}
    send_mail(job.params["email"], subject, render_template("account/email_confirmation.txt", **context),
              render_template("account/email_confirmation.html", **context))
    return {"sent": 1}


def read_confirmation(token: str) -> tuple[User, str]:
    """The account and the new address a confirmation link is for, if it can still be used."""
    found = read_email_change_token(token, CONFIRM_HOURS * 3600)
    if isinstance(found, str):
        raise ConfirmationError(found)
    user_id, address, old = found
    user = db.session.get(User, user_id)
    if user is None or user.email != old:
        raise ConfirmationError("spent")
    if email_problems(user, address)[1] is not None:
        raise ConfirmationError("taken")
    return user, address


def confirm_email(token: str, now: datetime) -> User:
    """Use a confirmation link: the account's address becomes the confirmed one."""
    user, address = read_confirmation(token)
    old, user.email = user.email, address
    db.session.flush()
    audit.record(user, "user.email_changed", "user", user.id, now, old=old, new=address)
    return user
