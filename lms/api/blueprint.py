"""The /api/v1 blueprint: token-only, CSRF-exempt (a session cookie authorizes nothing here), every call
through `lms.api.boundary`; and the helpers its views share."""
from __future__ import annotations

from flask import abort, g
from sqlalchemy import select

from lms.api import boundary
from lms.api.spec import ApiBlueprint
from lms.auth.policy import see_learner_work_or_403, teach_or_403
from lms.extensions import db
from lms.models import Cohort, Enrolment, User

bp = ApiBlueprint("api", __name__, url_prefix="/api/v1", template_folder="templates")
bp.before_request(boundary.authenticate)
bp.after_request(boundary.finish)


def caller() -> User:
    """The administrator the calling token stands for."""
    return g.api_token.user


def cohort_or_404(cohort_id: int) -> Cohort:
    """The cohort, if it exists (404) and the token's owner may see it (403)."""
    cohort = db.get_or_404(Cohort, cohort_id)
    teach_or_403(caller(), cohort.id)
    return cohort


def enrolment_or_404(cohort_id: int, user_id: int) -> Enrolment:
    """A learner's enrolment in the cohort (404 if there is none), if the owner may see their work (403)."""
    cohort = cohort_or_404(cohort_id)
    enrolment = db.session.scalar(select(Enrolment).filter_by(cohort_id=cohort.id, user_id=user_id))
    if enrolment is None:
        abort(404)
    see_learner_work_or_403(caller(), user_id, cohort.id)
    return enrolment
