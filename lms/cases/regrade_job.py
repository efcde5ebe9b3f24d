"""Regrading a case after its key was corrected, as a background job: every finished attempt in every cohort is
scored again (16 ms an attempt measured on the demo: a case answered by 1,700 learners takes about 27 s, too
long for a request that gunicorn kills at 30 s)."""
from __future__ import annotations

from datetime import datetime

import lms.audit as audit
from lms.cases import services
from lms.database import utcnow
from lms.extensions import db
from lms.jobs.runner import JobFailed, Progress, handler, submit
from lms.models import Case, Job, User

KIND = "case_regrade"


def submit_regrade(case: Case, actor: User, now: datetime) -> Job:
    """Ask the worker to regrade the case against its current version; it starts when the caller commits. The
    request is in the activity log at once (the regrade's own entry waits for the worker)."""
    job = submit(KIND, {"case_id": case.id}, actor, now)  # against the version current when it runs
    audit.record(actor, "case.regrade_requested", "case", case.id, now, job=job.id)
    return job


@handler(KIND)
def run_regrade(job: Job, progress: Progress) -> dict:
    """Score the case's finished attempts again and record the new grades, in one transaction."""
    case = db.session.get(Case, job.params["case_id"])
    if case is None:
        raise JobFailed("the case no longer exists")
    actor = db.session.get(User, job.created_by_id) if job.created_by_id else None
    progress.start(services.regradable_count(case))
    count = services.regrade_case(case, actor, utcnow())
    return {"regraded": count, "case": case.slug, "version": case.current.version}
