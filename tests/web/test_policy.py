"""The authorization policy table: every route, every kind of visitor, the expected outcome.

A route missing from POLICY fails the suite, so every new page must declare who may use it.
Outcomes: "ok" (served, or a validation answer), "login" (sent to sign in, or 401: a token is needed), "deny" (403).
The JSON API has a second table: its routes x anonymous, a learner's session and tokens of every kind.
"""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from lms.api.tokens import find_token
from lms.cases.services import start_attempt
from lms.catalog.store import new_lesson_version
from lms.content.schema import LessonDoc
from lms.extensions import db
from lms.mail.tokens import email_change_token, unsubscribe_token
from lms.models import Announcement, Lesson, Role
from lms.notifications.announcements import post as post_announcement
from lms.schedule.services import grant_extension
from lms.transcripts.issuer import keyring, settings, verify_url
from lms.transcripts.services import issue
from tests.conftest import sign_in
from tests.web.api_tokens import KINDS, bearer, make_token

# learner: of the cohort, with an attempt in progress (has not submitted the sample case); submitted: a learner of
# the cohort who has submitted it; other_learner: of another cohort (and has submitted the case there).
VISITORS = ("anonymous", "learner", "submitted", "other_learner", "instructor", "other_instructor", "admin")

PUBLIC = dict.fromkeys(VISITORS, "ok")
SIGNED_IN = {**dict.fromkeys(VISITORS, "ok"), "anonymous": "login"}
STAFF = {"anonymous": "login", "learner": "deny", "submitted": "deny", "other_learner": "deny", "instructor": "ok",
         "other_instructor": "ok", "admin": "ok"}
COHORT_STAFF = {**STAFF, "other_instructor": "deny"}  # only the cohort's own instructors
LEARNERS = {**dict.fromkeys(VISITORS, "deny"), "anonymous": "login", "learner": "ok", "submitted": "ok",
            "other_learner": "ok"}
LEARNER_ONLY = LEARNERS
OWNER = {**dict.fromkeys(VISITORS, "deny"), "anonymous": "login", "learner": "ok"}  # the sample attempt is the learner's
ADMIN_ONLY = {**dict.fromkeys(VISITORS, "deny"), "anonymous": "login", "admin": "ok"}
MODULE_AUTHORS = {**STAFF, "instructor": "deny", "other_instructor": "deny"}  # no one is assigned the sample module
DISCUSSION_READERS = {**COHORT_STAFF, "submitted": "ok"}  # the cohort's staff, and its learners once submitted
TOKEN_ONLY = dict.fromkeys(VISITORS, "login")  # the API's data: a session, even an administrator's, is not a token

