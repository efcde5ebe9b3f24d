"""Notifications end to end: each event through the job queue to a real SMTP server started here, preferences,
digests, unsubscribing without signing in, the bell, deadline reminders that are never sent twice."""
from __future__ import annotations

import email
import socket
import time
from datetime import timedelta
from email import policy

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select

from lms.database import utcnow
from lms.domain.schedule import Window
from lms.extensions import db
from lms.grades.ledger import override_grade
from lms.jobs.runner import run_periodic
from lms.mail.tokens import unsubscribe_token
from lms.models import MODULE, Delivery, Event, Notification, Role
from lms.notifications import services
from lms.notifications.receivers import remind_deadlines
from lms.schedule.services import set_window
from tests.conftest import csrf_token, play_attempt


class Inbox:
    """An SMTP server that keeps what it receives."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"

    def to(self, address: str) -> list:
        return [m for m in self.messages if m["To"] and address in m["To"]]


def serve_smtp(inbox: Inbox) -> tuple[Controller, int]:
    """A real SMTP server on a free local port, started."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    return controller, port


@pytest.fixture
def smtp(app, monkeypatch):
    inbox = Inbox()
    controller, port = serve_smtp(inbox)
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", port)
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "smtp")  # the suite's default keeps mail in memory
    yield inbox
    controller.stop()


def wait_for(inbox, count, seconds=5.0):
    deadline = time.monotonic() + seconds
    while len(inbox.messages) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    return inbox.messages


@pytest.fixture
def lan(make_user):
    return make_user(Role.LEARNER, full_name="Nguyễn Thị Lan", email="lan@xa-soc-son.hanoi.gov.vn")


@pytest.fixture
def cohort(make_cohort, lan, make_user):
    teacher = make_user(Role.INSTRUCTOR, full_name="Trần Văn Giảng")
    return make_cohort(instructors=[teacher], learners=[lan])


def test_a_grade_override_reaches_the_learner_by_email_with_its_reason(app, smtp, lan, cohort, case, make_user, now):
    teacher = make_user(Role.INSTRUCTOR)
    override_grade(lan, case.module, cohort.id, 8.5, "Phúc khảo bài thu hoạch", teacher, now)
    db.session.commit()  # the e-mail job is queued by the commit (run at once in the suite)
    [message] = wait_for(smtp, 1)
    assert message["To"].addresses[0].addr_spec == "lan@xa-soc-son.hanoi.gov.vn"
    assert message["Subject"] == "Điểm chuyên đề 1 được giảng viên điều chỉnh thành 8,5/10"
    text = message.get_body(("plain",)).get_content()
    assert "Lý do: Phúc khảo bài thu hoạch" in text and "=== English ===" in text and "Reason: Phúc khảo" in text
    assert message.get_body(("html",)) is not None and "/unsubscribe/" in message["List-Unsubscribe"]
    notification = db.session.scalar(select(Notification))
    assert notification.email == "sent" and notification.emailed_at is not None and notification.read_at is None


def test_preferences_digest_and_off(app, smtp, lan, cohort, case, make_user, now):
    services.set_preference(lan.id, Event.GRADE_OVERRIDDEN, Delivery.DIGEST)
    services.set_preference(lan.id, Event.ANNOUNCEMENT, Delivery.OFF)
    teacher = make_user(Role.INSTRUCTOR)
    override_grade(lan, case.module, cohort.id, 7.0, "Bổ sung minh chứng", teacher, now)
    override_grade(lan, case.module, cohort.id, 7.5, "Chấm lại", teacher, now)
    services.notify(lan, Event.ANNOUNCEMENT, {"title": "Lịch học tuần tới", "text": "Học trực tuyến."}, None, now)
    db.session.commit()
    assert smtp.messages == [] and services.unread_count(lan.id) == 3  # all three in the app, no e-mail yet
    run_periodic(app)  # the daily digest: both overrides in one e-mail; the announcement e-mail is off
    [digest] = wait_for(smtp, 1)
    assert digest["Subject"] == "Tin tổng hợp trong ngày: 2 thông báo mới"
    body = digest.get_body(("plain",)).get_content()
    assert "Bổ sung minh chứng" in body and "Chấm lại" in body
    run_periodic(app)  # within the day: nothing more
    time.sleep(0.2)
    assert len(smtp.messages) == 1


def test_unsubscribing_from_the_link_works_without_signing_in(app, client, lan):
    token = unsubscribe_token(lan.id, Event.DEADLINE_SOON.value)
    page = client.get(f"/unsubscribe/{token}").get_data(as_text=True)
    assert "Sắp đến hạn nộp" in page and "Ngừng nhận" in page
    assert client.post(f"/unsubscribe/{token}").status_code == 200  # a mail client's one-click POST, no session
    assert services.preferences(lan.id)[Event.DEADLINE_SOON.value] == Delivery.OFF
    assert client.get(f"/unsubscribe/{token}x").status_code == 404
    assert client.get("/unsubscribe/garbage").status_code == 404


