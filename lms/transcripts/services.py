"""Issuing, reissuing, revoking and verifying transcripts and certificates. Flush only, never commit."""
from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import func, select

import lms.audit as audit
from lms.catalog.essay import current_essay
from lms.catalog.queries import list_modules_with_cases
from lms.database import vietnamese
from lms.domain import transcript as domain
from lms.domain.errors import DomainError
from lms.domain.progress import ModuleStatus
from lms.domain.scoring import DEFAULT_BANDS, Band
from lms.essays.services import graded_essay_scores
from lms.extensions import db
from lms.grades.standing import progress_for
from lms.models import (
    Cohort,
    DocumentStatus,
    Enrolment,
    GradeEntry,
    IssuedDocument,
    User,
)
from lms.signals import document_issued, document_revoked
from lms.transcripts.credential import (
    KeyRing,
    build_credential,
    document_from_credential,
)

log = logging.getLogger(__name__)
VerifyUrl = Callable[[str], str]


def transcripts_for(enrolments: list[Enrolment], cohort: Cohort, bands: tuple[Band, ...] = DEFAULT_BANDS
                    ) -> dict[int, domain.Transcript]:
    """Transcripts of many learners of one cohort, from the ledger and the completion rules, in four queries."""
    user_ids = [e.user_id for e in enrolments]
    progress = progress_for(user_ids, cohort.id, list_modules_with_cases())
    passed_on: dict[tuple[int, int], datetime] = {
        (user_id, module_id): moment for user_id, module_id, moment in db.session.execute(
            select(GradeEntry.user_id, GradeEntry.module_id, func.max(GradeEntry.created_at))
            .where(GradeEntry.user_id.in_(user_ids), GradeEntry.cohort_id == cohort.id)
            .group_by(GradeEntry.user_id, GradeEntry.module_id))} if user_ids else {}
    essay_row = current_essay()
    essays = graded_essay_scores(user_ids, cohort.id) if essay_row is not None else {}
    weight = essay_row.weight if essay_row is not None else 0.0
    required = essay_row is not None and essay_row.required
    pass_mark = essay_row.pass_mark if essay_row is not None else 5.0
    result = {}
    for enrolment in enrolments:
        lines = [domain.ModuleLine(r.module.number, r.module.title, r.module.hours, r.grade,
                                   r.status == ModuleStatus.PASSED, _completed_on(r, passed_on, enrolment.user_id),
                                   bands)
                 for r in progress.get(enrolment.user_id, [])]
        user = enrolment.user
        score, graded_at = essays.get(user.id, (None, None))
        result[user.id] = domain.build_transcript(
            user.full_name, user.username, enrolment.commune, cohort.name, lines, bands, score, weight,
            required, pass_mark, graded_at.astimezone(domain.VIETNAM_TIME).date() if graded_at else None)
    return result


def not_eligible(cohort: Cohort, bands: tuple[Band, ...] = DEFAULT_BANDS) -> list[tuple[Enrolment, domain.Transcript]]:
    """The cohort's learners who cannot receive a certificate yet, by name, with their transcripts (which say why:
    the modules not passed, the essay missing or below its pass mark)."""
    enrolments = db.session.scalars(select(Enrolment).join(User, User.id == Enrolment.user_id)
                                    .where(Enrolment.cohort_id == cohort.id).order_by(vietnamese(User.full_name))).all()
    transcripts = transcripts_for(list(enrolments), cohort, bands)
    return [(e, transcripts[e.user_id]) for e in enrolments if not transcripts[e.user_id].completed]


def _completed_on(row, passed_on, user_id: int):
    moment = passed_on.get((user_id, row.module.id))
    return moment.astimezone(domain.VIETNAM_TIME).date() if row.status == ModuleStatus.PASSED and moment else None


def build_transcript_for(user: User, cohort: Cohort, bands: tuple[Band, ...] = DEFAULT_BANDS) -> domain.Transcript:
    """The learner's transcript in a cohort."""
    enrolment = db.session.scalar(select(Enrolment).filter_by(user_id=user.id, cohort_id=cohort.id))
    if enrolment is None:  # not (or no longer) enrolled: an unsaved stand-in carries the account's commune
        enrolment = Enrolment(user_id=user.id, cohort_id=cohort.id, commune=user.commune or "")
        enrolment.user = user
    return transcripts_for([enrolment], cohort, bands)[user.id]


def transcript_hash(transcript: domain.Transcript) -> str:
    """A fingerprint of the results, to tell whether an issued document is still up to date."""
    essay = "" if transcript.essay is None else f"|essay={transcript.essay}@{transcript.essay_weight}"
    return hashlib.sha256((repr(transcript) + essay).encode("utf-8")).hexdigest()  # frozen dataclasses: stable


def current_document(user: User, cohort: Cohort, kind: str) -> IssuedDocument | None:
    """The valid document of this kind for the learner and cohort, if any."""
    return db.session.scalar(select(IssuedDocument).where(
        IssuedDocument.user_id == user.id, IssuedDocument.cohort_id == cohort.id, IssuedDocument.kind == kind,
        IssuedDocument.status == DocumentStatus.VALID).order_by(IssuedDocument.id.desc()).limit(1))