POLICY: dict[str, dict[str, str]] = {
    "static": PUBLIC,
    "pages.home": PUBLIC,
    "pages.healthz": PUBLIC,
    "pages.set_language": PUBLIC,
    "offline.worker": PUBLIC,
    "offline.page": PUBLIC,
    "auth.login": PUBLIC,
    "auth.logout": PUBLIC,
    "auth.change_password": SIGNED_IN,
    "account.profile": SIGNED_IN,
    "account.confirm_email": PUBLIC,  # the signed link is the proof (the sample is `learner`'s)
    "instructor.dashboard": STAFF,
    "instructor.cohort": COHORT_STAFF,
    "admin.dashboard": ADMIN_ONLY,
    "admin.new_cohort": ADMIN_ONLY,
    "admin.edit_cohort": ADMIN_ONLY,
    "admin.cohort": ADMIN_ONLY,
    "admin.assign_instructor": ADMIN_ONLY,
    "admin.remove_instructor": ADMIN_ONLY,
    "admin.remove_learner": ADMIN_ONLY,
    "schedule.withdraw": ADMIN_ONLY,
    "admin.enrol": ADMIN_ONLY,
    "admin.import_roster": ADMIN_ONLY,
    "admin.roster_template": ADMIN_ONLY,
    "admin.users": ADMIN_ONLY,
    "admin.toggle_active": ADMIN_ONLY,
    "admin.reset_password": ADMIN_ONLY,
    "admin.new_user": ADMIN_ONLY,
    "admin.change_role": ADMIN_ONLY,  # between instructor and administrator (the sample is `other_instructor`)
    "audit_log.index": ADMIN_ONLY,
    "audit_log.export": ADMIN_ONLY,
    "audit_log.export_job": ADMIN_ONLY,
    "lessons.index": SIGNED_IN,
    "lessons.module": SIGNED_IN,
    "lessons.lesson": SIGNED_IN,
    "lessons.mark_studied": LEARNERS,
    "lessons.search": SIGNED_IN,
    "cases.show": SIGNED_IN,
    "cases.start": LEARNERS,
    "cases.attempt": OWNER,
    "cases.answer": OWNER,
    "cases.autosave": OWNER,
    "cases.review": {**OWNER, "instructor": "ok", "admin": "ok"},
    "cases.preview": STAFF,
    "cases.regrade": MODULE_AUTHORS,  # authors of the module and administrators only
    "progress.dashboard": LEARNER_ONLY,
    "progress.module_grade": LEARNER_ONLY,
    "grades.gradebook": STAFF,
    "grades.export": COHORT_STAFF,
    "grades.grade": COHORT_STAFF,
    "grades.analytics": COHORT_STAFF,
    "items.index": STAFF,  # an instructor sees the analysis of the cohorts they teach
    "items.export": STAFF,
    "reviews.queue": STAFF,
    "essays.mine": LEARNERS,
    "essays.queue": STAFF,
    "essays.grade": {**COHORT_STAFF},
    "essays.attachment": {**COHORT_STAFF, "learner": "deny"},  # the sample essay is `subject`'s
    "feedback.module": LEARNERS,  # a learner who has not passed it is told when the form opens
    "feedback.course": LEARNERS,
    "feedback.report": COHORT_STAFF,  # the cohort's instructors and administrators: figures, never names
    "feedback.export": COHORT_STAFF,
    "reviews.grade": {**COHORT_STAFF},
    "reviews.regrade": {**COHORT_STAFF},  # the sample attempt is in progress: its staff are told 409, not regraded
    "transcripts.mine": SIGNED_IN,
    "transcripts.learner": {**COHORT_STAFF, "learner": "deny"},  # the sample holder is `subject`
    "transcripts.issue": {**COHORT_STAFF, "learner": "deny"},
    "transcripts.pdf": {**COHORT_STAFF, "learner": "deny"},
    "transcripts.credential": {**COHORT_STAFF, "learner": "deny"},
    "transcripts.verify": PUBLIC,
    "transcripts.verify_form": PUBLIC,
    "transcripts.keys": PUBLIC,
    "cohort_documents.index": ADMIN_ONLY,
    "cohort_documents.issue_all": ADMIN_ONLY,
    "cohort_documents.revoke": ADMIN_ONLY,
    "cohort_documents.reissue": ADMIN_ONLY,
    "admin.modules": ADMIN_ONLY,
    "admin.assign_author": ADMIN_ONLY,
    "admin.remove_author": ADMIN_ONLY,
    "authoring.index": STAFF,
    **dict.fromkeys([f"authoring.{name}" for name in (
        "module", "new_lesson", "edit_lesson", "lesson_versions", "lesson_diff", "restore_lesson", "download_lesson",
        "new_case", "edit_case", "duplicate_case", "case_versions", "case_diff", "restore_case", "download_case",
        "upload")], MODULE_AUTHORS),
    "authoring.new_case_form": MODULE_AUTHORS,
    "authoring.edit_module": MODULE_AUTHORS,
    "authoring.edit_case_form": MODULE_AUTHORS,
    "schedule.index": ADMIN_ONLY,
    "schedule.save": ADMIN_ONLY,
    "schedule.template": ADMIN_ONLY,
    "schedule.extend": ADMIN_ONLY,
    "inbox.index": SIGNED_IN,
    "inbox.mark_read": SIGNED_IN,
    "inbox.preferences": SIGNED_IN,
    "inbox.unsubscribe": PUBLIC,  # the signed token is the proof (the sample is `learner`'s)
    "announcements.index": {**COHORT_STAFF, "learner": "ok", "submitted": "ok"},  # the cohort's learners and staff
    "announcements.new": COHORT_STAFF,
    "announcements.edit": COHORT_STAFF,  # the sample was written by the cohort's instructor
    "announcements.withdraw": COHORT_STAFF,
    "jobs.index": ADMIN_ONLY,
    "jobs.show": ADMIN_ONLY,
    "jobs.download": ADMIN_ONLY,
    "jobs.retry_job": ADMIN_ONLY,
    "jobs.delete_file": ADMIN_ONLY,
    "calendar.index": LEARNERS,
    "calendar.reset_feed": LEARNERS,
    "calendar.feed": PUBLIC,  # the secret address is the key (the world's learner's), no sign-in
    "discussions.pick": SIGNED_IN,  # a learner is sent to their own cohort's discussion; staff choose a cohort
    "discussions.index": DISCUSSION_READERS,
    "discussions.start": DISCUSSION_READERS,
    "discussions.thread": DISCUSSION_READERS,
    "discussions.reply": DISCUSSION_READERS,
    "discussions.follow": DISCUSSION_READERS,
    "discussions.report": DISCUSSION_READERS,
    "discussions.edit": {**DISCUSSION_READERS, "instructor": "deny", "admin": "deny"},  # the sample post is `submitted`'s
    "moderation.reports": STAFF,  # each instructor sees the reports of the cohorts they teach
    "moderation.moderate": COHORT_STAFF,
    "moderation.note": COHORT_STAFF,
    "moderation.close": COHORT_STAFF,
    "moderation.export": ADMIN_ONLY,
    "api.index": PUBLIC,
    "api.openapi": PUBLIC,
    "api.docs": PUBLIC,
    **dict.fromkeys([f"api.{name}" for name in ("cohorts", "cohort", "schedule", "learners", "transcript",
                                                "documents", "document", "items", "enrol", "extend")], TOKEN_ONLY),
    "api_tokens.index": ADMIN_ONLY,
    "api_tokens.create": ADMIN_ONLY,
    "api_tokens.revoke": ADMIN_ONLY,
}

