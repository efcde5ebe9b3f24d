"""Accounts and module authors, as administrators manage them: units of work that flush and log, never commit."""
from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import select

import lms.audit as audit
from lms.auth.accounts import generate_password
from lms.auth.passwords import hash_password
from lms.auth.services import end_all_sessions
from lms.extensions import db
from lms.models import Module, ModuleInstructor, Role, User

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
