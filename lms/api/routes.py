"""The API's entry point, its OpenAPI document and reference page, and the cohorts with their schedules."""
from __future__ import annotations

from flask import current_app, jsonify, render_template, url_for

from lms.api import present
from lms.api import schemas as s
from lms.api.blueprint import bp, caller, cohort_or_404
from lms.api.spec import openapi_document
from lms.catalog.queries import list_modules_with_cases
from lms.cohorts.queries import list_cohorts_for
from lms.pagination import page_of_list
from lms.schedule.services import cohort_items, list_extensions

VERSION = "1.0.0"


@bp.operation("", summary="Entry point", response=s.IndexOut, tag="API", scope=None)
def index():
    """Links to the document, the reference page and the cohorts; needs no token."""
    return s.IndexOut(name=current_app.config["DOCUMENTS"]["course_title"], version=VERSION,
                      openapi=url_for("api.openapi", _external=True), docs=url_for("api.docs", _external=True),
                      cohorts=url_for("api.cohorts", _external=True))


def document() -> dict:
    """The OpenAPI 3.1 document of every operation of the blueprint."""
    return openapi_document(bp.operations, "LMS API", VERSION)


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI 3.1 document, generated from the shapes the handlers validate with; needs no token."""
    return jsonify(document())


@bp.get("/docs")
def docs():
    """The reference page, drawn from the same document; needs no token."""
    return render_template("api/docs.html", spec=document())


@bp.operation("/cohorts", summary="Cohorts", response=s.CohortPage, query=s.PageQuery, tag="Cohorts")
def cohorts(query: s.PageQuery):
    """Every cohort the token's owner may see, newest first, with its learner count."""
    page = page_of_list(list_cohorts_for(caller()), query.page, query.per_page)
    return present.paged(s.CohortPage, page, [present.cohort(c, n) for c, n in page.items], "api.cohorts")


@bp.operation("/cohorts/<int:cohort_id>", summary="One cohort", response=s.CohortOut, tag="Cohorts")
def cohort(cohort_id: int):
    """A cohort with its learner count and the addresses of its schedule, learners, documents and items."""
    row = cohort_or_404(cohort_id)
    return present.cohort(row, len(row.enrolments))


@bp.operation("/cohorts/<int:cohort_id>/schedule", summary="A cohort's schedule", response=s.ScheduleOut,
              query=s.ScheduleQuery, tag="Cohorts")
def schedule(cohort_id: int, query: s.ScheduleQuery):
    """When each chuyên đề and the final essay open, are due and close, and the per-learner extensions."""
    row, since = cohort_or_404(cohort_id), query.updated_since
    numbers = {m.id: m for m in list_modules_with_cases()}
    items = [present.schedule_item(i, numbers.get(i.module_id)) for i in cohort_items(row.id).values()
             if since is None or i.updated_at >= since]
    extensions = [present.extension(e, u, numbers.get(e.module_id)) for e, u in list_extensions(row.id)
                  if since is None or e.granted_at >= since]
    return s.ScheduleOut(cohort_id=row.id, items=items, extensions=extensions)