API_VISITORS = ("anonymous", "learner", *KINDS)
API_READ = {"anonymous": "login", "learner": "login", "read": "ok", "enrol": "deny", "revoked": "login",
            "expired": "login"}
API_WRITE = {**API_READ, "read": "deny", "enrol": "ok"}  # "ok" for a write: the empty body's 422
API_POLICY = {**{endpoint: API_READ for endpoint, rule in POLICY.items() if rule is TOKEN_ONLY},
              "api.enrol": API_WRITE, "api.extend": API_WRITE,
              **dict.fromkeys(["api.index", "api.openapi", "api.docs"], dict.fromkeys(API_VISITORS, "ok"))}


@pytest.fixture
def world(app, make_user, make_cohort, make_case, now, tmp_path, monkeypatch):
    """A cohort with its instructor and learner, plus outsiders of each kind."""
    people = {name: make_user(role, username=name) for name, role in [
        ("learner", Role.LEARNER), ("other_learner", Role.LEARNER), ("instructor", Role.INSTRUCTOR),
        ("other_instructor", Role.INSTRUCTOR), ("admin", Role.ADMIN), ("subject", Role.LEARNER),
        ("submitted", Role.LEARNER)]}
    cohort = make_cohort(instructors=[people["instructor"]],
                         learners=[people["learner"], people["subject"], people["submitted"]])
    make_cohort(instructors=[people["other_instructor"]], learners=[people["other_learner"]])
    case = make_case()
    thread = sample_thread(people["submitted"], people["other_learner"], case, cohort, now)
    lesson = Lesson(module=case.module, number=1, slug="bai-mot")
    db.session.add(lesson)
    db.session.flush()
    new_lesson_version(lesson, LessonDoc(1, "bai-mot", "Bài 1", "Tóm tắt", "Nội dung."), lambda *_: None, now)
    attempt = start_attempt(people["learner"], case, now)
    document = issue(people["subject"], cohort, "transcript", None, now, keyring(), settings(), verify_url)
    essay = sample_essay(people["subject"], cohort, now, tmp_path, monkeypatch)
    job = sample_job(people["admin"], cohort)
    extension = grant_extension(cohort, people["subject"], "essay", None, now + timedelta(days=3), None, "Ốm",
                                people["admin"], now)
    tokens = {kind: make_token(people["admin"], kind, now) for kind in KINDS}
    post_announcement(cohort, people["instructor"], "Lịch học", "Thứ Năm học chuyên đề 3.", "/", now)
    announcement = db.session.scalars(select(Announcement)).one()
    people["learner"].calendar_token = "t" * 43
    db.session.commit()
    return {"people": people, "tokens": tokens, "args": {"token_id": find_token(tokens["read"]).id, "cohort_id": cohort.id, "user_id": people["subject"].id,
                                       "staff_id": people["other_instructor"].id,
                                       "filename": "css/app.css", "module_key": case.module.key,
                                       "lesson_key": lesson.key, "slug": case.slug, "attempt_id": attempt.id, "fmt": "csv",
                                       "code": document.code, "kind": "transcript",
                                       "module_id": case.module.id, "version": 1, "submission_id": essay.id,
                                       "job_id": job.id, "token": "t" * 43, "thread_id": thread.id,
                                       "extension_id": extension.id, "announcement_id": announcement.id,
                                       "post_id": thread.id, "discussion_id": thread.discussion_id,
                                       "ticket": unsubscribe_token(people["learner"].id, "announcement"),
                                       "confirmation": email_change_token(people["learner"].id, "moi@xa.vn",
                                                                          people["learner"].email)}}


