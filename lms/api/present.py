"""Rows and read models as the API's response shapes, and the links of a page."""
from __future__ import annotations

from flask import g, request, url_for

from lms.api import schemas as s
from lms.domain.transcript import Transcript
from lms.grades.item_queries import ItemRow
from lms.grades.queries import GradebookRow
from lms.models import Cohort, IssuedDocument


def page_links(page, endpoint: str, **path) -> s.Links:
    """Links to this page's neighbours, keeping the query's filters."""
    args = {k: v for k, v in request.args.items() if k != "page"}
    last = max(page.pages, 1)

    def at(number: int) -> str:
        return url_for(endpoint, **path, **args, page=number, _external=True)

    links = s.Links(self=at(page.page), first=at(1), last=at(last), next=at(page.page + 1) if page.has_next else None,
                    prev=at(page.page - 1) if page.has_prev and page.page > 1 else None)
    g.api_link_header = ", ".join(f'<{url}>; rel="{rel}"' for rel, url in links.model_dump().items()
                                  if url and rel != "self")  # RFC 8288, for clients that page by the header
    return links


def paged(model: type[s.Paged], page, items: list, endpoint: str, **path) -> s.Paged:
    """A page of results in its envelope."""
    return model(page=page.page, per_page=page.per_page, total=page.total, pages=page.pages,
                 links=page_links(page, endpoint, **path), items=items)


def cohort(row: Cohort, learners: int) -> s.CohortOut:
    """A cohort with its resources' addresses."""
    def link(endpoint: str) -> str:
        return url_for(endpoint, cohort_id=row.id, _external=True)

    return s.CohortOut(id=row.id, name=row.name, starts_on=row.starts_on, ends_on=row.ends_on,
                       created_at=row.created_at, learners=learners,
                       links=s.CohortLinks(self=link("api.cohort"), schedule=link("api.schedule"),
                                           learners=link("api.learners"), documents=link("api.documents"),
                                           items=link("api.items")))


def learner(row: GradebookRow, updated_at, cohort_id: int) -> s.LearnerOut:
    """A gradebook row: the learner, their progress and module grades."""
    user = row.enrolment.user
    return s.LearnerOut(
        user_id=user.id, username=user.username, full_name=user.full_name, commune=row.enrolment.commune,
        enrolled_at=row.enrolment.enrolled_at, updated_at=updated_at, percent=row.percent, average=row.average,
        modules=[s.ModuleStanding(number=m.module.number, title=m.module.title, status=str(m.status), grade=m.grade,
                                  grade_source=str(m.grade_source) if m.grade_source else None,
                                  lessons_studied=m.work.lessons_studied, lessons_total=m.work.lessons_total,
                                  cases_submitted=m.work.required_submitted, cases_total=m.work.required_cases)
                 for m in row.modules],
        transcript=url_for("api.transcript", cohort_id=cohort_id, user_id=user.id, _external=True))


def transcript(t: Transcript, user_id: int, cohort_id: int) -> s.TranscriptOut:
    """The transcript the page shows, line by line."""
    return s.TranscriptOut(
        user_id=user_id, cohort_id=cohort_id, holder_name=t.holder_name, holder_username=t.holder_username,
        commune=t.commune, cohort_name=t.cohort_name, passed_count=t.passed_count, average=t.average,
        classification=t.classification, completed=t.completed, completed_on=t.completed_on,
        total_hours=t.total_hours, essay=t.essay, essay_required=t.essay_required,
        lines=[s.TranscriptLine(number=line.number, title=line.title, hours=line.hours, grade=line.grade,
                                passed=line.passed, completed_on=line.completed_on,
                                classification=line.classification) for line in t.lines])


def document(row: IssuedDocument, verify_url: str) -> dict:
    """An issued document's fields and status (for DocumentOut or VerifiedDocument)."""
    changed = max(moment for moment in (row.issued_at, row.superseded_at, row.revoked_at) if moment is not None)
    return {"code": row.code, "kind": row.kind, "user_id": row.user_id, "cohort_id": row.cohort_id,
            "status": row.status, "issued_at": row.issued_at, "superseded_at": row.superseded_at,
            "revoked_at": row.revoked_at, "revoked_reason": row.revoked_reason, "updated_at": changed,
            "verify_url": verify_url}


def item(row: ItemRow) -> s.ItemOut:
    """One question's statistics."""
    stats = row.stats
    return s.ItemOut(module_number=row.module_number, case_title=row.case_title, case_slug=row.slug,
                     stage=row.stage_number, question_id=row.question.id, variant=row.question.variant,
                     prompt=row.question.prompt, attempts=stats.attempts, facility=stats.facility,
                     discrimination=stats.discrimination, upper_lower=stats.upper_lower, flags=list(stats.flags),
                     options=[s.OptionOut(option_id=o.option_id, rating=o.rating, chosen=o.chosen,
                                          chosen_by_upper=o.chosen_by_upper) for o in stats.options])


def schedule_item(item, module) -> s.ScheduleItemOut:
    """One row of a cohort's schedule."""
    return s.ScheduleItemOut(kind=item.kind, module_number=module.number if module else None,
                             module_title=module.title if module else None, opens_at=item.opens_at,
                             due_at=item.due_at, closes_at=item.closes_at, updated_at=item.updated_at)


def extension(row, user, module) -> s.ExtensionOut:
    """One learner's extension."""
    return s.ExtensionOut(user_id=user.id, username=user.username, kind=row.kind,
                          module_number=module.number if module else None, due_at=row.due_at,
                          closes_at=row.closes_at, reason=row.reason, granted_at=row.granted_at)
