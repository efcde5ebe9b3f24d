"""Read models for administrators' and instructors' lists."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import or_, select, union

from lms.database import vietnamese
from lms.domain.text import sort_key
from lms.extensions import db
from lms.models import Enrolment, Module, ModuleInstructor, Role, User
from lms.pagination import contains, db_int, paginate

STATUSES = ("active", "locked")


@dataclass(frozen=True)
class AccountFilters:
    """What the accounts page is narrowed to; a value it does not know is no filter."""

    q: str = ""
    role: str = ""
    cohort_id: int | None = None
    commune: str = ""
    status: str = ""

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> AccountFilters:
        """The filters from a query string (?q=&role=&cohort=&commune=&status=)."""
        try:
            cohort_id = db_int(args.get("cohort", ""))
        except ValueError:
            cohort_id = None
        return cls(args.get("q", ""), args.get("role", "") if args.get("role") in set(Role) else "", cohort_id,
                   args.get("commune", "").strip(), args.get("status", "") if args.get("status") in STATUSES else "")


def paginate_users(filters: AccountFilters, page: int = 1):
    """A page of accounts (with its total), searchable by name, username or e-mail and narrowed by role, cohort
    (its learners), commune or ward (the account's, or an enrolment's) and active or locked."""
    stmt = select(User)
    if filters.q.strip():
        q = filters.q
        stmt = stmt.where(or_(contains(User.full_name, q), contains(User.username, q), contains(User.email, q)))
    if filters.role:
        stmt = stmt.where(User.role == filters.role)
    if filters.cohort_id is not None:
        stmt = stmt.where(select(Enrolment.id).where(Enrolment.user_id == User.id,
                                                     Enrolment.cohort_id == filters.cohort_id).exists())
    if filters.commune:
        enrolled_there = select(Enrolment.id).where(Enrolment.user_id == User.id, Enrolment.commune == filters.commune)
        stmt = stmt.where(or_(User.commune == filters.commune, enrolled_there.exists()))
    if filters.status:
        stmt = stmt.where(User.is_active_account.is_(filters.status == "active"))
    return paginate(stmt.order_by(vietnamese(User.full_name), User.id), page)


def list_all_communes() -> list[str]:
    """Every commune or ward named by an account or an enrolment, in Vietnamese order (one query)."""
    named = union(select(User.commune).where(User.commune.is_not(None), User.commune != ""),
                  select(Enrolment.commune))
    return sorted(db.session.scalars(named), key=sort_key)


def list_instructors() -> list[User]:
    """Every active instructor, for assignment menus."""
    return list(db.session.scalars(select(User).where(User.role == Role.INSTRUCTOR, User.is_active_account.is_(True))
                                   .order_by(vietnamese(User.full_name))))


def list_module_authors() -> list[tuple[Module, list[User]]]:
    """Every module in order with the instructors assigned to author it."""
    authors: dict[int, list[User]] = {}
    rows = db.session.execute(select(ModuleInstructor.module_id, User).join(User, User.id == ModuleInstructor.user_id)
                              .order_by(vietnamese(User.full_name)))
    for module_id, user in rows:
        authors.setdefault(module_id, []).append(user)
    modules = db.session.scalars(select(Module).order_by(Module.number))
    return [(module, authors.get(module.id, [])) for module in modules]
