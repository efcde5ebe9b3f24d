"""The final essay: eligibility, submitting with an attached file, grading on the rubric, the transcript."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from flask import current_app

from lms.catalog.essay import import_essay
from lms.content.essay import parse_essay_text
from lms.extensions import db
from lms.models import EssayState, EssaySubmission, Role
from tests.conftest import csrf_token
from tests.document_helpers import pass_module

ESSAY = Path(__file__).resolve().parents[2] / "content" / "essay.md"
FULL = {"nhan-dien": "1", "phan-tich": "1.5", "muc-tieu": "0.5", "can-cu": "2", "phuong-an": "1.5",
        "lua-chon": "1", "to-chuc": "1.5", "dan-van": "0.5", "kien-nghi": "0.5"}


def docx() -> bytes:
    """The smallest file with the parts of a Word document."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.fixture
def essay_world(app, make_user, make_cohort, case, now, tmp_path, monkeypatch):
    """The course's essay, a cohort with its instructor and a learner, uploads in a scratch folder."""
    monkeypatch.setitem(current_app.config, "ESSAY_UPLOAD_DIR", str(tmp_path))
    essay, problems = parse_essay_text(ESSAY.read_text(encoding="utf-8"))
    assert problems == []
    import_essay(essay, now, lambda *_: None)
    learner, instructor = make_user(Role.LEARNER), make_user(Role.INSTRUCTOR)
    cohort = make_cohort(instructors=[instructor], learners=[learner])
    db.session.commit()
    return {"learner": learner, "instructor": instructor, "cohort": cohort, "case": case}


def submit(client, **fields):
    """Post the essay form."""
    return client.post("/essay", data={"csrf_token": csrf_token(client, "/essay"), **fields},
                       content_type="multipart/form-data")


def test_the_essay_waits_until_every_chuyen_de_is_passed(login_as, essay_world, now):
    client = login_as(essay_world["learner"])
    page = client.get("/essay").get_data(as_text=True)
    assert "Bài thu hoạch cuối khóa" in page and "còn chưa đạt" in page and 'name="text"' not in page
    refused = submit(client, text="Bài viết của tôi.")
    assert refused.status_code == 409 and db.session.query(EssaySubmission).count() == 0


def test_a_learner_submits_with_a_file_and_an_instructor_grades_it(login_as, essay_world, now, tmp_path):
    learner = essay_world["learner"]
    pass_module(learner, essay_world["case"], now)
    client = login_as(learner)
    assert 'name="text"' in client.get("/essay").get_data(as_text=True)
    wrong = submit(client, text="Bài viết.", file=(io.BytesIO(b"MZ\x90 not a document"), "virus.pdf"))
    assert wrong.status_code == 400 and "PDF hoặc DOCX" in wrong.get_data(as_text=True)
    assert "Bài viết." in wrong.get_data(as_text=True)  # what was typed is still there
    assert submit(client, text="Tình huống ở phường X ...", file=(io.BytesIO(docx()), "ke-hoach.docx")).status_code == 302
    submission = db.session.query(EssaySubmission).one()
    assert submission.file_kind == "docx" and (tmp_path / submission.stored_name).is_file()
    download = client.get(f"/essays/{submission.id}/file")
    assert download.status_code == 200 and download.data == (tmp_path / submission.stored_name).read_bytes()
    download.close()
    assert login_as(Role.LEARNER).get(f"/essays/{submission.id}/file").status_code == 403

    teacher = login_as(essay_world["instructor"])
    assert "Tình huống ở phường X" in teacher.get("/instructor/essays").get_data(as_text=True) or \
        learner.full_name in teacher.get("/instructor/essays").get_data(as_text=True)
    path = f"/instructor/essays/{submission.id}"
    data = {"csrf_token": csrf_token(teacher, path), "version": "0", "feedback": "Phân tích tốt.",
            **{f"r-{k}": v for k, v in FULL.items()}}
    refused = teacher.post(path, data={**data, "r-can-cu": "7", "feedback": "Nhận xét đang viết dở."})
    assert refused.status_code == 400  # not a level of the rubric
    kept = refused.get_data(as_text=True)  # what the instructor typed and picked comes back
    assert ">Nhận xét đang viết dở.</textarea>" in kept
    assert kept.count(" checked>") == len(FULL) - 1  # every level picked but the refused one
    assert teacher.post(path, data=data).status_code == 302
    db.session.rollback()
    graded = db.session.get(EssaySubmission, submission.id)
    assert graded.state == EssayState.GRADED and graded.score == 10.0
    assert teacher.post(path, data=data).status_code == 409  # a second save from an old page is a conflict
    assert "10,0" in client.get("/essay").get_data(as_text=True)
    transcript = client.get("/transcript").get_data(as_text=True)
    assert "Bài thu hoạch cuối khóa (30% điểm trung bình)" in transcript
    assert login_as(Role.INSTRUCTOR).get(path).status_code == 403  # an instructor of another cohort


