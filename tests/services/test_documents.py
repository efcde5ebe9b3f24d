"""Issued documents on the database: transcripts from the ledger, reissue on a grade change, certificates,
revoking, codes, signatures across key rotation, tampering, the audit trail and a whole cohort's ZIP."""
from __future__ import annotations

import base64
import copy
import csv
import io
import re
import zipfile
from datetime import date, timedelta

import pytest
from sqlalchemy import func, insert, select

from lms.domain.transcript import CODE_BYTES, ModuleLine, NotEligible, mean_grade
from lms.extensions import db
from lms.grades.ledger import override_grade
from lms.models import AuditEvent, DocumentStatus, Enrolment, IssuedDocument, Role, User
from lms.transcripts import batch, issuer, services
from lms.transcripts.issuer import keyring, settings, verify_url
from lms.transcripts.proofs import did_key
from tests.document_helpers import (  # noqa: F401 (instructor, learner are shared fixtures)
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

CODE = re.compile(r"[a-z2-7]{26}")




@pytest.fixture
def cohort(make_cohort, instructor, learner):
    return make_cohort(name=COHORT_NAME, instructors=[instructor], learners=[learner], commune=COMMUNE)


@pytest.fixture
def cases(make_case, cohort):
    """Two modules of one required case each (the whole course): 'Chuyên đề thử 1' and 'Chuyên đề thử 2'."""
    return [make_case(slug="tinh-huong-1"), make_case(slug="tinh-huong-2")]


@pytest.fixture
def passed(learner, cases, now):
    """The learner passed module 1 (computed 10.0); module 2 is untouched."""
    pass_module(learner, cases[0], now)
    return cases


def result_values(document: IssuedDocument) -> list[str]:
    """The grades stated in the signed credential, module lines then the average."""
    return [r["value"] for r in document.credential["credentialSubject"]["result"] if "value" in r]


# --- the transcript from the ledger ------------------------------------------------------------------------


def test_transcript_lines_average_and_completion_come_from_the_ledger(learner, cohort, cases, instructor, now):
    blank = services.build_transcript_for(learner, cohort)
    assert [(l.title, l.grade, l.passed) for l in blank.lines] == [("Chuyên đề thử 1", None, False),
                                                                  ("Chuyên đề thử 2", None, False)]
    assert (blank.average, blank.completed, blank.total_hours) == (None, False, 8.0)

    pass_module(learner, cases[0], now)
    override_grade(learner, cases[1].module, cohort.id, 6.5, "Bảo lưu điểm khóa trước", instructor,
                   now + timedelta(days=1))
    db.session.commit()
    partial = services.build_transcript_for(learner, cohort)
    # the override settles module 2 (a grade carried over from an earlier course) though its case is not submitted
    assert partial.lines == (ModuleLine(1, "Chuyên đề thử 1", 4.0, 10.0, True, date(2026, 11, 26)),
                             ModuleLine(2, "Chuyên đề thử 2", 4.0, 6.5, True, date(2026, 11, 27)))
    assert partial.average == mean_grade([10.0, 6.5]) == 8.3
    assert partial.completed and partial.passed_count == 2
    assert (partial.holder_name, partial.holder_username, partial.commune, partial.cohort_name) == (
        NHUNG, learner.username, COMMUNE, COHORT_NAME)

    pass_module(learner, cases[1], now + timedelta(days=2))  # computed 10.0, but the override stays in force
    complete = services.build_transcript_for(learner, cohort)
    assert [(l.grade, l.passed) for l in complete.lines] == [(10.0, True), (6.5, True)]
    assert complete.completed and complete.completed_on == date(2026, 11, 28)


# --- issuing, reusing and reissuing ---------------------------------------------------------------------------


def test_issue_reuses_the_valid_document_while_results_are_unchanged(learner, cohort, passed, now):
    first = issue(learner, cohort, now)
    again = issue(learner, cohort, now + timedelta(hours=5))
    assert again.id == first.id and again.issued_at == now
    assert db.session.scalar(select(func.count()).select_from(IssuedDocument)) == 1
    assert first.data_hash == services.transcript_hash(services.build_transcript_for(learner, cohort))


def test_a_grade_change_supersedes_the_document_automatically(learner, cohort, passed, instructor, now):
    first = issue(learner, cohort, now)
    later = now + timedelta(days=3)
    override_grade(learner, passed[0].module, cohort.id, 8.5, "Phúc khảo bài thi", instructor, later)
    db.session.commit()

    db.session.refresh(first)
    replacement = services.current_document(learner, cohort, "transcript")
    assert replacement.id != first.id and replacement.code != first.code
    assert (first.status, first.superseded_by_id, first.superseded_at) == (DocumentStatus.SUPERSEDED,
                                                                            replacement.id, later)
    assert (replacement.status, replacement.issued_at) == (DocumentStatus.VALID, later)
    assert result_values(first)[0] == "10.0" and result_values(replacement)[0] == "8.5"
    assert services.find_by_code(first.code).status == DocumentStatus.SUPERSEDED
    assert services.find_by_code(replacement.code).status == DocumentStatus.VALID
    assert keyring().verify(first.credential).ok and keyring().verify(replacement.credential).ok


def test_a_ledger_entry_that_changes_no_result_keeps_the_document(learner, cohort, passed, instructor, now):
    first = issue(learner, cohort, now)
    override_grade(learner, passed[0].module, cohort.id, 10.0, "Xác nhận lại điểm", instructor,
                   now + timedelta(hours=1))
    db.session.commit()
    assert services.current_document(learner, cohort, "transcript").id == first.id
    assert db.session.scalar(select(func.count()).select_from(IssuedDocument)) == 1


def test_certificate_is_refused_until_every_module_is_passed(learner, cohort, passed, now):
    with pytest.raises(NotEligible):
        issue(learner, cohort, now, kind="certificate")
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(IssuedDocument)) == 0

    pass_module(learner, passed[1], now)
    certificate = issue(learner, cohort, now, kind="certificate")
    assert certificate.kind == "certificate" and certificate.status == DocumentStatus.VALID
    assert certificate.credential["documentKind"] == "certificate"
    assert certificate.credential["credentialSubject"]["completed"] is True


