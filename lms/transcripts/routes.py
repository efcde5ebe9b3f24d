"""Transcripts and certificates: the learner's page, PDFs and signed JSON, public verification, keys."""
from __future__ import annotations

import json
from datetime import timedelta

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from lms.auth.access import login_required
from lms.auth.forms import EmptyForm
from lms.auth.policy import can_see_learner_work
from lms.database import utcnow
from lms.domain.transcript import DocumentKind, NotEligible, read_typed_code
from lms.errors import render_error
from lms.extensions import db
from lms.models import Cohort, Enrolment, IssuedDocument, User
from lms.rate_limits import hit_rate_limit
from lms.transcripts import issuer, services
from lms.transcripts.pdf import render_document_pdf
from lms.unit_of_work import keeps_work_on_error, writes_on_get

bp = Blueprint("transcripts", __name__, template_folder="templates")


def _enrolment_or_404(user_id: int, cohort_id: int) -> Enrolment:
    enrolment = db.session.scalar(select(Enrolment).filter_by(user_id=user_id, cohort_id=cohort_id))
    if enrolment is None:
        abort(404)
    return enrolment


@bp.get("/transcript")
@login_required
def mine():
    """The signed-in learner's transcript in each of their cohorts."""
    cohorts = db.session.scalars(select(Cohort).join(Enrolment).where(Enrolment.user_id == current_user.id)
                                 .order_by(Enrolment.enrolled_at.desc())).all()
    return _render(current_user, cohorts)


@bp.get("/transcript/<int:user_id>/<int:cohort_id>")
@login_required
def learner(user_id: int, cohort_id: int):
    """A learner's transcript in one cohort, for the staff who teach it."""
    enrolment = _enrolment_or_404(user_id, cohort_id)
    if not can_see_learner_work(current_user, user_id, cohort_id):
        abort(403)
    return _render(enrolment.user, [enrolment.cohort])


def _render(user: User, cohorts: list[Cohort]):
    sections = [(c, services.build_transcript_for(user, c, issuer.settings().bands),
                 {k: services.current_document(user, c, k) for k in DocumentKind},
                 {k: services.revoked_document(user, c, k) for k in DocumentKind}) for c in cohorts]
    return render_template("transcripts/transcript.html", holder=user, sections=sections, form=EmptyForm())


@bp.post("/transcript/<int:user_id>/<int:cohort_id>/<kind>")
@login_required
def issue(user_id: int, cohort_id: int, kind: str):
    """Issue (or reuse, when nothing changed) the transcript or certificate, then download its PDF."""
    enrolment = _enrolment_or_404(user_id, cohort_id)
    if not can_see_learner_work(current_user, user_id, cohort_id) or kind not in set(DocumentKind):
        abort(403 if kind in set(DocumentKind) else 404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        document = services.issue(enrolment.user, enrolment.cohort, kind, current_user, utcnow(), issuer.keyring(),
                                  issuer.settings(), issuer.verify_url)
    except NotEligible:
        return render_error(409, _("Chỉ cấp giấy chứng nhận khi học viên đã hoàn thành khóa học: đạt tất cả các "
                                   "chuyên đề và bài thu hoạch cuối khóa (nếu khóa học yêu cầu)."))
    except services.DocumentRevoked as error:
        return render_error(409, _("Văn bản này đã bị thu hồi (lý do: %(r)s). Chỉ quản trị viên có thể cấp lại.",
                                   r=error.params["reason"]))
    return redirect(url_for("transcripts.pdf", code=document.code))


def _document_for_holder_or_staff(code: str) -> IssuedDocument:
    document = services.find_by_code(code)
    if document is None:
        abort(404)
    if not can_see_learner_work(current_user, document.user_id, document.cohort_id):
        abort(403)
    return document


@bp.get("/documents/<code>.pdf")
@login_required
def pdf(code: str):
    """The document's PDF, drawn from its signed data."""
    document = _document_for_holder_or_staff(code)
    body = render_document_pdf(services.domain_document(document, issuer.settings().bands), issuer.settings())
    return Response(body, mimetype="application/pdf",
                    headers={"Content-Disposition": f"inline; filename={document.kind}-{document.code}.pdf"})


@bp.get("/documents/<code>.json")
@login_required
def credential(code: str):
    """The signed credential (W3C Verifiable Credential / Open Badges 3.0 shape) for offline checking."""
    document = _document_for_holder_or_staff(code)
    return Response(_json(document.credential), mimetype="application/json",
                    headers={"Content-Disposition": f"attachment; filename={document.kind}-{document.code}.json"})


def _json(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)


@bp.get("/verify")
def verify_form():
    """The form to type a printed code; a code that reads well goes to its page, anything else is explained."""
    typed = request.args.get("code")
    if typed is None:
        return render_template("transcripts/verify.html", document=None, asking=True)
    code = read_typed_code(typed[:200])
    if code is None:
        return render_template("transcripts/verify.html", document=None, asking=True, typed=typed[:200],
                               error=_("Mã gồm 26 chữ cái và chữ số (2–7) như in dưới mã QR. "
                                       "Hãy kiểm tra lại từng ký tự.")), 422
    return redirect(url_for("transcripts.verify", code=code))


@bp.get("/verify/<code>")
@writes_on_get
@keeps_work_on_error  # a look-up of an unknown code counts against the limit too (no enumeration)
def verify(code: str):
    """Public check of a document by its code: valid, superseded or revoked. Unknown codes reveal nothing."""
    limited = hit_rate_limit("verify", request.remote_addr or "-", current_app.config["VERIFY_RATE_LIMIT"],
                                      timedelta(minutes=1), utcnow())
    document = None if limited else services.find_by_code(code)
    if limited:
        return render_error(429)
    if document is None:
        return render_template("transcripts/verify.html", document=None), 404
    return render_template("transcripts/verify.html", document=document, data=services.domain_document(document, issuer.settings().bands),
                           signature_ok=issuer.keyring().verify(document.credential).ok)




@bp.get("/.well-known/lms-signing-keys.json")
def keys():
    """The public keys, by key id, that verify every document ever issued (JWK set)."""
    return jsonify(issuer.keyring().public_jwks())
