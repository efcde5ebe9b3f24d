"""Administrators: a cohort's issued documents, issuing for the whole cohort as a streamed ZIP, revoking."""
from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from lms.auth.access import admin_required
from lms.auth.forms import EmptyForm
from lms.database import utcnow
from lms.domain.transcript import DocumentKind
from lms.extensions import db
from lms.models import Cohort, DocumentStatus
from lms.pagination import db_int, page_of_list
from lms.transcripts import batch, issuer, queries, services

bp = Blueprint("cohort_documents", __name__, url_prefix="/admin", template_folder="templates")


@bp.get("/cohorts/<int:cohort_id>/documents")
@admin_required
def index(cohort_id: int):
    """Every document issued to the cohort, newest first, found by learner or code, kind and status; with the
    batch issue buttons and who is not yet eligible."""
    cohort = db.get_or_404(Cohort, cohort_id)
    filters = queries.DocumentFilters.from_args(request.args)
    page = queries.documents_page(cohort.id, filters, request.args.get("page", 1, type=db_int))
    waiting = page_of_list(services.not_eligible(cohort, issuer.settings().bands),
                           request.args.get("waiting", 1, type=db_int), per_page=50)
    return render_template("transcripts/admin_documents.html", cohort=cohort, page=page, form=EmptyForm(),
                           waiting=waiting, filters=filters, kinds=list(DocumentKind), statuses=list(DocumentStatus))


@bp.post("/cohorts/<int:cohort_id>/documents/<kind>.zip")
@admin_required
def issue_all(cohort_id: int, kind: str):
    """Ask the job worker to issue (or reuse) every eligible learner's document and build the ZIP of PDFs with a
    CSV summary; the job's page shows its progress and then the download (579 learners take minutes)."""
    cohort = db.get_or_404(Cohort, cohort_id)
    if kind not in set(DocumentKind):
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    job = batch.submit_cohort_zip(cohort, kind, current_user, utcnow())
    return redirect(url_for("jobs.show", job_id=job.id), 303)


MAX_REASON = 2000  # characters, as for grade overrides


def _reason() -> tuple[str, str | None]:
    """The posted reason and what is wrong with it: None, "missing" or "too_long" (refused whole, never cut)."""
    reason = (request.form.get("reason") or "").strip()
    return reason, "missing" if not reason else "too_long" if len(reason) > MAX_REASON else None


@bp.route("/documents/<code>/revoke", methods=["GET", "POST"])
@admin_required
def revoke(code: str):
    """Confirm with a reason, then revoke a document; it stays verifiable as revoked."""
    document = services.find_by_code(code) or abort(404)
    form = EmptyForm()
    reason, problem = _reason()
    if form.validate_on_submit() and problem is None:
        services.revoke(document, reason, current_user, utcnow())
        flash(_("Đã thu hồi văn bản %(c)s.", c=document.code), "success")
        return redirect(url_for("cohort_documents.index", cohort_id=document.cohort_id))
    return render_template("transcripts/revoke.html", document=document, form=form, reason=reason,
                           problem=problem if form.is_submitted() else None,
                           max_reason=MAX_REASON), 400 if form.is_submitted() else 200


@bp.route("/documents/<code>/reissue", methods=["GET", "POST"])
@admin_required
def reissue(code: str):
    """Confirm with a reason, then issue a new document for a learner whose latest one was revoked."""
    revoked = services.find_by_code(code) or abort(404)
    if revoked.status != DocumentStatus.REVOKED:
        flash(_("Văn bản %(c)s không bị thu hồi: không cần cấp lại.", c=revoked.code), "info")
        return redirect(url_for("cohort_documents.index", cohort_id=revoked.cohort_id))
    newer = queries.newer_valid_document(revoked)
    if newer is not None:  # reissued already (or replaced after a grade change): another reissue would give it again
        flash(_("Văn bản %(c)s đã được cấp lại: văn bản mới còn hiệu lực là %(n)s.", c=revoked.code, n=newer.code),
              "info")
        return redirect(url_for("cohort_documents.index", cohort_id=revoked.cohort_id))
    form = EmptyForm()
    reason, problem = _reason()
    if form.validate_on_submit() and problem is None:
        document = services.issue(revoked.user, revoked.cohort, revoked.kind, current_user, utcnow(),
                                  issuer.keyring(), issuer.settings(), issuer.verify_url, reissue_reason=reason)
        flash(_("Đã cấp lại: văn bản mới %(c)s.", c=document.code), "success")
        return redirect(url_for("cohort_documents.index", cohort_id=revoked.cohort_id))
    return render_template("transcripts/reissue.html", document=revoked, form=form, reason=reason,
                           problem=problem if form.is_submitted() else None,
                           max_reason=MAX_REASON), 400 if form.is_submitted() else 200