def sample_thread(author, other_learner, case, cohort, now):
    """`author` and `other_learner` (in their own cohort) have submitted the case; `author` started a thread."""
    from werkzeug.datastructures import MultiDict

    from lms.discussions.services import discussion_for, start_thread
    from tests.conftest import play_attempt

    for learner in (author, other_learner):
        play_attempt(learner, case, [MultiDict({"q-q1": "c"}), MultiDict({"q-q4-best": "a", "q-q4-worst": "b",
                                                                           "q-q5-text": "Đối thoại."})], now)
    return start_thread(discussion_for(case, cohort.id, now), author, "Chủ đề", "Nội dung", False, now)


def sample_job(admin, cohort):
    """A finished roster import of the administrator's, with its password file still kept."""
    from lms.database import utcnow
    from lms.jobs import write_job_file
    from lms.models import Job, JobState

    job = Job(kind="roster_import", state=JobState.DONE, params={}, result={"enrolled": 0, "created": 0, "unchanged": 0},
              created_by_id=admin.id, cohort_id=cohort.id, created_at=utcnow())
    db.session.add(job)
    db.session.flush()
    write_job_file(job, "mat-khau.csv", lambda out: out.write(b"full_name,username\r\n"), utcnow())
    return job


def sample_essay(subject, cohort, now, folder, monkeypatch):
    """The course's essay (content/essay.md) and `subject`'s submission with an attached PDF."""
    from pathlib import Path

    from flask import current_app

    from lms.catalog.essay import import_essay
    from lms.content.essay import parse_essay_text
    from lms.essays import files
    from lms.models import EssaySubmission

    monkeypatch.setitem(current_app.config, "ESSAY_UPLOAD_DIR", str(folder))
    text = (Path(__file__).resolve().parents[2] / "content" / "essay.md").read_text(encoding="utf-8")
    import_essay(parse_essay_text(text)[0], now, lambda *_: None)
    stored = files.store(b"%PDF-1.7 test", "pdf", folder)
    submission = EssaySubmission(user_id=subject.id, cohort_id=cohort.id, text="Bài viết.", submitted_at=now,
                                 file_name="bai.pdf", stored_name=stored, file_kind="pdf", file_size=13)
    db.session.add(submission)
    db.session.flush()
    return submission


