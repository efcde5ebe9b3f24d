"""The JSON API: tokens, reads over the pages' read models, writes with the roster's and schedule's rules,
problem documents, ETags, pagination, the rate limit and the audit log."""
from __future__ import annotations

import pytest
from openapi_spec_validator import OpenAPIV31SpecValidator, validate
from sqlalchemy import select

from lms.database import utcnow
from lms.extensions import db
from lms.models import AuditEvent, Enrolment, Extension, Role
from tests.web.api_tokens import bearer, make_token


@pytest.fixture
def admin(make_user):
    """The administrator who owns the tokens."""
    return make_user(Role.ADMIN, username="quantri")


@pytest.fixture
def read(admin):
    """Headers with a read token."""
    return bearer(make_token(admin, "read", utcnow()))


@pytest.fixture
def enrol(admin):
    """Headers with an enrol token."""
    return bearer(make_token(admin, "enrol", utcnow()))


def test_entry_point_document_and_reference_page_need_no_token(client):
    index = client.get("/api/v1")
    assert index.status_code == 200 and index.json["openapi"].endswith("/api/v1/openapi.json")
    spec = client.get("/api/v1/openapi.json").json
    assert spec["openapi"] == "3.1.0"
    validate(spec, cls=OpenAPIV31SpecValidator)  # raises on anything OpenAPI 3.1 does not allow
    assert "/api/v1/cohorts/{cohort_id}/enrolments" in spec["paths"]
    assert spec["paths"]["/api/v1/cohorts"]["get"]["security"] == [{"bearer": []}]
    page = client.get("/api/v1/docs").get_data(as_text=True)
    assert "POST /api/v1/cohorts/{cohort_id}/enrolments" in page and "EnrolRow" in page


def test_a_session_cookie_authorizes_nothing(login_as, make_cohort):
    admin_session = login_as(Role.ADMIN)
    response = admin_session.get("/api/v1/cohorts")
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    assert response.headers["WWW-Authenticate"].startswith("Bearer") and response.json["code"] == "token_unknown"


@pytest.mark.parametrize("kind", ["revoked", "expired"])
def test_revoked_and_expired_tokens_are_refused_and_logged(client, admin, kind):
    response = client.get("/api/v1/cohorts", headers=bearer(make_token(admin, kind, utcnow())))
    assert response.status_code == 401 and response.json["code"] == f"token_{kind}"
    logged = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "api.call")).all()
    assert [(e.details["route"], e.details["status"]) for e in logged] == [("/api/v1/cohorts", 401)]


def test_a_token_of_another_scope_is_forbidden(client, enrol, read, make_cohort):
    cohort = make_cohort()
    assert client.get("/api/v1/cohorts", headers=enrol).status_code == 403
    assert client.post(f"/api/v1/cohorts/{cohort.id}/enrolments", json={"learners": []}, headers=read).status_code == 403


def test_a_deactivated_owner_s_tokens_stop_working(client, admin, read):
    admin.is_active_account = False
    db.session.commit()
    assert client.get("/api/v1/cohorts", headers=read).json["code"] == "token_owner_not_admin"


def test_cohorts_are_paged_with_links(client, read, make_cohort):
    for _ in range(3):
        make_cohort()
    first = client.get("/api/v1/cohorts?per_page=2", headers=read).json
    assert (first["total"], first["pages"], len(first["items"])) == (3, 2, 2)
    assert first["links"]["prev"] is None and "page=2" in first["links"]["next"]
    assert f'<{first["links"]["next"]}>; rel="next"' in client.get("/api/v1/cohorts?per_page=2", headers=read).headers["Link"]
    second = client.get(first["links"]["next"], headers=read).json
    assert len(second["items"]) == 1 and second["links"]["next"] is None


def test_reads_carry_an_etag_and_answer_304_when_unchanged(client, read, make_cohort):
    cohort = make_cohort()
    first = client.get(f"/api/v1/cohorts/{cohort.id}", headers=read)
    assert first.headers["ETag"]
    again = client.get(f"/api/v1/cohorts/{cohort.id}", headers={**read, "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    gzip = {**read, "Accept-Encoding": "gzip"}  # compressed, the ETag names the encoding and still answers 304
    compressed = client.get(f"/api/v1/cohorts?per_page=100&x={'y' * 600}", headers=gzip)
    assert compressed.headers["Content-Encoding"] == "gzip"
    assert client.get(f"/api/v1/cohorts?per_page=100&x={'y' * 600}",
                      headers={**gzip, "If-None-Match": compressed.headers["ETag"]}).status_code == 304
    logged = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "api.call").order_by(AuditEvent.id))
    assert [e.details["status"] for e in logged] == [200, 304, 200, 304]  # the audit says what the client got