def test_the_bell_counts_unread_and_the_list_marks_them_read(app, login_as, lan, now):
    for n in range(3):
        services.notify(lan, Event.ANNOUNCEMENT, {"title": f"Thông báo {n}", "text": ""}, None, now)
    db.session.commit()
    client = login_as(lan)
    home = client.get("/").get_data(as_text=True)
    assert 'class="count">3<' in home and "Thông báo: 3 chưa đọc" in home
    page = client.get("/notifications").get_data(as_text=True)
    assert "Thông báo của lớp: Thông báo 2" in page and page.count('class="notification unread"') == 3
    client.post("/notifications/read", data={"csrf_token": csrf_token(client, "/notifications")})
    assert services.unread_count(lan.id) == 0 and 'class="count"' not in client.get("/").get_data(as_text=True)


def test_a_deadline_reminder_is_made_once_however_often_the_sweep_runs(app, smtp, lan, cohort, case):
    now = utcnow()
    set_window(cohort, MODULE, case.module_id, Window(now - timedelta(days=10), now + timedelta(hours=30),
                                                      now + timedelta(days=5)), None, now)
    db.session.commit()
    assert remind_deadlines(now) == 1
    db.session.commit()
    assert remind_deadlines(now) == 0 and remind_deadlines(now + timedelta(minutes=5)) == 0
    db.session.commit()
    [message] = wait_for(smtp, 1)
    assert message["Subject"].startswith("Sắp đến hạn nộp chuyên đề 1")
    assert db.session.scalar(select(func.count()).select_from(Notification)) == 1


def test_an_email_claimed_by_a_worker_that_died_is_not_sent_again(app, smtp, lan, now):
    notification = services.notify(lan, Event.ANNOUNCEMENT, {"title": "x", "text": ""}, None, now)
    notification.email = "sending"  # a worker claimed it, then was killed before sending
    db.session.commit()
    assert services.send_emails([notification.id], "pending", now) == 0
    time.sleep(0.2)
    assert smtp.messages == []


def test_a_failed_send_is_put_back_and_retried(app, lan, now, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_PORT", 1)  # nothing listens there
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "smtp")
    notification = services.notify(lan, Event.ANNOUNCEMENT, {"title": "x", "text": ""}, None, now)
    notification.email = "pending"
    db.session.commit()
    with pytest.raises(OSError):
        services.send_emails([notification.id], "pending", now)
    db.session.rollback()
    assert db.session.get(Notification, notification.id).email == "pending"


def test_an_announcement_is_posted_by_the_cohorts_instructor_and_reaches_its_learners(app, smtp, login_as, lan,
                                                                                       cohort, make_user):
    from lms.cohorts.queries import list_cohort_instructors

    teacher = list_cohort_instructors(cohort.id)[0]
    client = login_as(teacher)
    path = f"/cohorts/{cohort.id}/announcements/new"
    empty = client.post(path, data={"csrf_token": csrf_token(client, path), "title": "", "body": ""})
    assert empty.status_code == 400 and "Cần có tiêu đề." in empty.get_data(as_text=True)
    response = client.post(path, data={"csrf_token": csrf_token(client, path), "title": "Lịch học tuần 3",
                                       "body": "**Thứ Năm** học chuyên đề 3.\n\n- Mang sổ tay\n- Đến sớm"
                                               "\n\n<script>alert(1)</script>"})
    assert response.status_code == 302
    [message] = wait_for(smtp, 1)
    assert message["Subject"] == "Thông báo của lớp: Lịch học tuần 3"
    # words, one line per paragraph or item, no Markdown: the e-mail's HTML keeps those lines apart
    parts = {part.get_content_type(): part.get_content() for part in message.walk() if not part.is_multipart()}
    assert "Thứ Năm học chuyên đề 3.\nMang sổ tay\nĐến sớm" in parts["text/plain"].replace("\r\n", "\n")
    assert '<span style="white-space: pre-line">Thứ Năm học chuyên đề 3.\nMang sổ tay' in parts["text/html"].replace(
        "\r\n", "\n")
    assert "**" not in parts["text/plain"] and "alert(1)" not in parts["text/plain"]
    inbox = login_as(lan).get("/notifications").get_data(as_text=True)
    assert '<p class="detail">Thứ Năm học chuyên đề 3.\nMang sổ tay\nĐến sớm</p>' in inbox
    learner_page = login_as(lan).get(f"/cohorts/{cohort.id}/announcements/").get_data(as_text=True)
    assert "<strong>Thứ Năm</strong>" in learner_page and "<script>alert(1)" not in learner_page
    stranger = login_as(make_user(Role.INSTRUCTOR))
    assert stranger.get(path).status_code == 403
    assert login_as(make_user(Role.LEARNER)).get(f"/cohorts/{cohort.id}/announcements/").status_code == 403


