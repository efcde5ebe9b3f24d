"""Telling a whole cohort at once: one INSERT per chunk and one e-mail job, each person's e-mail to that person,
a replay tells no one twice, and a send that fails part-way resumes with those still waiting."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from lms.extensions import db
from lms.jobs.runner import Progress
from lms.models import Delivery, Event, Job, Notification, Role, User
from lms.notifications import services
from tests.services.test_notifications import smtp, wait_for  # noqa: F401 (smtp is a fixture)


@pytest.fixture
def people(make_user):
    """Four learners: two want e-mail at once, one a daily digest, one has no address."""
    made = [make_user(Role.LEARNER, full_name=f"Học viên {n}", email=f"hv{n}@xa.hanoi.gov.vn") for n in range(3)]
    made.append(make_user(Role.LEARNER, full_name="Không email"))
    services.set_preference(made[2].id, Event.ANNOUNCEMENT.value, Delivery.DIGEST)
    db.session.commit()
    return made


def tell(people, now, tag="a"):
    told = services.notify_all(people, Event.ANNOUNCEMENT, {"title": "Lịch học tuần 3", "text": "Thứ Năm"}, "/x",
                               now, key=lambda person: f"test:{tag}:{person.id}")
    db.session.commit()
    return told


def test_one_email_job_sends_each_person_their_own_email(app, smtp, people, now):  # noqa: F811
    assert tell(people, now) == 4
    [job] = db.session.scalars(select(Job).where(Job.kind == services.EMAIL_JOB)).all()
    states = dict(db.session.execute(select(Notification.user_id, Notification.email)).all())
    assert [states[p.id] for p in people] == ["sent", "sent", "digest", "none"]
    messages = wait_for(smtp, 2)
    assert sorted(m["To"] for m in messages) == ["hv0@xa.hanoi.gov.vn", "hv1@xa.hanoi.gov.vn"]
    assert job.result == {"sent": 2}


def test_a_replay_with_the_same_keys_tells_no_one_twice(app, people, now):
    tell(people, now)
    assert tell(people, now) == 0
    assert db.session.scalar(select(func.count()).select_from(Notification)) == 4
    assert db.session.scalar(select(func.count()).select_from(Job)) == 1


def test_a_whole_cohort_is_written_in_a_few_statements(app, make_user, now, count_queries):
    ids = [make_user(Role.LEARNER).id for _ in range(12)]
    crowd = db.session.scalars(select(User).where(User.id.in_(ids)).order_by(User.id)).all()  # as a caller reads them
    with count_queries() as few:
        services.notify_all(crowd[:2], Event.ANNOUNCEMENT, {"title": "t", "text": ""}, None, now,
                            key=lambda person: f"few:{person.id}")
    with count_queries() as many:
        services.notify_all(crowd, Event.ANNOUNCEMENT, {"title": "t", "text": ""}, None, now,
                            key=lambda person: f"many:{person.id}")
    assert many() == few()


def test_a_send_that_fails_part_way_resumes_with_those_still_waiting(app, people, now, monkeypatch):
    monkeypatch.setitem(app.extensions["jobs"], "run_job", lambda job_id: None)  # the test runs the job itself
    sent, failed = [], []

    def send(to, *args):
        if to == "hv1@xa.hanoi.gov.vn" and not failed:
            failed.append(to)
            raise OSError("the mail server hung up")
        sent.append(to)

    monkeypatch.setattr(services, "send_mail", send)
    services.notify_all(people, Event.ANNOUNCEMENT, {"title": "t", "text": ""}, None, now,
                        key=lambda person: f"fail:{person.id}")
    db.session.commit()
    job = db.session.scalar(select(Job).where(Job.kind == services.EMAIL_JOB))
    with pytest.raises(OSError):
        services.run_email_job(job, Progress(job.id))
    db.session.rollback()
    states = dict(db.session.execute(select(Notification.user_id, Notification.email)).all())
    assert (states[people[0].id], states[people[1].id]) == ("sent", "pending")
    services.run_email_job(job, Progress(job.id))  # the queue's retry
    assert sent == ["hv0@xa.hanoi.gov.vn", "hv1@xa.hanoi.gov.vn"]