def test_learners_with_progress_and_updated_since(client, read, make_user, make_cohort):
    learner = make_user(Role.LEARNER, full_name="Nguyễn Văn An")
    cohort = make_cohort(learners=[learner])
    body = client.get(f"/api/v1/cohorts/{cohort.id}/learners", headers=read).json
    assert [item["username"] for item in body["items"]] == [learner.username]
    assert body["items"][0]["percent"] == 0 and body["items"][0]["transcript"].endswith("/transcript")
    later = client.get(f"/api/v1/cohorts/{cohort.id}/learners",
                       query_string={"updated_since": "2099-01-01T00:00:00+07:00"}, headers=read).json
    assert later["items"] == []
    since = client.get(f"/api/v1/cohorts/{cohort.id}/learners", query_string={"updated_since": body["items"][0][
        "enrolled_at"]}, headers=read).json
    assert [item["user_id"] for item in since["items"]] == [learner.id]
    transcript = client.get(body["items"][0]["transcript"], headers=read).json
    assert transcript["holder_username"] == learner.username and transcript["completed"] is False


def test_validation_errors_list_the_fields_in_the_language_asked(client, read, make_cohort):
    cohort = make_cohort()
    response = client.get(f"/api/v1/cohorts/{cohort.id}/learners", query_string={"per_page": "0", "page": "x"},
                          headers={**read, "Accept-Language": "en"})
    assert response.status_code == 422 and response.mimetype == "application/problem+json"
    assert {e["pointer"] for e in response.json["errors"]} == {"#/query/per_page", "#/query/page"}
    assert response.json["title"] == "Invalid data"
    vietnamese = client.get(f"/api/v1/cohorts/{cohort.id}/learners?per_page=0", headers=read).json
    assert vietnamese["title"] == "Dữ liệu không hợp lệ"


def test_not_found_is_a_problem_document(client, read):
    response = client.get("/api/v1/cohorts/999999", headers=read)
    assert response.status_code == 404 and response.json["status"] == 404


ROWS = [{"full_name": "Trần Thị Bình", "identifier": "binh@example.vn", "commune": "Phường Láng"},
        {"full_name": "Lê Văn Cường", "identifier": "cuong.le", "commune": "Xã Đông Anh", "phone": "0912345678"}]


def test_enrolment_creates_accounts_and_shows_their_passwords_once(client, enrol, make_cohort):
    cohort = make_cohort()
    response = client.post(f"/api/v1/cohorts/{cohort.id}/enrolments", json={"learners": ROWS}, headers=enrol)
    assert response.status_code == 200, response.json
    assert (response.json["enrolled"], len(response.json["created"])) == (2, 2)
    assert response.headers["Cache-Control"] == "no-store"
    again = client.post(f"/api/v1/cohorts/{cohort.id}/enrolments", json={"learners": ROWS}, headers=enrol).json
    assert (again["enrolled"], again["unchanged"], again["created"]) == (0, 2, [])


def test_enrolment_is_all_or_nothing_with_the_roster_s_row_errors(client, enrol, make_cohort, make_user):
    make_user(Role.INSTRUCTOR, username="giangvien")
    cohort = make_cohort()
    rows = [*ROWS, {"full_name": "Giảng viên", "identifier": "giangvien", "commune": "Phường Láng"}]
    response = client.post(f"/api/v1/cohorts/{cohort.id}/enrolments", json={"learners": rows}, headers=enrol)
    assert response.status_code == 422
    assert [(e["pointer"], e["code"]) for e in response.json["errors"]] == [("#/learners/2/identifier",
                                                                             "not_a_learner")]
    bad = [{**ROWS[0], "identifier": "x"}, ROWS[0], {**ROWS[1], "full_name": "A" * 201}]
    response = client.post(f"/api/v1/cohorts/{cohort.id}/enrolments", json={"learners": bad}, headers=enrol)
    assert [(e["pointer"], e["code"]) for e in response.json["errors"]] == [
        ("#/learners/0/identifier", "bad_username"), ("#/learners/2/full_name", "too_long")]
    assert response.json["errors"][1]["message"] == "dài quá 200 ký tự"  # the roster report's words
    assert db.session.scalar(select(Enrolment.id).where(Enrolment.cohort_id == cohort.id)) is None