def test_a_certificate_no_longer_earned_is_revoked_on_the_grade_change(learner, cohort, passed, instructor, now):
    pass_module(learner, passed[1], now)
    certificate = issue(learner, cohort, now, kind="certificate")
    override_grade(learner, passed[1].module, cohort.id, 3.0, "Phát hiện gian lận", instructor, now)
    db.session.commit()
    db.session.refresh(certificate)
    assert certificate.status == DocumentStatus.REVOKED and certificate.revoked_reason
    assert services.current_document(learner, cohort, "certificate") is None


# --- revoking --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_revoking_requires_a_reason(learner, cohort, passed, instructor, now, reason):
    document = issue(learner, cohort, now)
    with pytest.raises(ValueError, match="reason_required"):
        services.revoke(document, reason, instructor, now)
    assert document.status == DocumentStatus.VALID
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)
                             .where(AuditEvent.action == "document.revoked")) == 0


def test_a_revoked_document_stays_findable_with_its_reason(learner, cohort, passed, instructor, now):
    document = issue(learner, cohort, now)
    services.revoke(document, "  Cấp nhầm người  ", instructor, now + timedelta(days=1))
    db.session.commit()
    found = services.find_by_code(document.code)
    assert (found.status, found.revoked_reason, found.revoked_at, found.revoked_by_id) == (
        DocumentStatus.REVOKED, "Cấp nhầm người", now + timedelta(days=1), instructor.id)
    assert services.current_document(learner, cohort, "transcript") is None
    # issue #15: a revoked document stays revoked; only an explicit reissue with a reason issues another
    with pytest.raises(services.DocumentRevoked):
        issue(learner, cohort, now + timedelta(days=2))
    db.session.rollback()
    again = services.issue(learner, cohort, "transcript", instructor, now + timedelta(days=2), keyring(), settings(),
                           verify_url, reissue_reason="Đã xác minh lại")
    assert again.id != document.id


# --- codes and signatures -----------------------------------------------------------------------------------


def test_codes_carry_128_random_bits_and_never_repeat(make_user, cohort, cases, instructor, now):
    learners = [make_user(Role.LEARNER) for _ in range(4)]
    db.session.add_all(Enrolment(cohort=cohort, user=u, commune=COMMUNE, enrolled_at=now) for u in learners)
    db.session.commit()
    codes = [issue(u, cohort, now).code for u in learners]
    for step in range(1, 4):  # reissues of one learner's transcript
        override_grade(learners[0], cases[0].module, cohort.id, 5.0 + step, "Chấm lại", instructor, now)
        db.session.commit()
        codes.append(services.current_document(learners[0], cohort, "transcript").code)
    assert all(CODE.fullmatch(code) for code in codes), codes
    assert len(set(codes)) == len(codes) == 7
    assert CODE_BYTES * 8 >= 128
    assert all(len(base64.b32decode(code.upper() + "======")) == 16 for code in codes)


