"""Issuing a whole cohort's documents, and streaming them as one ZIP with a CSV summary."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime

from sqlalchemy import select

from lms.domain.transcript import DocumentSettings, NotEligible
from lms.extensions import db
from lms.models import Cohort, Enrolment, IssuedDocument, User
from lms.transcripts import services
from lms.transcripts.bundle import stream_cohort_zip
from lms.transcripts.issuer import Signer
from lms.transcripts.pdf import render_document_pdf


def issue_for_cohort(cohort: Cohort, kind: str, actor: User | None, now: datetime, signer: Signer,
                     on_learner: Callable[[], None] | None = None) -> list[int]:
    """Issue or reuse the document for every eligible learner; returns the documents' ids in name order."""
    enrolments = db.session.scalars(select(Enrolment).where(Enrolment.cohort_id == cohort.id)
                                    .join(User).order_by(User.full_name, User.id)).all()
    transcripts = services.transcripts_for(list(enrolments), cohort, signer.settings.bands)  # everyone at once
    ids = []
    for enrolment in enrolments:
        try:
            ids.append(services.issue(enrolment.user, cohort, kind, actor, now, signer.keyring, signer.settings,
                                      signer.verify_url, transcripts[enrolment.user_id]).id)
        except (NotEligible, services.DocumentRevoked):
            pass  # not eligible, or revoked: only an administrator's explicit reissue brings a revoked one back
        if on_learner:
            on_learner()
    return ids


def zip_stream(document_ids: list[int], settings: DocumentSettings) -> Iterator[bytes]:
    """The ZIP, produced one PDF at a time from the stored signed data so memory stays flat.

    The documents must be committed first: each read's transaction ends before its PDF renders, so a long
    stream never holds a lock (on SQLite, a POST's write lock) that would stall every other writer.
    """

    def documents():
        for document_id in document_ids:
            row = db.session.get(IssuedDocument, document_id)
            document = services.domain_document(row, settings.bands)
            db.session.expunge(row)
            db.session.rollback()
            yield document

    return stream_cohort_zip(documents(), lambda d: render_document_pdf(d, settings))