def request_for(rule, args):
    """The method and URL to probe a rule with, using the world's sample objects."""
    missing = [name for name in rule.arguments if name not in args]
    assert not missing, f"{rule.endpoint}: add sample values for {missing} to the policy test"
    method = "GET" if "GET" in rule.methods else "POST"
    return method, rule.build({name: args[name] for name in rule.arguments})[1]


def outcome(response) -> str:
    """Classify a response as ok / login / deny / error."""
    if response.status_code == 302 and response.headers["Location"].startswith("/login?next="):
        return "login"
    if response.status_code == 401:
        return "login"
    if response.status_code == 403:
        return "deny"
    if response.status_code in (404, 405) or response.status_code >= 500:
        return f"error {response.status_code}"
    return "ok"


def test_every_route_is_in_the_policy_table(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints - POLICY.keys() == set(), "routes without a policy entry"
    assert POLICY.keys() - endpoints == set(), "policy entries for routes that no longer exist"


@pytest.mark.parametrize("visitor", VISITORS)
def test_policy(app, world, visitor):
    app.config["WTF_CSRF_ENABLED"] = False  # the table checks authorization, not CSRF (tested elsewhere)
    try:
        failures = []
        for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.endpoint):
            client = app.test_client()
            if visitor != "anonymous":
                assert sign_in(client, visitor).status_code == 302
            method, url = request_for(rule, world["args"])
            with client.open(url, method=method) as response:
                got = outcome(response)
            if got != POLICY[rule.endpoint][visitor]:
                failures.append(f"{method} {url} as {visitor}: expected {POLICY[rule.endpoint][visitor]}, got {got}")
        assert failures == []
    finally:
        app.config["WTF_CSRF_ENABLED"] = True


@pytest.mark.parametrize("visitor", API_VISITORS)
def test_api_policy(app, world, visitor):
    """Every API route x anonymous, a learner's session, a read, an enrol, a revoked and an expired token."""
    failures = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.endpoint):
        if not rule.endpoint.startswith("api."):
            continue
        client = app.test_client()
        if visitor == "learner":
            assert sign_in(client, visitor).status_code == 302
        headers = bearer(world["tokens"][visitor]) if visitor in KINDS else {}
        method, url = request_for(rule, world["args"])
        with client.open(url, method=method, headers=headers) as response:
            got = outcome(response)
        if got != API_POLICY[rule.endpoint][visitor]:
            failures.append(f"{method} {url} as {visitor}: expected {API_POLICY[rule.endpoint][visitor]}, got {got}")
    assert failures == []
    assert API_POLICY.keys() == {r.endpoint for r in app.url_map.iter_rules() if r.endpoint.startswith("api.")}


JUNK = {"page": "-7", "q": "'\"<script>alert(1)</script>%00", "cohort": "abc", "case": "1e9", "sort": "zzz",
        "status": "bogus", "commune": "x" * 300, "days": "99999999999", "lang": "xx", "next": "//evil.example",
        "action": "explode", "version": "NaN", "kind": "other", "score": "mười", "reason": "", "op": "move:../../x"}


@pytest.mark.parametrize("visitor", ["learner", "instructor", "admin"])
def test_no_route_answers_junk_input_with_a_server_error(app, world, visitor):
    """Bad input gets a clear answer (a 4xx page or a redirect), never a 500, whoever sends it."""
    app.config["WTF_CSRF_ENABLED"] = False
    try:
        errors = []
        for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.endpoint):
            client = app.test_client()
            assert sign_in(client, visitor).status_code == 302
            method, url = request_for(rule, world["args"])
            with client.open(url, method=method, query_string=JUNK if method == "GET" else None,
                             data=JUNK if method == "POST" else None) as response:
                if response.status_code >= 500:
                    errors.append(f"{method} {url} as {visitor}: {response.status_code}")
        assert errors == []
    finally:
        app.config["WTF_CSRF_ENABLED"] = True