@pytest.mark.parametrize("junk", ["", "abc", "A" * 26, "a" * 25, "a" * 27, "' or 1=1 --", "1" * 26])
def test_a_malformed_code_never_reaches_the_database(count_queries, junk):
    with count_queries() as queries:
        assert services.find_by_code(junk) is None
    assert queries() == 0


def test_the_stored_credential_verifies_with_the_key_ring(learner, cohort, passed, now, app, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "https://hoc.example.vn/")
    document = issue(learner, cohort, now)
    result = keyring().verify(document.credential)
    assert result.ok and result.key_id == document.key_id == keyring().current_key_id
    credential = document.credential
    assert credential["id"] == verify_url(document.code) == f"https://hoc.example.vn/verify/{document.code}"
    assert credential["documentCode"] == document.code
    assert NHUNG in [i["identityHash"] for i in credential["credentialSubject"]["identifier"]]


def test_documents_signed_before_a_key_rotation_still_verify(app, make_user, learner, cohort, passed, instructor,
                                                             now):
    before = issue(learner, cohort, now)
    old_key = keyring().current_key_id

    result = run_cli(app, "transcripts", "rotate-key")
    assert result.exit_code == 0, result.output
    new_key = keyring().current_key_id
    assert new_key != old_key and new_key in result.output

    assert keyring().verify(before.credential).ok and keyring().verify(before.credential).key_id == old_key
    override_grade(learner, passed[0].module, cohort.id, 9.0, "Phúc khảo", instructor, now + timedelta(days=1))
    db.session.commit()
    reissued = services.current_document(learner, cohort, "transcript")
    newcomer = make_user(Role.LEARNER)
    db.session.add(Enrolment(cohort=cohort, user=newcomer, commune=COMMUNE, enrolled_at=now))
    fresh = issue(newcomer, cohort, now)
    for document in (reissued, fresh):
        assert document.key_id == new_key and keyring().verify(document.credential).key_id == new_key
        assert document.credential["proof"]["verificationMethod"] == did_key(keyring().public_keys[new_key])
        assert keyring().verify(document.credential).ok
    assert {old_key, new_key} <= {key["kid"] for key in keyring().public_jwks()["keys"]}


# --- tampering, checked offline by the CLI --------------------------------------------------------------------


def set_first_grade(credential, value="9.5"):
    """Forge the first module's grade."""
    next(r for r in credential["credentialSubject"]["result"] if "value" in r)["value"] = value


def set_holder(credential, name="Nguyễn Thị Hồng Nhungg"):
    """Forge the holder's name."""
    next(i for i in credential["credentialSubject"]["identifier"] if i["identityType"] == "name")["identityHash"] = name


@pytest.mark.parametrize("tamper", [set_first_grade, set_holder], ids=["grade", "holder-name"])
def test_a_tampered_credential_fails_verification(app, learner, cohort, passed, now, tmp_path, tamper):
    document = issue(learner, cohort, now)
    forged = copy.deepcopy(document.credential)
    tamper(forged)
    assert not keyring().verify(forged).ok
    result = run_cli(app, "transcripts", "verify", write_json(tmp_path / "forged.json", forged))
    assert result.exit_code != 0
    assert "NOT valid" in result.output and "bad_signature" in result.output


def test_an_untouched_credential_passes_the_cli(app, learner, cohort, passed, now, tmp_path):
    document = issue(learner, cohort, now)
    result = run_cli(app, "transcripts", "verify", write_json(tmp_path / "bang-diem.json", document.credential))
    assert result.exit_code == 0, result.output
    assert f"valid signature (key {document.key_id})" in result.output


def test_the_cli_refuses_a_file_that_is_not_json(app, tmp_path):
    path = tmp_path / "not.json"
    path.write_text("%PDF-1.7", encoding="utf-8")
    result = run_cli(app, "transcripts", "verify", path)
    assert result.exit_code != 0 and "not a JSON document" in result.output


# --- the audit trail ----------------------------------------------------------------------------------------------


def test_issue_reissue_and_revoke_are_audited(learner, cohort, passed, instructor, now):
    first = issue(learner, cohort, now, actor=instructor)
    override_grade(learner, passed[0].module, cohort.id, 7.0, "Phúc khảo", instructor, now + timedelta(days=1))
    db.session.commit()
    second = services.current_document(learner, cohort, "transcript")
    services.revoke(second, "Sai thông tin cá nhân", instructor, now + timedelta(days=2))
    db.session.commit()

    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action.like("document.%"))
                                .order_by(AuditEvent.id)).all()
    assert [(e.action, e.actor_id, e.target_type, e.target_id) for e in events] == [
        ("document.issued", instructor.id, "document", str(first.id)),
        ("document.reissued", None, "document", str(second.id)),  # by the grade change, not a person
        ("document.revoked", instructor.id, "document", str(second.id)),
    ]
    assert events[0].details == {"holder": learner.id, "kind": "transcript"}
    assert events[1].details == {"supersedes": first.code, "kind": "transcript"}
    assert events[2].details == {"code": second.code, "reason": "Sai thông tin cá nhân"}
    assert [e.created_at for e in events] == [now, now + timedelta(days=1), now + timedelta(days=2)]


