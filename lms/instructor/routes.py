"""The instructor's home: their cohorts and learners."""
from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, abort, render_template, request
from flask_login import current_user

from lms.auth.access import staff_required
from lms.auth.policy import can_teach
from lms.cohorts.queries import list_cohorts_for, paginate_learners
from lms.database import utcnow
from lms.extensions import db
from lms.grades.queries import learner_summaries
from lms.instructor import queries
from lms.models import Cohort
from lms.pagination import db_int

bp = Blueprint("instructor", __name__, url_prefix="/instructor", template_folder="templates")


@bp.get("/")
@staff_required
def dashboard():
    """The cohorts this instructor teaches, and what needs attention in them."""
    cohorts = list_cohorts_for(current_user)
    ids, now = [c.id for c, _n in cohorts], utcnow()
    behind_count, behind = queries.falling_behind(ids, now)
    return render_template("instructor/dashboard.html", cohorts=cohorts, waiting=queries.waiting_to_grade(ids),
                           behind_count=behind_count, behind=behind, closing=queries.closing_soon(ids, now),
                           inactive_days=queries.INACTIVE_DAYS, reported=queries.reported_posts(ids), now=now)


@bp.get("/cohorts/<int:cohort_id>")
@staff_required
def cohort(cohort_id: int):
    """The learners of one cohort the instructor teaches."""
    cohort = db.get_or_404(Cohort, cohort_id)
    if not can_teach(current_user, cohort.id):
        abort(403)
    idle = min(request.args.get("idle", 0, type=db_int), 365)  # ?idle=7: only learners inactive for 7 days
    page = paginate_learners(cohort.id, request.args.get("q", ""), request.args.get("commune", ""),
                             request.args.get("page", 1, type=db_int),
                             idle_since=utcnow() - timedelta(days=idle) if idle else None)
    summaries = learner_summaries([e.user_id for e in page.items], cohort.id)  # progress and last activity
    return render_template("instructor/cohort.html", cohort=cohort, page=page, idle=idle, summaries=summaries)