def test_graded_answers_and_issued_and_revoked_documents_reach_the_learner(app, smtp, lan, cohort, make_case,
                                                                           make_user, now):
    from werkzeug.datastructures import MultiDict

    from lms.reviews.services import grade_written
    from lms.transcripts import issuer
    from lms.transcripts.services import issue, revoke

    attempt = play_attempt(lan, make_case(), [MultiDict({"q-q1": "b"}), MultiDict(
        {"q-q4-best": "a", "q-q4-worst": "b", "q-q5-text": "Tôi chỉ đạo hòa giải theo quy định."})], now)
    teacher, admin = make_user(Role.INSTRUCTOR), make_user(Role.ADMIN)
    grade_written(attempt, {"q5": {"basis": 2.0, "plan": 2.0}}, {"q5": "Lập luận tốt."}, 0, teacher, now)
    db.session.commit()
    own = issue(lan, cohort, "transcript", lan, now, issuer.keyring(), issuer.settings(), issuer.verify_url)
    db.session.commit()  # the learner's own download tells no one
    revoke(own, "Cấp nhầm lớp", admin, now)
    db.session.commit()
    issue(lan, cohort, "transcript", admin, now, issuer.keyring(), issuer.settings(), issuer.verify_url,
          reissue_reason="Cấp lại sau khi sửa lớp")
    db.session.commit()
    subjects = [m["Subject"] for m in wait_for(smtp, 3)]
    assert subjects[0].startswith("Bài làm tình huống «") and "đã được chấm" in subjects[0]
    assert subjects[1] == f"Bảng điểm {own.code} đã bị thu hồi"
    assert "Lý do: Cấp nhầm lớp" in smtp.messages[1].get_body(("plain",)).get_content()
    assert subjects[2] == "Đồng chí đã được cấp bảng điểm"
    assert len(smtp.messages) == 3 and services.unread_count(lan.id) == 3


class SlowInbox(Inbox):
    """Keeps each message, then takes its time to say so (a worker can be killed while it waits)."""

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        import asyncio

        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        await asyncio.sleep(1.5)
        return "250 OK"


def test_a_reminder_run_killed_mid_send_never_sends_an_email_twice(app, make_user, make_cohort, case, tmp_path):
    import os
    import subprocess
    import sys
    from collections import Counter
    from pathlib import Path

    learners = [make_user(Role.LEARNER, email=f"hv{n}@xa.hanoi.gov.vn") for n in range(3)]
    cohort = make_cohort(learners=learners)
    now = utcnow()
    set_window(cohort, MODULE, case.module_id, Window(now - timedelta(days=9), now + timedelta(hours=30),
                                                      now + timedelta(days=5)), None, now)
    db.session.commit()
    db.session.close()
    inbox = SlowInbox()
    controller, port = serve_smtp(inbox)
    env = {**os.environ, "LMS_CONFIG": "development", "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
           "JOBS_URL": "immediate", "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(port), "FLASK_APP": "wsgi",
           "LMS_INSTANCE_DIR": str(tmp_path), "JOB_RESEND_AFTER_MINUTES": "0",
           "SIGNING_KEYS_DIR": app.config["SIGNING_KEYS_DIR"], "JOB_FILES_DIR": str(tmp_path / "files")}
    tick = [sys.executable, "-m", "flask", "jobs", "tick"]
    root = Path(__file__).resolve().parents[2]
    try:
        with open(tmp_path / "first.log", "w") as out:
            first = subprocess.Popen(tick, env=env, cwd=root, stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while not inbox.messages and time.monotonic() < deadline and first.poll() is None:
            time.sleep(0.05)
        first.kill()  # mid-send: the server has the message, the worker never heard back
        first.wait()
        assert len(inbox.messages) == 1, (tmp_path / "first.log").read_text()
        # Later, the sweep runs the killed job again (it looks dead) and sends what was still waiting.
        again = subprocess.run(tick, env={**env, "JOB_STALE_MINUTES": "0"}, cwd=root, capture_output=True, text=True,
                               timeout=120)
        assert again.returncode == 0, again.stdout + again.stderr
    finally:
        controller.stop()
    received = Counter(m["To"].addresses[0].addr_spec for m in inbox.messages)
    assert set(received.values()) == {1}  # nobody got a reminder twice
    assert len(received) == 3  # the run after the kill sent the two still waiting
    assert db.session.scalar(select(func.count()).select_from(Notification)) == 3  # one reminder per deadline
