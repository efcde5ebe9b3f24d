"""Transcripts and certificates over HTTP: downloading, who may see what, public verification, the rate limit,
the published keys, offline checking of a downloaded credential, revoking and a cohort's ZIP."""
from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader
from sqlalchemy import func, insert, select

from lms.database import SQLITE_BUSY_TIMEOUT_MS
from lms.domain.transcript import new_document_code
from lms.extensions import db
from lms.grades.ledger import override_grade
from lms.models import AuditEvent, DocumentStatus, IssuedDocument, RateLimitHit, Role
from lms.transcripts import batch
from lms.transcripts.issuer import keyring, verify_url
from tests.conftest import csrf_token
from tests.document_helpers import (  # noqa: F401 (instructor, learner are shared fixtures)
    AN,
    COHORT_NAME,
    COMMUNE,
    NHUNG,
    fake_pdf,
    instructor,
    issue,
    learner,
    pass_module,
    run_cli,
    write_json,
)

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")




@pytest.fixture
def classmate(make_user):
    return make_user(Role.LEARNER, full_name=AN)


@pytest.fixture
def cohort(make_cohort, instructor, learner, classmate):
    return make_cohort(name=COHORT_NAME, instructors=[instructor], learners=[learner, classmate], commune=COMMUNE)


@pytest.fixture
def case(make_case, cohort):
    """The one module of the course, 'Chuyên đề thử 1'."""
    return make_case()


@pytest.fixture
def passed(learner, case, now):
    """Nhung passed the module with 10.0; Ân has not started."""
    pass_module(learner, case, now)
    return case


@pytest.fixture
def document(learner, cohort, passed, now):
    """Nhung's transcript, issued at the frozen now (26/11/2026)."""
    return issue(learner, cohort, now)


def issue_path(user, cohort, kind: str = "transcript") -> str:
    """Where the transcript page posts to issue a document."""
    return f"/transcript/{user.id}/{cohort.id}/{kind}"


def pdf_text(body: bytes) -> str:
    """The text of every page, whitespace collapsed so wrapped titles read as one line."""
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(body)).pages)


def document_count() -> int:
    """How many documents were ever issued."""
    return db.session.scalar(select(func.count()).select_from(IssuedDocument))


# --- the learner's own documents --------------------------------------------------------------------------------


def test_learner_downloads_their_transcript_pdf(login_as, learner, cohort, passed):
    client = login_as(learner)
    response = client.post(issue_path(learner, cohort), data={"csrf_token": csrf_token(client, "/transcript")})
    assert response.status_code == 302
    location = response.headers["Location"]
    code = db.session.scalar(select(IssuedDocument.code).filter_by(user_id=learner.id))
    assert location.endswith(f"/documents/{code}.pdf")

    pdf = client.get(location)
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = pdf_text(pdf.data)
    assert NHUNG in text and "Chuyên đề thử 1" in text and code in text

    again = client.post(issue_path(learner, cohort), data={"csrf_token": csrf_token(client, "/transcript")})
    assert again.headers["Location"] == location and document_count() == 1  # nothing changed: the same document


def test_the_transcript_page_lists_the_issued_code(login_as, learner, document):
    page = login_as(learner).get("/transcript").get_data(as_text=True)
    assert NHUNG in page and document.code in page and f"/verify/{document.code}" in page


def test_a_certificate_is_refused_before_every_module_is_passed(login_as, classmate, cohort, case):
    client = login_as(classmate)
    response = client.post(issue_path(classmate, cohort, "certificate"),
                           data={"csrf_token": csrf_token(client, "/transcript")})
    assert response.status_code == 409
    assert "Chỉ cấp giấy chứng nhận khi học viên đã hoàn thành khóa học" in response.get_data(as_text=True)
    assert document_count() == 0


def test_an_unknown_kind_is_not_found(login_as, learner, cohort, passed):
    client = login_as(learner)
    response = client.post(issue_path(learner, cohort, "diploma"),
                           data={"csrf_token": csrf_token(client, "/transcript")})
    assert response.status_code == 404 and document_count() == 0


def test_issuing_without_the_csrf_token_is_refused(login_as, learner, cohort, passed):
    assert login_as(learner).post(issue_path(learner, cohort)).status_code == 400
    assert document_count() == 0


def test_anonymous_visitors_are_sent_to_sign_in(client, document):
    for path in (f"/documents/{document.code}.pdf", f"/documents/{document.code}.json", "/transcript"):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"], path


