"""Issuing a whole cohort's documents, and streaming them as one ZIP with a CSV summary."""
from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from datetime import datetime

from flask_babel import force_locale
from sqlalchemy import func, select

import lms.audit as audit
from lms.database import utcnow, vietnamese
from lms.domain.transcript import DocumentSettings, NotEligible
from lms.extensions import db
from lms.i18n import current_language
from lms.jobs import JobFailed, Progress, handler, submit, write_job_file
from lms.models import Cohort, Enrolment, IssuedDocument, Job, User
from lms.transcripts import issuer, services
from lms.transcripts.bundle import stream_cohort_zip
from lms.transcripts.issuer import Signer
from lms.transcripts.pdf import render_document_pdf


class CohortIssue(list):
    """The issued documents' ids in name order, and how many learners got none and why."""

    not_eligible: int = 0
    revoked: int = 0


def issue_for_cohort(cohort: Cohort, kind: str, actor: User | None, now: datetime, signer: Signer,
                     on_learner: Callable[[], None] | None = None) -> CohortIssue:
    """Issue or reuse the document for every eligible learner; returns the documents' ids in name order.

    `on_learner` runs after each learner: a job commits there, so each document stands on its own
    (issuing reuses a valid document, so a job run again does not issue twice).
    """
    enrolments = db.session.scalars(select(Enrolment).where(Enrolment.cohort_id == cohort.id)
                                    .join(User).order_by(vietnamese(User.full_name), User.id)).all()
    transcripts = services.transcripts_for(list(enrolments), cohort, signer.settings.bands)  # everyone at once
    learners = [(e.user_id, e.user) for e in enrolments]
    issued = CohortIssue()
    for user_id, user in learners:
        try:
            issued.append(services.issue(user, cohort, kind, actor, now, signer.keyring, signer.settings,
                                         signer.verify_url, transcripts[user_id]).id)
        except NotEligible:
            issued.not_eligible += 1
        except services.DocumentRevoked:
            issued.revoked += 1  # only an administrator's explicit reissue brings a revoked one back
        if on_learner:
            on_learner()
    return issued


JOB_KIND = "cohort_documents"


def submit_cohort_zip(cohort: Cohort, kind: str, actor: User, now: datetime) -> Job:
    """Ask the worker for the cohort's documents as a ZIP (recorded in the activity log); the verify address is
    fixed now, from this request."""
    job = submit(JOB_KIND, {"cohort_id": cohort.id, "kind": kind, "base_url": issuer.public_base_url(),
                            "locale": current_language()}, actor, now, cohort.id)
    audit.record(actor, "documents.batch_requested", "cohort", cohort.id, now, kind=kind, job=job.id)
    return job


@handler(JOB_KIND)
def run_cohort_zip(job: Job, progress: Progress) -> dict:
    """Issue (or reuse) every eligible learner's document, one commit each, then write the ZIP to the job's file."""
    cohort = db.session.get(Cohort, job.params["cohort_id"])
    if cohort is None:
        raise JobFailed("the cohort no longer exists")
    kind, base = job.params["kind"], job.params["base_url"]
    learners = db.session.scalar(select(func.count()).select_from(Enrolment).where(Enrolment.cohort_id == cohort.id))
    actor = db.session.get(User, job.created_by_id) if job.created_by_id else None
    db.session.commit()
    progress.start(2 * learners)
    signer = Signer(issuer.keyring(), issuer.settings(), lambda code: f"{base}/verify/{code}")

    def learner_done() -> None:
        db.session.commit()
        progress.advance()

    issued = issue_for_cohort(cohort, kind, actor, utcnow(), signer, on_learner=learner_done)
    progress.done = learners
    chunks = zip_stream(list(issued), signer.settings, on_document=progress.advance)
    with force_locale(job.params.get("locale", "vi")):  # the summary in the language of whoever asked
        write_job_file(job_row(job.id), f"{kind}-lop-{job.params['cohort_id']}.zip",
                       lambda out: out.writelines(chunks), utcnow())
    return {"documents": len(issued), "not_eligible": issued.not_eligible, "revoked": issued.revoked,
            "learners": learners}


def job_row(job_id: int) -> Job:
    """The job, read again after the commits and rollbacks of a long run."""
    return db.session.get(Job, job_id)


def zip_stream(document_ids: list[int], settings: DocumentSettings,
               on_document: Callable[[], None] | None = None) -> Iterator[bytes]:
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
            if on_document:
                on_document()
            # fpdf2 and fontTools leave reference cycles behind each PDF; the app's large long-lived heap makes
            # Python's full collections rare, so they would pile up with the cohort. Collecting the young
            # generations after each PDF frees them (under a millisecond) and keeps memory flat.
            gc.collect(1)

    return stream_cohort_zip(documents(), lambda d: render_document_pdf(d, settings))