def test_a_batch_past_500_rows_or_the_body_limit_is_refused(client, enrol, make_cohort):
    cohort = make_cohort()
    rows = [{**ROWS[1], "identifier": f"hv{n:04d}"} for n in range(501)]
    response = client.post(f"/api/v1/cohorts/{cohort.id}/enrolments", json={"learners": rows}, headers=enrol)
    assert response.status_code == 422 and response.json["errors"][0]["code"] == "too_long"
    huge = client.post(f"/api/v1/cohorts/{cohort.id}/enrolments", data="x" * 600_000,
                       content_type="application/json", headers=enrol)
    assert huge.status_code == 413


def test_an_extension_is_set_with_the_schedule_s_rules(client, enrol, make_user, make_cohort):
    learner = make_user(Role.LEARNER)
    cohort = make_cohort(learners=[learner])
    url = f"/api/v1/cohorts/{cohort.id}/learners/{learner.id}/extensions"
    refused = client.post(url, json={"kind": "essay", "due_at": "2027-03-02T07:00:00+07:00",
                                     "closes_at": "2027-03-01T07:00:00+07:00", "reason": "Ốm"}, headers=enrol)
    assert refused.status_code == 422 and refused.json["errors"][0]["code"] == "close_before_due"
    granted = client.post(url, json={"kind": "essay", "due_at": "2027-03-02T07:00:00+07:00", "reason": "Ốm"},
                          headers=enrol)
    assert granted.status_code == 200 and granted.json["reason"] == "Ốm"
    assert db.session.scalar(select(Extension.reason).where(Extension.user_id == learner.id)) == "Ốm"


def test_calls_are_rate_limited_per_token(app, client, read, admin):
    app.config["API_RATE_LIMIT"] = 2
    try:
        responses = [client.get("/api/v1/cohorts", headers=read) for _ in range(3)]
        other = client.get("/api/v1/cohorts", headers=bearer(make_token(admin, "read", utcnow())))
    finally:
        app.config["API_RATE_LIMIT"] = 120
    assert [r.status_code for r in responses] == [200, 200, 429] and other.status_code == 200
    assert responses[2].headers["Retry-After"] == "60" and responses[2].mimetype == "application/problem+json"


def test_every_call_is_in_the_audit_log(client, read):
    client.get("/api/v1/cohorts", headers=read)
    client.get("/api/v1/cohorts/999999", headers=read)
    logged = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "api.call").order_by(AuditEvent.id))
    assert [(e.details["route"], e.details["status"], e.details["method"]) for e in logged] == [
        ("/api/v1/cohorts", 200, "GET"), ("/api/v1/cohorts/<int:cohort_id>", 404, "GET")]


def test_documents_with_their_status_signature_and_changes_since(client, read, admin, make_user, make_cohort, now):
    from lms.transcripts.issuer import keyring, settings, verify_url
    from lms.transcripts.services import issue, revoke

    learner = make_user(Role.LEARNER)
    cohort = make_cohort(learners=[learner])
    document = issue(learner, cohort, "transcript", admin, now, keyring(), settings(), verify_url)
    db.session.commit()
    listed = client.get(f"/api/v1/cohorts/{cohort.id}/documents", headers=read).json["items"]
    assert [(d["code"], d["status"]) for d in listed] == [(document.code, "valid")]
    revoke(document, "Cấp nhầm", admin, utcnow())
    db.session.commit()
    one = client.get(f"/api/v1/documents/{document.code}", headers=read).json
    assert (one["status"], one["revoked_reason"], one["signature_valid"]) == ("revoked", "Cấp nhầm", True)
    since = client.get(f"/api/v1/cohorts/{cohort.id}/documents", headers=read,
                       query_string={"updated_since": one["revoked_at"]}).json["items"]
    later = client.get(f"/api/v1/cohorts/{cohort.id}/documents", headers=read,
                       query_string={"updated_since": "2099-01-01T00:00:00Z"}).json["items"]
    assert [d["code"] for d in since] == [document.code] and later == []
