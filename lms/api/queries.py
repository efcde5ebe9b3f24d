"""Read models only the API needs: when a learner's row, a document or a schedule last changed (for
`updated_since`); everything else comes from the read models the pages use."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from lms.extensions import db
from lms.grades.queries import last_activity
from lms.models import Enrolment, GradeEntry, IssuedDocument
from lms.pagination import paginate


def learner_updates(cohort_id: int) -> dict[int, datetime]:
    """Each learner's latest change in the cohort: enrolment, study activity or grade entry, whichever is last."""
    enrolled = dict(db.session.execute(select(Enrolment.user_id, Enrolment.enrolled_at)
                                       .where(Enrolment.cohort_id == cohort_id)).all())
    latest = dict(enrolled)
    grades = db.session.execute(select(GradeEntry.user_id, func.max(GradeEntry.created_at))
                                .where(GradeEntry.cohort_id == cohort_id).group_by(GradeEntry.user_id))
    for source in (last_activity(list(enrolled)).items(), grades):
        for user_id, moment in source:
            if user_id in latest and moment is not None:
                latest[user_id] = max(latest[user_id], moment)
    return latest


def document_changed_at():
    """The SQL expression of a document's last change: revoked, superseded, or issued."""
    return func.coalesce(IssuedDocument.revoked_at, IssuedDocument.superseded_at, IssuedDocument.issued_at)


def paginate_documents(cohort_id: int, since: datetime | None, page: int, per_page: int):
    """A page of the cohort's issued documents, the oldest change first (stable for synchronisation)."""
    stmt = select(IssuedDocument).where(IssuedDocument.cohort_id == cohort_id)
    if since is not None:
        stmt = stmt.where(document_changed_at() >= since)
    return paginate(stmt.order_by(IssuedDocument.id), page, per_page, past_end_is_last=False)