class DocumentRevoked(DomainError):
    """The learner's latest document of this kind was revoked: only an administrator's reissue, with a reason,
    issues another."""

    status, default_code = 409, "document_revoked"


def revoked_document(user: User, cohort: Cohort, kind: str) -> IssuedDocument | None:
    """The learner's latest document of this kind when it is revoked (nothing valid issued since), else None."""
    latest = db.session.scalar(select(IssuedDocument).where(
        IssuedDocument.user_id == user.id, IssuedDocument.cohort_id == cohort.id, IssuedDocument.kind == kind)
        .order_by(IssuedDocument.id.desc()).limit(1))
    return latest if latest is not None and latest.status == DocumentStatus.REVOKED else None


def issue(user: User, cohort: Cohort, kind: str, actor: User | None, now: datetime, keyring: KeyRing,
          settings: domain.DocumentSettings, verify_url: VerifyUrl,
          transcript: domain.Transcript | None = None, reissue_reason: str | None = None) -> IssuedDocument:
    """The learner's up-to-date document: the valid one if results are unchanged, else a new one superseding it.

    Raises domain.NotEligible for a certificate when not every module is passed, and DocumentRevoked when the
    latest one was revoked, unless an administrator reissues it with a reason (recorded in the audit log).
    """
    revoked = revoked_document(user, cohort, kind)
    if revoked is not None and not (reissue_reason or "").strip():
        raise DocumentRevoked(code=revoked.code, reason=revoked.revoked_reason)
    if revoked is not None:
        audit.record(actor, "document.reissued_after_revocation", "document", revoked.id, now,
                     reason=reissue_reason.strip(), kind=kind)
    transcript = transcript or build_transcript_for(user, cohort, settings.bands)
    fingerprint = transcript_hash(transcript)
    existing = current_document(user, cohort, kind)
    if existing is not None and existing.data_hash == fingerprint:
        return existing
    issued = domain.issue_document(domain.DocumentKind(kind), transcript, now=now, verify_url=verify_url)
    signed = keyring.sign(build_credential(issued, settings))
    row = IssuedDocument(code=issued.code, kind=kind, user_id=user.id, cohort_id=cohort.id, issued_at=issued.issued_at,
                         issued_by_id=actor.id if actor else None, data_hash=fingerprint, credential=signed,
                         key_id=keyring.current_key_id, status=DocumentStatus.VALID)
    db.session.add(row)
    db.session.flush()
    if existing is not None:
        existing.status, existing.superseded_at, existing.superseded_by_id = DocumentStatus.SUPERSEDED, now, row.id
        audit.record(actor, "document.reissued", "document", row.id, now, supersedes=existing.code, kind=kind)
    else:
        audit.record(actor, "document.issued", "document", row.id, now, holder=user.id, kind=kind)
    document_issued.send(__name__, document=row, actor=actor, now=now)
    log.info("%s %s issued for user %s cohort %s", kind, row.code, user.id, cohort.id)
    return row


def reissue_if_changed(user_id: int, cohort_id: int | None, now: datetime, keyring: KeyRing,
                       settings: domain.DocumentSettings, verify_url: VerifyUrl) -> list[IssuedDocument]:
    """After a grade change, reissue every valid document of the learner whose results changed."""
    if cohort_id is None:
        return []
    valid = db.session.scalars(select(IssuedDocument).where(
        IssuedDocument.user_id == user_id, IssuedDocument.cohort_id == cohort_id,
        IssuedDocument.status == DocumentStatus.VALID)).all()
    reissued = []
    for document in valid:
        try:
            new = issue(document.user, document.cohort, document.kind, None, now, keyring, settings, verify_url)
        except domain.NotEligible:
            revoke(document, "Không còn đủ điều kiện sau khi điểm thay đổi", None, now)
            continue
        if new.id != document.id:
            reissued.append(new)
    return reissued


def revoke(document: IssuedDocument, reason: str, actor: User | None, now: datetime) -> None:
    """Revoke a document with a reason; it stays verifiable as revoked."""
    reason = (reason or "").strip()
    if not reason:
        raise ValueError("reason_required")
    document.status, document.revoked_at, document.revoked_reason = DocumentStatus.REVOKED, now, reason
    document.revoked_by_id = actor.id if actor else None
    db.session.flush()
    audit.record(actor, "document.revoked", "document", document.id, now, code=document.code, reason=reason)
    document_revoked.send(__name__, document=document, actor=actor, reason=reason, now=now)


def find_by_code(code: str) -> IssuedDocument | None:
    """The document with this code (well-formed codes only, so junk never reaches the database)."""
    if not domain.is_document_code(code):
        return None
    return db.session.scalar(select(IssuedDocument).where(IssuedDocument.code == code))


def domain_document(row: IssuedDocument, bands: tuple[Band, ...] = DEFAULT_BANDS) -> domain.IssuedDocument:
    """The document as it was signed (the PDF is always drawn from the signed data)."""
    return document_from_credential(row.credential, bands)
