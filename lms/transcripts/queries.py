"""Read models for the issued-documents pages: a cohort's documents, found by learner or code, kind and status."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import contains_eager

from lms.domain.transcript import DocumentKind
from lms.models import DocumentStatus, IssuedDocument, User
from lms.pagination import contains, paginate

PER_PAGE = 50


@dataclass(frozen=True)
class DocumentFilters:
    """What a cohort's documents list is narrowed to; a value it does not know is no filter."""

    q: str = ""
    kind: str = ""
    status: str = ""

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> DocumentFilters:
        """The filters from a query string (?q=&kind=&status=)."""
        kind, status = args.get("kind", ""), args.get("status", "")
        return cls(args.get("q", "").strip()[:100], kind if kind in set(DocumentKind) else "",
                   status if status in set(DocumentStatus) else "")

    @property
    def active(self) -> bool:
        """Whether anything narrows the list."""
        return bool(self.q or self.kind or self.status)


def documents_page(cohort_id: int, filters: DocumentFilters, page: int):
    """A page of the cohort's documents, newest first, each with its learner (read in the same query), found by
    the learner's name or username or by the document's code."""
    stmt = (select(IssuedDocument).join(User, User.id == IssuedDocument.user_id)
            .options(contains_eager(IssuedDocument.user))
            .where(IssuedDocument.cohort_id == cohort_id))
    if filters.q:
        stmt = stmt.where(or_(contains(User.full_name, filters.q), contains(User.username, filters.q),
                              contains(IssuedDocument.code, filters.q)))
    if filters.kind:
        stmt = stmt.where(IssuedDocument.kind == filters.kind)
    if filters.status:
        stmt = stmt.where(IssuedDocument.status == filters.status)
    return paginate(stmt.order_by(IssuedDocument.issued_at.desc(), IssuedDocument.id.desc()), page, PER_PAGE)
