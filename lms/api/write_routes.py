"""The API's writes: enrolling learners into a cohort (the roster import's rules and row errors, all or none) and
setting a learner's extension (the schedule's rules)."""
from __future__ import annotations

from flask_babel import gettext as _

from lms.admin.roster_errors import row_error_message
from lms.api import present
from lms.api import schemas as s
from lms.api.blueprint import bp, caller, cohort_or_404, enrolment_or_404
from lms.auth.accounts import temporary_credentials
from lms.catalog.queries import list_modules_with_cases
from lms.cohorts.services import import_roster, rows_needing_accounts
from lms.database import utcnow
from lms.domain.roster import check_rows
from lms.errors import render_error
from lms.models import MODULE
from lms.schedule.services import ScheduleError, grant_extension
from lms.schedule.wording import PROBLEMS


def _row_problem(errors):
    return render_error(422, error_code="roster_rejected", errors=[
        {"pointer": f"#/learners/{e.line - 1}/{e.field}", "code": e.code, "message": row_error_message(e)}
        for e in sorted(errors, key=lambda e: e.line)])

@bp.operation("/cohorts/<int:cohort_id>/enrolments", "POST", summary="Enrol learners", response=s.EnrolOut,
              body=s.EnrolIn, scope="enrol", tag="Learners")
def enrol(cohort_id: int, body: s.EnrolIn):
    """Enrol up to 500 learners, all or none, with the roster import's checks and row errors (each error points at
    its row). A row naming no account makes one with a temporary password, returned this once."""
    cohort = cohort_or_404(cohort_id)
    rows, errors = check_rows([(n, r.model_dump()) for n, r in enumerate(body.learners, start=1)])
    if errors:
        return _row_problem(errors)
    new = rows_needing_accounts(rows)
    made = dict(zip([r.identifier for r in new], temporary_credentials(len(new)), strict=True))
    result = import_roster(cohort, rows, caller(), utcnow(), credentials=made)
    if not result.ok:
        return _row_problem(result.errors)
    line = {r.identifier: r.line for r in rows}
    return s.EnrolOut(cohort_id=cohort.id, enrolled=result.enrolled, unchanged=result.unchanged, created=[
        s.CreatedAccount(row=line[u.email or u.username] - 1, user_id=u.id, username=u.username,
                         temporary_password=password) for u, password in result.created])

@bp.operation("/cohorts/<int:cohort_id>/learners/<int:user_id>/extensions", "POST", summary="Set an extension",
              response=s.ExtensionOut, body=s.ExtensionIn, scope="enrol", tag="Learners")
def extend(cohort_id: int, user_id: int, body: s.ExtensionIn):
    """Give the learner later due and close dates for one chuyên đề (by number) or the final essay, with a reason
    (audited); setting it again replaces it."""
    enrolment = enrolment_or_404(cohort_id, user_id)
    module = next((m for m in list_modules_with_cases() if m.number == body.module_number), None)
    if body.kind == MODULE and module is None:
        return render_error(422, error_code="no_item", errors=[
            {"pointer": "#/module_number", "code": "no_item", "message": _("không có chuyên đề số này")}])
    try:
        row = grant_extension(enrolment.cohort, enrolment.user, body.kind, module.id if body.kind == MODULE else None,
                              body.due_at, body.closes_at, body.reason, caller(), utcnow())
    except ScheduleError as error:
        return render_error(422, error_code="extension_rejected", errors=[
            {"pointer": "#", "code": code, "message": PROBLEMS[code]()} for code in error.codes])
    return present.extension(row, enrolment.user, module if body.kind == MODULE else None)