# --- a whole cohort -----------------------------------------------------------------------------------------------


def test_a_579_learner_cohort_is_issued_and_streamed_in_small_chunks(make_case, make_cohort, instructor, now,
                                                                     monkeypatch):
    make_case()
    cohort = make_cohort(name="Lớp đông – Sóc Sơn")
    user_ids = db.session.execute(insert(User).returning(User.id), [
        {"username": f"hv{n:04d}", "full_name": f"Nguyễn Thị Hồng Đào {n:04d}", "role": Role.LEARNER,
         "password_hash": instructor.password_hash, "created_at": now} for n in range(579)]).scalars().all()
    db.session.execute(insert(Enrolment), [
        {"cohort_id": cohort.id, "user_id": user_id, "commune": "Xã Sóc Sơn", "enrolled_at": now}
        for user_id in user_ids])
    db.session.commit()

    ids = batch.issue_for_cohort(cohort, "transcript", instructor, now, issuer.signer())
    db.session.commit()
    documents = db.session.scalars(select(IssuedDocument).where(IssuedDocument.cohort_id == cohort.id)).all()
    assert len(ids) == len(set(ids)) == len(documents) == 579
    assert {d.user_id for d in documents} == set(user_ids)
    assert len({d.code for d in documents}) == 579 and all(CODE.fullmatch(d.code) for d in documents)
    ring = keyring()
    assert all(d.kind == "transcript" and d.key_id == ring.current_key_id and ring.verify(d.credential).ok
               for d in documents)
    codes = {d.code for d in documents}
    db.session.expunge_all()

    monkeypatch.setattr(batch, "render_document_pdf", fake_pdf)
    chunks = list(batch.zip_stream(ids, issuer.settings()))
    archive = b"".join(chunks)
    with zipfile.ZipFile(io.BytesIO(archive)) as bundle:
        assert bundle.testzip() is None
        names = bundle.namelist()
        pdfs = [name for name in names if name.endswith(".pdf")]
        assert len(pdfs) == len(set(pdfs)) == 579 and names[-1] == "tong-hop.csv" and len(names) == 580
        assert {bundle.read(name)[len(b"%PDF-fake "):].decode() for name in pdfs} == codes
        summary = bundle.read("tong-hop.csv")
    assert summary.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(summary.decode("utf-8-sig"))))
    assert len(rows) == 580 and {row[0] for row in rows[1:]} == codes
    assert rows[1][2] == "Nguyễn Thị Hồng Đào 0000"
    assert max(len(chunk) for chunk in chunks) < min(len(archive) // 2, 128 * 1024)  # never the whole ZIP at once
    assert max(len(chunk) for chunk in chunks[:579]) < 1024  # each PDF leaves as soon as it is written


def test_the_cli_writes_a_cohorts_zip(app, make_user, learner, cohort, passed, now, tmp_path, monkeypatch):
    db.session.add(Enrolment(cohort=cohort, user=make_user(Role.LEARNER, full_name="Trần Văn Ân"), commune=COMMUNE,
                             enrolled_at=now))
    db.session.commit()
    monkeypatch.setattr(batch, "render_document_pdf", fake_pdf)
    out = tmp_path / "lop.zip"
    result = run_cli(app, "transcripts", "issue", cohort.id, "--kind", "certificate", "--out", out)
    assert result.exit_code == 0, result.output
    assert "0 certificate(s) of 2 learner(s)" in result.output  # nobody has passed both modules

    result = run_cli(app, "transcripts", "issue", cohort.id, "--kind", "transcript", "--out", out)
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as bundle:
        assert len([n for n in bundle.namelist() if n.endswith(".pdf")]) == 2
        assert NHUNG in bundle.read("tong-hop.csv").decode("utf-8-sig")


def test_the_cohort_zip_summary_neutralises_formulas_in_names(app, make_user, make_cohort, case, now):
    """A learner named "=HYPERLINK(...)" is written as text in the ZIP's summary CSV (issue #15)."""
    from lms.transcripts.bundle import _csv_line

    assert _csv_line(["=HYPERLINK(\"http://evil.example\")", "Phường Ba Đình"]).startswith("\"'=HYPERLINK")