# --- who may see and issue ------------------------------------------------------------------------------------


def test_a_learner_cannot_see_or_issue_another_learners_documents(login_as, classmate, learner, cohort, document):
    client = login_as(classmate)
    assert client.get(f"/documents/{document.code}.pdf").status_code == 403
    assert client.get(f"/documents/{document.code}.json").status_code == 403
    assert client.get(f"/transcript/{learner.id}/{cohort.id}").status_code == 403
    response = client.post(issue_path(learner, cohort), data={"csrf_token": csrf_token(client, "/transcript")})
    assert response.status_code == 403
    assert document_count() == 1


@pytest.mark.parametrize("who", ["cohort_instructor", "admin"])
def test_staff_of_the_cohort_can_see_and_issue(login_as, make_user, instructor, learner, cohort, document, who):
    client = login_as(instructor if who == "cohort_instructor" else make_user(Role.ADMIN))
    pdf = client.get(f"/documents/{document.code}.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF-")
    credential = client.get(f"/documents/{document.code}.json")
    assert credential.status_code == 200 and credential.json["documentCode"] == document.code
    page = client.get(f"/transcript/{learner.id}/{cohort.id}")
    assert page.status_code == 200 and NHUNG in page.get_data(as_text=True)
    token = csrf_token(client, f"/transcript/{learner.id}/{cohort.id}")
    response = client.post(issue_path(learner, cohort), data={"csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/documents/{document.code}.pdf")


def test_an_instructor_of_another_cohort_sees_nothing(login_as, make_user, learner, cohort, document):
    client = login_as(make_user(Role.INSTRUCTOR))
    assert client.get(f"/documents/{document.code}.pdf").status_code == 403
    assert client.get(f"/documents/{document.code}.json").status_code == 403
    assert client.get(f"/transcript/{learner.id}/{cohort.id}").status_code == 403


# --- the downloaded credential, checked offline -------------------------------------------------------------------


def test_a_downloaded_credential_verifies_offline_with_the_published_keys(app, login_as, learner, document, client,
                                                                         tmp_path):
    response = login_as(learner).get(f"/documents/{document.code}.json")
    assert response.mimetype == "application/json" and "attachment" in response.headers["Content-Disposition"]
    assert NHUNG in response.get_data(as_text=True)  # Vietnamese letters as themselves
    downloaded = tmp_path / f"transcript-{document.code}.json"
    downloaded.write_bytes(response.data)
    keys = write_json(tmp_path / "lms-signing-keys.json", client.get("/.well-known/lms-signing-keys.json").json)

    for extra in ([], ["--keys", keys]):
        result = run_cli(app, "transcripts", "verify", downloaded, *extra)
        assert result.exit_code == 0 and "valid signature" in result.output, result.output

    credential = json.loads(response.data)
    results = credential["credentialSubject"]["result"]
    next(r for r in results if "value" in r)["value"] = "9.0"
    forged = write_json(tmp_path / "forged-grade.json", credential)
    result = run_cli(app, "transcripts", "verify", forged, "--keys", keys)
    assert result.exit_code != 0 and "NOT valid" in result.output

    renamed = json.loads(response.data.decode("utf-8").replace(NHUNG, "Nguyễn Thị Hồng Nhụng"))
    result = run_cli(app, "transcripts", "verify", write_json(tmp_path / "forged-name.json", renamed), "--keys", keys)
    assert result.exit_code != 0 and "NOT valid" in result.output


def test_the_key_set_lists_the_current_key_and_no_secrets(client, document):
    response = client.get("/.well-known/lms-signing-keys.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    keys = response.json["keys"]
    assert keyring().current_key_id in {key["kid"] for key in keys}
    assert document.key_id in {key["kid"] for key in keys}
    assert all(key["kty"] == "OKP" and key["crv"] == "Ed25519" and "d" not in key for key in keys)


# --- public verification ----------------------------------------------------------------------------------------


def test_verify_shows_a_valid_document(client, document):
    response = client.get(f"/verify/{document.code}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Văn bản hợp lệ" in page
    assert NHUNG in page and COHORT_NAME in page and "26/11/2026" in page
    assert "1/1 chuyên đề đạt" in page and "điểm trung bình 10,0" in page
    assert "Văn bản đã bị thu hồi" not in page and "Văn bản đã được thay thế" not in page


def test_verify_shows_a_superseded_document_and_its_replacement_date(client, learner, cohort, passed, document,
                                                                     instructor, now):
    override_grade(learner, passed.module, cohort.id, 7.5, "Phúc khảo", instructor, now + timedelta(days=3))
    db.session.commit()
    page = client.get(f"/verify/{document.code}").get_data(as_text=True)
    assert "Văn bản đã được thay thế bằng bản cấp lại ngày 29/11/2026" in page
    assert "Văn bản hợp lệ" not in page and NHUNG in page

    replacement = db.session.scalar(select(IssuedDocument).filter_by(status=DocumentStatus.VALID))
    page = client.get(f"/verify/{replacement.code}").get_data(as_text=True)
    assert "Văn bản hợp lệ" in page and "điểm trung bình 7,5" in page


def test_admin_revokes_with_a_reason_and_verify_says_so(login_as, make_user, client, document):
    admin = login_as(make_user(Role.ADMIN))
    path = f"/admin/documents/{document.code}/revoke"
    token = csrf_token(admin, path)
    refused = admin.post(path, data={"csrf_token": token, "reason": "   "})
    assert refused.status_code == 400 and "Phải ghi lý do thu hồi" in refused.get_data(as_text=True)
    db.session.refresh(document)
    assert document.status == DocumentStatus.VALID

    response = admin.post(path, data={"csrf_token": token, "reason": "Cấp nhầm lớp"})
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"/admin/cohorts/{document.cohort_id}/documents")
    db.session.refresh(document)
    assert (document.status, document.revoked_reason) == (DocumentStatus.REVOKED, "Cấp nhầm lớp")

    page = client.get(f"/verify/{document.code}").get_data(as_text=True)
    revoked_on = document.revoked_at.astimezone(VIETNAM).strftime("%d/%m/%Y")
    assert f"Văn bản đã bị thu hồi ngày {revoked_on}" in page
    assert "Văn bản hợp lệ" not in page


def test_a_too_long_revoke_reason_is_refused_whole_and_kept_in_the_box(login_as, make_user, document):
    admin = login_as(make_user(Role.ADMIN))
    path = f"/admin/documents/{document.code}/revoke"
    reason = "Cấp nhầm lớp. " * 200  # 2,800 characters
    refused = admin.post(path, data={"csrf_token": csrf_token(admin, path), "reason": reason})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "vượt giới hạn 2.000 ký tự" in page and reason.strip() in page
    db.session.refresh(document)
    assert document.status == DocumentStatus.VALID


def test_only_administrators_revoke(login_as, instructor, document):
    client = login_as(instructor)
    path = f"/admin/documents/{document.code}/revoke"
    assert client.get(path).status_code == 403
    assert client.post(path, data={"csrf_token": csrf_token(client, "/transcript"), "reason": "Không được"}
                       ).status_code == 403
    db.session.refresh(document)
    assert document.status == DocumentStatus.VALID


@pytest.mark.parametrize("code", ["well-formed-unknown", "shortened", "lengthened", "abc", "%27%20or%201%3D1--",
                                  "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "a" * 200])
def test_an_unknown_or_malformed_code_reveals_nothing(client, document, code):
    code = {"well-formed-unknown": new_document_code(), "shortened": document.code[:-1],
            "lengthened": document.code + "a"}.get(code, code)
    response = client.get(f"/verify/{code}")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "Không tìm thấy văn bản" in page
    for secret in (NHUNG, COHORT_NAME, "Người được cấp", "Văn bản hợp lệ"):
        assert secret not in page


def test_a_printed_code_typed_into_the_form_finds_its_document(client, document):
    page = client.get("/verify").get_data(as_text=True)
    assert "Mã xác thực in trên văn bản" in page and "Không tìm thấy" not in page
    spaced = " ".join(document.code[i:i + 4] for i in range(0, 26, 4)).upper()
    response = client.get("/verify", query_string={"code": f"  {spaced} "})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/verify/{document.code}")
    assert "Văn bản hợp lệ" in client.get(response.headers["Location"]).get_data(as_text=True)


@pytest.mark.parametrize("typed", ["", "abc", "1" * 26, "<script>x</script>", "a" * 5000])
def test_a_code_that_cannot_be_one_is_explained_and_kept_in_the_form(client, typed):
    response = client.get("/verify", query_string={"code": typed})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Mã gồm 26 chữ cái và chữ số (2–7)" in page and "<script>x" not in page


def test_without_a_configured_address_documents_print_the_address_that_served_them(app, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", None)  # a demo on a LAN: no PUBLIC_BASE_URL
    with app.test_request_context("/transcript", base_url="http://192.168.1.20:8000"):
        assert verify_url("abc") == "http://192.168.1.20:8000/verify/abc"
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "https://hoc.example.vn/")
    with app.test_request_context("/transcript", base_url="http://192.168.1.20:8000"):
        assert verify_url("abc") == "https://hoc.example.vn/verify/abc"


def test_verify_is_rate_limited_per_address(app, client, document, monkeypatch):
    monkeypatch.setitem(app.config, "VERIFY_RATE_LIMIT", 3)  # restored when the test ends
    assert client.get(f"/verify/{document.code}").status_code == 200
    assert client.get(f"/verify/{new_document_code()}").status_code == 404
    assert client.get(f"/verify/{document.code}").status_code == 200
    limited = client.get(f"/verify/{document.code}")
    assert limited.status_code == 429 and NHUNG not in limited.get_data(as_text=True)
    assert client.get(f"/verify/{new_document_code()}").status_code == 429
    other = client.get(f"/verify/{document.code}", environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert other.status_code == 200


# --- a whole cohort, for administrators -------------------------------------------------------------------------


def admin_client(login_as, make_user, cohort):
    """A signed-in administrator and a CSRF token from the cohort's documents page."""
    client = login_as(make_user(Role.ADMIN))
    return client, csrf_token(client, f"/admin/cohorts/{cohort.id}/documents")


def post_zip(client, path: str, token: str):
    """Ask for a cohort ZIP (a job: the tests run it right after the request commits), then download its file."""
    response = client.post(path, data={"csrf_token": token})
    assert response.status_code == 303 and response.headers["Location"].startswith("/admin/jobs/")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Hoàn tất" in page and "Tải tệp ZIP" in page
    with client.get(response.headers["Location"] + "/file") as download:
        download.get_data()
    return download


def read_zip(response) -> tuple[dict[str, bytes], list[list[str]]]:
    """The ZIP's files and the rows of its CSV summary (checked to start with a UTF-8 BOM)."""
    with zipfile.ZipFile(io.BytesIO(response.data)) as bundle:
        assert bundle.testzip() is None
        files = {name: bundle.read(name) for name in bundle.namelist()}
    summary = files.pop("tong-hop.csv")
    assert summary.startswith(b"\xef\xbb\xbf")
    return files, list(csv.reader(io.StringIO(summary.decode("utf-8-sig"))))


def test_admin_downloads_a_cohort_zip_of_transcripts(login_as, make_user, learner, classmate, cohort, passed):
    client, token = admin_client(login_as, make_user, cohort)
    response = post_zip(client, f"/admin/cohorts/{cohort.id}/documents/transcript.zip", token)
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert f"transcript-lop-{cohort.id}.zip" in response.headers["Content-Disposition"]

    pdfs, rows = read_zip(response)
    assert len(pdfs) == 2 and all(name.endswith(".pdf") and body.startswith(b"%PDF-") for name, body in pdfs.items())
    assert {row[2] for row in rows[1:]} == {NHUNG, AN} and rows[1][4] == COMMUNE
    codes = set(db.session.scalars(select(IssuedDocument.code)))
    assert {row[0] for row in rows[1:]} == codes and len(codes) == 2
    an_pdf = next(body for name, body in pdfs.items() if "tran-van-an" in name)
    assert AN in pdf_text(an_pdf)

    index = client.get(f"/admin/cohorts/{cohort.id}/documents").get_data(as_text=True)
    assert all(code in index for code in codes)
    assert '<th scope="col"></th>' not in index  # the buttons' column is named for screen readers too
    asked = db.session.scalars(select(AuditEvent.action).where(AuditEvent.target_id == str(cohort.id))).all()
    assert "documents.batch_requested" in asked  # the request itself is in the activity log


def test_a_cohort_zip_of_certificates_holds_only_the_eligible(login_as, make_user, learner, cohort, passed,
                                                             monkeypatch):
    monkeypatch.setattr(batch, "render_document_pdf", fake_pdf)
    client, token = admin_client(login_as, make_user, cohort)
    response = post_zip(client, f"/admin/cohorts/{cohort.id}/documents/certificate.zip", token)
    pdfs, rows = read_zip(response)
    assert len(pdfs) == 1 and [row[2] for row in rows[1:]] == [NHUNG] and rows[1][1] == "Giấy chứng nhận"


def test_other_writers_are_not_blocked_while_the_cohort_zip_is_built(login_as, make_user, cohort, passed, now,
                                                                     monkeypatch):
    """The job commits each learner's document before rendering PDFs, so a learner's save meanwhile goes through."""
    writes = []

    def render_while_another_writes(document, settings):
        with db.engine.connect() as other:  # e.g. a learner submitting an attempt while the ZIP is written
            sqlite = other.dialect.name == "sqlite"
            if sqlite:  # wait briefly, not the usual 15 s, for SQLite's write lock (set before BEGIN)
                other.connection.driver_connection.execute("PRAGMA busy_timeout=300")
            try:
                other.execute(insert(RateLimitHit).values(bucket="test", key=f"writer-{len(writes)}", at=now))
                other.commit()
                writes.append(document.code)
            finally:
                if sqlite:
                    other.rollback()
                    other.connection.driver_connection.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        return fake_pdf(document, settings)

    monkeypatch.setattr(batch, "render_document_pdf", render_while_another_writes)
    client, token = admin_client(login_as, make_user, cohort)
    pdfs, _ = read_zip(post_zip(client, f"/admin/cohorts/{cohort.id}/documents/transcript.zip", token))
    assert len(pdfs) == 2 and len(writes) == 2


def test_the_job_page_says_why_a_certificate_zip_is_empty(login_as, make_user, learner, cohort):
    client, token = admin_client(login_as, make_user, cohort)
    response = client.post(f"/admin/cohorts/{cohort.id}/documents/certificate.zip", data={"csrf_token": token},
                           follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Không học viên nào đủ điều kiện" in page and "học viên chưa đủ điều kiện (chưa đạt đủ các chuyên đề" in page


def test_only_administrators_download_a_cohort_zip(login_as, instructor, cohort, passed):
    client = login_as(instructor)
    response = client.post(f"/admin/cohorts/{cohort.id}/documents/transcript.zip",
                           data={"csrf_token": csrf_token(client, "/transcript")})
    assert response.status_code == 403 and document_count() == 0


def test_a_revoked_certificate_does_not_come_back_at_the_learners_next_tap(client, login_as, make_user, cohort,
                                                                             learner, instructor, case, now):
    """Revoked stays revoked: the learner sees why, issuing refuses, and only an admin's reissue with a reason
    issues a new document (issue #15)."""
    from lms.models import AuditEvent, DocumentStatus, IssuedDocument
    from lms.transcripts import services as documents
    from tests.document_helpers import issue, pass_module

    pass_module(learner, case, now)
    revoked = issue(learner, cohort, now, kind="certificate")
    documents.revoke(revoked, "Cấp nhầm lớp", make_user(Role.ADMIN), now)
    db.session.commit()
    own = login_as(learner)
    page = own.get("/transcript").get_data(as_text=True)
    assert "đã bị thu hồi" in page and "Cấp nhầm lớp" in page and "Tải giấy chứng nhận (PDF)" not in page
    path = f"/transcript/{learner.id}/{cohort.id}/certificate"
    response = own.post(path, data={"csrf_token": csrf_token(own, "/transcript")})
    assert response.status_code == 409
    assert db.session.query(IssuedDocument).filter_by(kind="certificate", status=DocumentStatus.VALID).count() == 0
    admin = login_as(Role.ADMIN)
    reissue = f"/admin/documents/{revoked.code}/reissue"
    assert admin.post(reissue, data={"csrf_token": csrf_token(admin, reissue), "reason": ""}).status_code == 400
    assert admin.post(reissue, data={"csrf_token": csrf_token(admin, reissue),
                                     "reason": "Đã xác minh lại hồ sơ"}).status_code == 302
    assert db.session.query(IssuedDocument).filter_by(kind="certificate", status=DocumentStatus.VALID).count() == 1
    assert db.session.query(AuditEvent).filter_by(action="document.reissued_after_revocation").count() == 1


def test_the_documents_page_says_why_each_learner_is_not_eligible(login_as, make_user, learner, classmate, cohort,
                                                                 passed):
    client, _token = admin_client(login_as, make_user, cohort)
    page = client.get(f"/admin/cohorts/{cohort.id}/documents").get_data(as_text=True)
    section = page[page.index('id="not-eligible"'):]
    section = section[:section.index("</section>")]
    assert "(1)" in section and classmate.full_name in section and "còn 1 chuyên đề chưa đạt (1)" in section
    assert NHUNG not in section  # passed every chuyên đề, and this course has no required essay
