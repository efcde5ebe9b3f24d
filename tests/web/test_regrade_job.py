"""Regrading a corrected case runs as a background job: the request only asks for it."""
from __future__ import annotations

from sqlalchemy import select

from lms.extensions import db
from lms.models import Attempt, AuditEvent, Job, JobState
from tests.conftest import EXPERT_PATH, csrf_token, play_attempt


def test_the_regrade_is_a_job_that_scores_every_finished_attempt_again(login_as, make_user, make_cohort, case, now):
    learners = [make_user() for _ in range(3)]
    make_cohort(learners=learners)
    for learner in learners:
        play_attempt(learner, case, EXPERT_PATH, now)
    admin = login_as("admin")
    url = f"/instructor/cases/{case.slug}/regrade"
    response = admin.post(url, data={"csrf_token": csrf_token(admin, url)})
    assert response.status_code == 302 and "trong nền" in admin.get(response.headers["Location"]).get_data(as_text=True)
    db.session.expire_all()  # the suite's queue is "immediate": the job ran when the request committed
    job = db.session.scalar(select(Job))
    assert job.kind == "case_regrade" and job.state == JobState.DONE and job.result["regraded"] == 3
    assert all(a.regraded_version_id == case.current_version_id for a in db.session.scalars(select(Attempt)))
    page = admin.get(f"/admin/jobs/{job.id}").get_data(as_text=True)
    assert "Chấm lại một tình huống theo đáp án đã sửa" in page


def test_a_module_author_follows_their_own_regrade_on_its_job_page_and_no_one_elses(login_as, make_user, make_cohort,
                                                                                     case, now):
    from lms.models import ModuleInstructor, Role

    learners = [make_user() for _ in range(2)]
    make_cohort(learners=learners)
    for learner in learners:
        play_attempt(learner, case, EXPERT_PATH, now)
    author, other = make_user(Role.INSTRUCTOR), make_user(Role.INSTRUCTOR)
    db.session.add(ModuleInstructor(module_id=case.module_id, user_id=author.id, assigned_at=now))
    db.session.commit()
    client = login_as(author)
    url = f"/instructor/cases/{case.slug}/regrade"
    response = client.post(url, data={"csrf_token": csrf_token(client, url)})
    job = db.session.scalar(select(Job))
    assert response.headers["Location"].endswith(f"/admin/jobs/{job.id}")
    asked = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "case.regrade_requested"))
    assert (asked.actor_id, asked.details) == (author.id, {"job": job.id})  # who asked, before any worker runs it
    page = client.get(response.headers["Location"])
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Đã chấm lại 2 bài làm" in html
    assert "Mọi công việc nền" not in html  # the list of every job stays the administrators'
    assert login_as(other).get(f"/admin/jobs/{job.id}").status_code == 403
    assert client.get("/admin/jobs/").status_code == 403


def test_a_job_no_worker_has_taken_says_the_worker_may_be_stopped(login_as, make_user, now):
    from datetime import timedelta

    from lms.database import utcnow
    from lms.models import Role

    admin = make_user(Role.ADMIN)
    job = Job(kind="case_regrade", params={"case_id": 1}, created_by_id=admin.id, state=JobState.QUEUED,
              created_at=utcnow() - timedelta(minutes=7))  # written without the queue: no worker will take it
    db.session.add(job)
    db.session.commit()
    page = login_as(admin).get(f"/admin/jobs/{job.id}").get_data(as_text=True)
    assert "Công việc đã chờ 7 phút mà chưa được chạy" in page
