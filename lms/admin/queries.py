"""Read models for administrators' and instructors' lists."""
from __future__ import annotations

from sqlalchemy import or_, select

from lms.extensions import db
from lms.models import Module, ModuleInstructor, Role, User
from lms.pagination import contains, paginate


def paginate_users(q: str = "", role: str = "", page: int = 1):
    """A page of accounts, searchable by name, username or e-mail."""
    stmt = select(User)
    if q.strip():
        stmt = stmt.where(or_(contains(User.full_name, q), contains(User.username, q), contains(User.email, q)))
    if role in set(Role):
        stmt = stmt.where(User.role == role)
    return paginate(stmt.order_by(User.full_name, User.id), page)


def list_instructors() -> list[User]:
    """Every active instructor, for assignment menus."""
    return list(db.session.scalars(select(User).where(User.role == Role.INSTRUCTOR, User.is_active_account.is_(True))
                                   .order_by(User.full_name)))


def list_module_authors() -> list[tuple[Module, list[User]]]:
    """Every module in order with the instructors assigned to author it."""
    authors: dict[int, list[User]] = {}
    rows = db.session.execute(select(ModuleInstructor.module_id, User).join(User, User.id == ModuleInstructor.user_id)
                              .order_by(User.full_name))
    for module_id, user in rows:
        authors.setdefault(module_id, []).append(user)
    modules = db.session.scalars(select(Module).order_by(Module.number))
    return [(module, authors.get(module.id, [])) for module in modules]