def test_the_essay_follows_the_cohorts_schedule(login_as, essay_world, now):
    from datetime import timedelta

    from lms.database import utcnow
    from lms.domain.schedule import Window
    from lms.models import ESSAY
    from lms.schedule.services import set_window

    learner, cohort = essay_world["learner"], essay_world["cohort"]
    pass_module(learner, essay_world["case"], now)
    at = utcnow()
    set_window(cohort, ESSAY, None, Window(at + timedelta(days=1), at + timedelta(days=8), at + timedelta(days=9)),
               None, at)
    db.session.commit()
    client = login_as(learner)
    early = submit(client, text="Bài viết sớm.")
    assert early.status_code == 409 and "chưa mở theo lịch" in early.get_data(as_text=True)
    set_window(cohort, ESSAY, None, Window(at - timedelta(days=9), at - timedelta(days=2), at - timedelta(days=1)),
               None, at)
    db.session.commit()
    late = submit(client, text="Bài viết muộn.")
    assert late.status_code == 409 and "đã đóng theo lịch" in late.get_data(as_text=True)
    assert db.session.query(EssaySubmission).count() == 0


def test_a_submitted_essay_waits_in_the_review_queue(login_as, essay_world, now):
    learner = essay_world["learner"]
    pass_module(learner, essay_world["case"], now)
    assert submit(login_as(learner), text="Phân tích tình huống của phường tôi.").status_code == 302
    submission = db.session.query(EssaySubmission).one()
    page = login_as(essay_world["instructor"]).get("/instructor/reviews/").get_data(as_text=True)
    assert "Bài thu hoạch cuối khóa chờ chấm" in page and f"/instructor/essays/{submission.id}" in page
    other = login_as(Role.INSTRUCTOR).get("/instructor/reviews/").get_data(as_text=True)
    assert f"/instructor/essays/{submission.id}" not in other and "Không có bài thu hoạch nào chờ chấm." in other


def test_the_course_is_completed_and_the_certificate_issued_only_with_the_essay_at_the_pass_mark(
        login_as, essay_world, now):
    from lms.models import DocumentStatus, IssuedDocument

    learner, cohort = essay_world["learner"], essay_world["cohort"]
    pass_module(learner, essay_world["case"], now)
    client = login_as(learner)
    progress = client.get("/progress").get_data(as_text=True)
    assert "và bài thu hoạch cuối khóa được chấm từ 5,0 điểm trở lên" in progress
    assert "Chưa nộp: đồng chí đã đủ điều kiện nộp bài." in progress
    transcript = client.get("/transcript").get_data(as_text=True)
    assert "đã đạt đủ các chuyên đề, còn bài thu hoạch cuối khóa" in transcript
    assert "Tải giấy chứng nhận (PDF)" not in transcript
    path = f"/transcript/{learner.id}/{cohort.id}/certificate"
    refused = client.post(path, data={"csrf_token": csrf_token(client, "/transcript")})
    assert refused.status_code == 409 and "bài thu hoạch cuối khóa" in refused.get_data(as_text=True)

    assert submit(client, text="Tình huống ở phường tôi.").status_code == 302
    submission = db.session.query(EssaySubmission).one()
    assert "đang chờ giảng viên chấm" in client.get("/progress").get_data(as_text=True)
    teacher = login_as(essay_world["instructor"])
    grading = f"/instructor/essays/{submission.id}"
    weak = {**{f"r-{k}": "0" for k in FULL}, "r-can-cu": "2", "r-phan-tich": "1.5"}  # 3.5/10: below the pass mark
    assert teacher.post(grading, data={"csrf_token": csrf_token(teacher, grading), "version": "0",
                                       "feedback": "Cần bổ sung.", **weak}).status_code == 302
    client = login_as(learner)
    assert "chưa đạt (cần từ 5,0 điểm)" in client.get("/progress").get_data(as_text=True)
    assert client.post(path, data={"csrf_token": csrf_token(client, "/transcript")}).status_code == 409

    db.session.rollback()
    graded = db.session.get(EssaySubmission, submission.id)
    graded.score = 6.0  # a regrade, as an instructor's correction would record it
    db.session.commit()
    assert "Tải giấy chứng nhận (PDF)" in client.get("/transcript").get_data(as_text=True)
    issued = client.post(path, data={"csrf_token": csrf_token(client, "/transcript")})
    assert issued.status_code == 302
    document = db.session.query(IssuedDocument).filter_by(kind="certificate").one()
    assert document.status == DocumentStatus.VALID and document.credential["credentialSubject"]["essayRequired"]
