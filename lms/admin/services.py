"""Accounts and module authors, as administrators manage them: units of work that flush and log, never commit."""
from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError

import lms.audit as audit
from lms.auth.accounts import create_user, generate_password
from lms.auth.passwords import hash_password
from lms.auth.policy import role_change_refusal
from lms.auth.services import end_all_sessions
from lms.domain.accounts import RowError, StaffAccount
from lms.domain.errors import DomainError
from lms.extensions import db
from lms.models import STAFF_ROLES, Module, ModuleInstructor, Role, User

log = logging.getLogger(__name__)


def set_user_active(user: User, active: bool, actor: User, now: datetime) -> None:
    """Deactivate (ending every session) or reactivate an account."""
    user.is_active_account = active
    if not active:
        end_all_sessions(user)
    audit.record(actor, "user.activated" if active else "user.deactivated", "user", user.id, now)
    db.session.flush()


def reset_password(user: User, actor: User, now: datetime) -> str:
    """Give the account a new temporary password and end its sessions; returns the password once."""
    password = generate_password()
    user.password_hash = hash_password(password)
    user.must_change_password = True
    end_all_sessions(user)
    audit.record(actor, "user.password_reset", "user", user.id, now)
    return password


class AccountTaken(DomainError):
    """Another request took the username or e-mail address between the check and the write."""

    status = 409
    default_code = "account_taken"


def staff_account_conflicts(account: StaffAccount) -> list[RowError]:
    """The account's username or e-mail address already names someone (whatever its case)."""
    wanted = [account.username] + ([account.email] if account.email else [])
    taken = db.session.execute(select(func.lower(User.username), func.lower(User.email)).where(
        or_(func.lower(User.username).in_(wanted), func.lower(User.email).in_(wanted)))).all()
    usernames, emails = {u for u, _ in taken}, {e for _, e in taken}
    errors = []
    if account.username in usernames:
        errors.append(RowError(0, "username", "username_taken", {"value": account.username}))
    if account.email and account.email in emails:
        errors.append(RowError(0, "email", "email_taken", {"value": account.email}))
    return errors


def create_staff_account(account: StaffAccount, role: Role, actor: User, now: datetime) -> tuple[User, str]:
    """Create an instructor's or administrator's account with a temporary password it must change at first sign-in;
    returns the account and the password, which is stored only hashed and never recorded."""
    if role not in STAFF_ROLES:
        raise ValueError(f"not a staff role: {role}")
    password = generate_password()
    try:
        user = create_user(account.username, account.full_name, role, password, now, email=account.email,
                           phone=account.phone)
    except IntegrityError as error:  # a concurrent request took the name after the check
        raise AccountTaken() from error
    user.must_change_password = True
    audit.record(actor, "user.created", "user", user.id, now, username=user.username, role=str(role))
    db.session.flush()
    log.info("staff account %s (%s) created by %s", user.username, role, actor.username)
    return user, password


def change_role(user: User, actor: User, now: datetime) -> Role:
    """Make an instructor an administrator or an administrator an instructor; the rules of
    `policy.role_change_refusal` must allow it. Returns the new role."""
    refusal = role_change_refusal(actor, user)
    if refusal:
        raise ValueError(refusal)
    old, user.role = user.role, Role.ADMIN if user.role == Role.INSTRUCTOR else Role.INSTRUCTOR
    audit.record(actor, "user.role_changed", "user", user.id, now, username=user.username, old=str(old),
                 new=str(user.role))
    db.session.flush()
    return user.role


def assign_module_author(module: Module, instructor: User, actor: User | None, now: datetime) -> bool:
    """Let an instructor author a module's lessons and cases; False if already assigned."""
    if instructor.role != Role.INSTRUCTOR:
        raise ValueError("not an instructor")
    if db.session.scalar(select(ModuleInstructor).filter_by(module_id=module.id, user_id=instructor.id)):
        return False
    db.session.add(ModuleInstructor(module_id=module.id, user_id=instructor.id, assigned_at=now))
    db.session.flush()
    audit.record(actor, "module.author_assigned", "module", module.id, now, module=module.key,
                 instructor=instructor.username)
    return True


def remove_module_author(module: Module, instructor: User, actor: User, now: datetime) -> None:
    """Stop an instructor authoring a module; their past versions keep their name."""
    link = db.session.scalar(select(ModuleInstructor).filter_by(module_id=module.id, user_id=instructor.id))
    if link:
        db.session.delete(link)
        db.session.flush()
        audit.record(actor, "module.author_removed", "module", module.id, now, module=module.key,
                     instructor=instructor.username)
