"""Read models for administrators' and instructors' lists."""
from __future__ import annotations

from sqlalchemy import func, or_, select

from lms.extensions import db
from lms.models import CohortInstructor, Enrolment, Module, ModuleInstructor, Role, User

PER_PAGE = 25


def _like(q: str) -> str:
    return f"%{q.strip().lower()}%"


def paginate_learners(cohort_id: int, q: str = "", commune: str = "", page: int = 1, per_page: int = PER_PAGE):
    """A page of a cohort's enrolments with their users, filtered by name/username and commune."""
    stmt = select(Enrolment).join(User).where(Enrolment.cohort_id == cohort_id)
    if q.strip():
        stmt = stmt.where(or_(func.lower(User.full_name).like(_like(q)), func.lower(User.username).like(_like(q))))
    if commune:
        stmt = stmt.where(Enrolment.commune == commune)
    stmt = stmt.order_by(Enrolment.commune, User.full_name, User.id)
    return db.paginate(stmt, page=max(page, 1), per_page=per_page, error_out=False)


def list_communes(cohort_id: int) -> list[str]:
    """The communes and wards present in a cohort, sorted."""
    return list(db.session.scalars(select(Enrolment.commune).where(Enrolment.cohort_id == cohort_id)
                                   .distinct().order_by(Enrolment.commune)))


def paginate_users(q: str = "", role: str = "", page: int = 1, per_page: int = PER_PAGE):
    """A page of accounts, searchable by name, username or e-mail."""
    stmt = select(User)
    if q.strip():
        stmt = stmt.where(or_(func.lower(User.full_name).like(_like(q)), func.lower(User.username).like(_like(q)),
                              func.lower(User.email).like(_like(q))))
    if role in set(Role):
        stmt = stmt.where(User.role == role)
    return db.paginate(stmt.order_by(User.full_name, User.id), page=max(page, 1), per_page=per_page, error_out=False)


def list_instructors() -> list[User]:
    """Every active instructor, for assignment menus."""
    return list(db.session.scalars(select(User).where(User.role == Role.INSTRUCTOR, User.is_active_account.is_(True))
                                   .order_by(User.full_name)))


def list_cohort_instructors(cohort_id: int) -> list[User]:
    """The instructors assigned to a cohort."""
    return list(db.session.scalars(select(User).join(CohortInstructor, CohortInstructor.user_id == User.id)
                                   .where(CohortInstructor.cohort_id == cohort_id).order_by(User.full_name)))


def list_module_authors() -> list[tuple[Module, list[User]]]:
    """Every module in order with the instructors assigned to author it."""
    authors: dict[int, list[User]] = {}
    rows = db.session.execute(select(ModuleInstructor.module_id, User).join(User, User.id == ModuleInstructor.user_id)
                              .order_by(User.full_name))
    for module_id, user in rows:
        authors.setdefault(module_id, []).append(user)
    modules = db.session.scalars(select(Module).order_by(Module.number))
    return [(module, authors.get(module.id, [])) for module in modules]
