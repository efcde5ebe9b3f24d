"""The learner's progress dashboard and grade history."""
from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_login import current_user
from markupsafe import Markup

from lms.auth.access import roles_required
from lms.catalog.essay import current_essay
from lms.catalog.outline import course_outline
from lms.catalog.queries import get_module
from lms.cohorts.queries import current_cohort_id
from lms.domain.progress import ModuleStatus, cumulative_series, overall_percent
from lms.essays.services import submission_of
from lms.extensions import db
from lms.grades.fingerprint import kept_learner_page
from lms.grades.ledger import list_entries
from lms.grades.queries import recently_reviewed, standing_of
from lms.grades.standing import progress_for
from lms.lessons.queries import continue_target
from lms.models import Cohort, Role, User
from lms.progress import queries
from lms.progress.chart import progress_chart

bp = Blueprint("progress", __name__, template_folder="templates")


@bp.get("/progress")
@roles_required(Role.LEARNER)
def dashboard():
    """The 18 modules with status, grade and progress; overall completion; what to do next; a chart."""
    user = current_user._get_current_object()
    body = kept_learner_page("progress", user, lambda: _body(user))
    return render_template("progress/dashboard.html", body=Markup(body))


def _body(user: User) -> str:
    """The page's body, built from the learner's rows."""
    cohort_id = current_cohort_id(user.id)
    rows = progress_for([user.id], cohort_id).get(user.id, [])
    works = [row.work for row in rows]
    target = continue_target(user.id, course_outline())  # what the home page's "continue" shows, the same
    series = cumulative_series(queries.activity_times(user.id))
    essay = current_essay()
    cohort = db.session.get(Cohort, cohort_id) if cohort_id is not None else None
    submission = submission_of(user, cohort) if essay is not None and cohort is not None else None
    return render_template("progress/_dashboard_body.html", rows=rows, overall=overall_percent(works),
                           essay=essay if cohort is not None else None, submission=submission,
                           passed=sum(r.status == ModuleStatus.PASSED for r in rows), target=target,
                           chart=progress_chart(series, sum(w.items_total for w in works)),
                           reviewed=recently_reviewed(user.id))


@bp.get("/progress/<module_key>")
@roles_required(Role.LEARNER)
def module_grade(module_key: str):
    """The learner's own grade history in one module: every entry, with who, when and why."""
    module = get_module(module_key)
    if module is None:
        abort(404)
    cohort_id = current_cohort_id(current_user.id)
    entries = list_entries(current_user.id, module.id, cohort_id)
    return render_template("progress/module_grade.html", module=module, entries=entries,
                           **standing_of(current_user.id, module, cohort_id))
