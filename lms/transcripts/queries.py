"""Read models for the issued-documents pages: a cohort's documents, found by learner or code, kind and status."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import Select, case, or_, select
from sqlalchemy.orm import aliased, contains_eager

from lms.domain.transcript import DocumentKind
from lms.extensions import db
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


Newer = aliased(IssuedDocument, name="newer")


def _newer_valid(document) -> Select:
    """The valid documents of the same learner, cohort and kind issued after `document` (a row or a column set)."""
    return select(Newer).where(Newer.user_id == document.user_id, Newer.cohort_id == document.cohort_id,
                               Newer.kind == document.kind, Newer.status == DocumentStatus.VALID,
                               Newer.id > document.id)


def newer_valid_document(document: IssuedDocument) -> IssuedDocument | None:
    """The valid document that has replaced a revoked one since (a reissue, or a grade change), if any."""
    return db.session.scalar(_newer_valid(document).order_by(Newer.id.desc()).limit(1))


def documents_page(cohort_id: int, filters: DocumentFilters, page: int):
    """A page of the cohort's documents, newest first, as rows (document, code of the valid document that has
    replaced it since it was revoked, or None): each with its learner and that code read in the same query, found
    by the learner's name or username or by the document's code."""
    replaced_by = (_newer_valid(IssuedDocument).with_only_columns(Newer.code).order_by(Newer.id.desc()).limit(1)
                   .correlate(IssuedDocument).scalar_subquery())
    stmt = (select(IssuedDocument, case((IssuedDocument.status == DocumentStatus.REVOKED, replaced_by))
                   .label("replaced_by"))
            .join(User, User.id == IssuedDocument.user_id)
            .options(contains_eager(IssuedDocument.user))
            .where(IssuedDocument.cohort_id == cohort_id))
    if filters.q:
        stmt = stmt.where(or_(contains(User.full_name, filters.q), contains(User.username, filters.q),
                              contains(IssuedDocument.code, filters.q)))
    if filters.kind:
        stmt = stmt.where(IssuedDocument.kind == filters.kind)
    if filters.status:
        stmt = stmt.where(IssuedDocument.status == filters.status)
    return paginate(stmt.order_by(IssuedDocument.issued_at.desc(), IssuedDocument.id.desc()), page, PER_PAGE,
                    rows=True)
