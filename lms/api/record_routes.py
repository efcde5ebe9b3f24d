"""Learners' records: progress and module grades, transcripts, issued documents, and the item analysis, from
the read models the gradebook, transcript, documents and item analysis pages use."""
from __future__ import annotations

from flask import abort

from lms.api import present
from lms.api import schemas as s
from lms.api.blueprint import bp, caller, cohort_or_404, enrolment_or_404
from lms.api.queries import learner_updates, paginate_documents
from lms.auth.policy import teach_or_403
from lms.grades.item_queries import ItemFilters, item_rows
from lms.grades.queries import gradebook_page
from lms.pagination import page_of_list
from lms.transcripts import issuer
from lms.transcripts.services import build_transcript_for, find_by_code


@bp.operation("/cohorts/<int:cohort_id>/learners", summary="A cohort's learners", response=s.LearnerPage,
              query=s.SyncQuery, tag="Learners")
def learners(cohort_id: int, query: s.SyncQuery):
    """The cohort's learners by name, each with their progress and module grades as the gradebook shows them;
    `updated_since` keeps those enrolled, active or graded since."""
    row, since = cohort_or_404(cohort_id), query.updated_since
    updated = learner_updates(row.id)
    page = gradebook_page(row.id, query.page, query.per_page,
                          learners=None if since is None else {u for u, moment in updated.items() if moment >= since})
    return present.paged(s.LearnerPage, page, [present.learner(r, updated[r.enrolment.user_id], row.id)
                                               for r in page.items], "api.learners", cohort_id=row.id)


@bp.operation("/cohorts/<int:cohort_id>/learners/<int:user_id>/transcript", summary="One learner's transcript",
              response=s.TranscriptOut, tag="Learners")
def transcript(cohort_id: int, user_id: int):
    """The learner's transcript in the cohort: every chuyên đề with its grade, the average and classification."""
    enrolment = enrolment_or_404(cohort_id, user_id)
    found = build_transcript_for(enrolment.user, enrolment.cohort, issuer.settings().bands)
    return present.transcript(found, user_id, cohort_id)


@bp.operation("/cohorts/<int:cohort_id>/documents", summary="A cohort's issued documents", response=s.DocumentPage,
              query=s.SyncQuery, tag="Documents")
def documents(cohort_id: int, query: s.SyncQuery):
    """Transcripts and certificates issued in the cohort with their status (valid, superseded, revoked), in the
    order issued; `updated_since` keeps those issued, superseded or revoked since."""
    row = cohort_or_404(cohort_id)
    page = paginate_documents(row.id, query.updated_since, query.page, query.per_page)
    items = [s.DocumentOut(**present.document(d, issuer.verify_url(d.code))) for d in page.items]
    return present.paged(s.DocumentPage, page, items, "api.documents", cohort_id=row.id)


@bp.operation("/documents/<code>", summary="One document and its verification", response=s.VerifiedDocument,
              tag="Documents")
def document(code: str):
    """An issued document by its code, its status and whether its signature checks out."""
    found = find_by_code(code) or abort(404)
    teach_or_403(caller(), found.cohort_id)
    return s.VerifiedDocument(**present.document(found, issuer.verify_url(found.code)),
                              signature_valid=issuer.keyring().verify(found.credential).ok)


@bp.operation("/cohorts/<int:cohort_id>/items", summary="Case and question statistics", response=s.ItemPage,
              query=s.ItemQuery, tag="Item analysis")
def items(cohort_id: int, query: s.ItemQuery):
    """The item analysis of the cohort's graded attempts: each question's facility, discrimination, options and
    flags, in course order; filtered by chuyên đề and commune or ward."""
    row = cohort_or_404(cohort_id)
    page = page_of_list(item_rows(ItemFilters(row.id, query.module, query.commune or "")), query.page, query.per_page)
    return present.paged(s.ItemPage, page, [present.item(r) for r in page.items], "api.items", cohort_id=row.id)
