"""Administrators: cohorts, instructors and roster imports (browser and CLI) that are all-or-nothing."""
from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from lms.auth.passwords import needs_rehash, verify_password
from lms.database import utcnow
from lms.extensions import db
from lms.jobs.files import delete_expired_files
from lms.models import AuditEvent, CohortInstructor, Enrolment, Job, JobState, Role, User
from tests.conftest import csrf_token

GOOD = ("Họ và tên,Tên đăng nhập hoặc email,\"Xã, phường\",Số điện thoại\n"
        "Nguyễn Thị Hồng Nhung,nhung.nth@example.vn,Phường Hoàn Kiếm,0912 345 678\n"
        "Trần Văn Bình,tvbinh,Xã Sóc Sơn,\n")
BAD = GOOD + ",thieu-ten,Xã Đông Anh,\nLê Văn Cường,cuong@,Xã Mỹ Đức,abc\n"


@pytest.fixture
def admin(login_as):
    return login_as(Role.ADMIN)


@pytest.fixture
def cohort(make_cohort):
    return make_cohort(name="Lớp bồi dưỡng Bí thư Đảng ủy xã, phường — khóa 2026")


def upload(client, cohort, name: str, data: bytes):
    path = f"/admin/cohorts/{cohort.id}/import"
    return client.post(path, data={"csrf_token": csrf_token(client, path), "file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data", follow_redirects=True)


def counts() -> tuple[int, int]:
    return (db.session.scalar(select(func.count()).select_from(User).where(User.role == Role.LEARNER)),
            db.session.scalar(select(func.count()).select_from(Enrolment)))


def test_admin_creates_a_cohort_with_a_vietnamese_name(admin):
    response = admin.post("/admin/cohorts/new", data={"csrf_token": csrf_token(admin, "/admin/cohorts/new"),
                                                       "name": "Lớp bồi dưỡng Bí thư Đảng ủy xã, phường — khóa 2026"})
    assert response.status_code == 302
    assert "khóa 2026" in admin.get(response.headers["Location"]).get_data(as_text=True)


def test_cohort_end_before_start_is_refused(admin):
    response = admin.post("/admin/cohorts/new", data={"csrf_token": csrf_token(admin, "/admin/cohorts/new"),
                                                       "name": "Lớp X", "starts_on": "2026-09-07", "ends_on": "2026-01-01"})
    assert response.status_code == 400 and "Ngày kết thúc không được trước ngày khai giảng." in response.get_data(as_text=True)


def test_csv_with_bad_rows_is_rejected_whole_with_every_bad_line(admin, cohort):
    response = upload(admin, cohort, "ds.csv", BAD.encode())
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Dòng 4" in page and "Dòng 5" in page and "email không hợp lệ" in page
    assert counts() == (0, 0)


def test_good_csv_enrols_and_reimport_changes_nothing(admin, cohort):
    first = upload(admin, cohort, "ds.csv", ("\ufeff" + GOOD).encode())
    assert first.status_code == 200 and "Đã ghi danh 2 học viên" in first.get_data(as_text=True)
    assert counts() == (2, 2)
    again = upload(admin, cohort, "ds.csv", GOOD.encode())
    assert "Đã ghi danh 0 học viên; 2 người đã có trong lớp; tạo mới 0 tài khoản." in again.get_data(as_text=True)
    assert counts() == (2, 2)
    nhung = db.session.scalar(select(User).where(User.email == "nhung.nth@example.vn"))
    assert nhung.full_name == "Nguyễn Thị Hồng Nhung" and nhung.username == "nhung.nth"


def test_an_import_says_which_accounts_are_locked_and_whose_name_was_kept(admin, cohort, make_user):
    make_user(Role.LEARNER, username="tvbinh", full_name="Trần Văn Bình").is_active_account = False
    db.session.commit()
    make_user(Role.LEARNER, email="nhung.nth@example.vn", username="nhung", full_name="Nguyễn Thị Nhung")
    page = upload(admin, cohort, "ds.csv", GOOD.encode()).get_data(as_text=True)
    assert "Đã ghi danh 2 học viên" in page and "Cần lưu ý:" in page  # enrolled, with what the file did not change
    assert "Dòng 3 — tài khoản tvbinh đang bị khóa" in page
    assert "Dòng 2 — tài khoản đã có mang tên «Nguyễn Thị Nhung», khác tên trong tệp «Nguyễn Thị Hồng Nhung»" in page


def test_xlsx_roster_is_read(admin, cohort):
    book = Workbook()
    sheet = book.active
    for line in GOOD.splitlines():
        sheet.append(next(iter(__import__("csv").reader([line]))))
    buffer = io.BytesIO()
    book.save(buffer)
    assert upload(admin, cohort, "ds.xlsx", buffer.getvalue()).status_code == 200
    assert counts() == (2, 2)


@pytest.mark.parametrize("name, data, message", [
    ("ds.txt", b"abc", "Chỉ nhận tệp .csv hoặc .xlsx."),
    ("ds.csv", "Tên,Địa chỉ\nA,B\n".encode(), "Tệp thiếu cột bắt buộc: Tên đăng nhập hoặc email, Xã, phường."),
    ("ds.csv", "Họ và tên,Email,Xã\n".encode("utf-16"), "UTF-8"),
    ("ds.xlsx", b"not a workbook", "Không đọc được tệp XLSX"),
])
def test_unreadable_files_get_a_clear_message(admin, cohort, name, data, message):
    response = upload(admin, cohort, name, data)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert counts() == (0, 0)


def test_a_staff_account_in_the_roster_rejects_the_file(admin, cohort, make_user):
    make_user(Role.INSTRUCTOR, username="tvbinh")
    response = upload(admin, cohort, "ds.csv", GOOD.encode())  # found at upload, before any job
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "không phải học viên" in page and "Gửi tệp đã sửa" in page
    assert counts() == (0, 0) and db.session.query(Job).count() == 0


def test_every_problem_of_a_roster_is_reported_in_one_pass(admin, cohort, make_user):
    """Bad rows, a duplicate inside the file and a staff account named in it: one report, nothing enrolled."""
    make_user(Role.INSTRUCTOR, username="tvbinh")
    text = BAD + "Nguyễn Thị Nhung,nhung.nth@example.vn,Phường Hoàn Kiếm,\n"
    page = upload(admin, cohort, "ds.csv", text.encode()).get_data(as_text=True)
    for line in ("Dòng 3", "Dòng 4", "Dòng 5", "Dòng 6"):  # staff account, no name, bad e-mail, duplicate
        assert line in page, line
    assert "không phải học viên" in page and "email không hợp lệ" in page and "trùng" in page
    assert counts() == (0, 0)


def test_the_import_runs_as_a_job_whose_page_lists_and_offers_the_temporary_passwords(admin, cohort):
    response = upload(admin, cohort, "ds.csv", GOOD.replace("Trần Văn Bình", "=HYPERLINK(\"x\")").encode())
    job = db.session.scalar(select(Job))
    assert response.request.path == f"/admin/jobs/{job.id}" and job.state == JobState.DONE
    assert job.result == {"enrolled": 2, "created": 2, "unchanged": 0} and job.expires_at is not None
    page = response.get_data(as_text=True)
    assert "Tải danh sách mật khẩu (CSV)" in page and "nhung.nth" in page
    with admin.get(f"/admin/jobs/{job.id}/file") as file:
        rows = list(csv.reader(io.StringIO(file.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0] == ["Họ và tên", "Tên đăng nhập", "Mật khẩu tạm thời", "Xã, phường"]
    assert {r[1] for r in rows[1:]} == {"nhung.nth", "tvbinh"}
    assert "'=HYPERLINK(\"x\")" in [r[0] for r in rows]  # a name a spreadsheet would run is neutralised
    tvbinh = db.session.scalar(select(User).where(User.username == "tvbinh"))
    password = next(r[2] for r in rows if r[1] == "tvbinh")
    assert len(password) == 12 and verify_password(tvbinh.password_hash, password)
    assert needs_rehash(tvbinh.password_hash)  # a cheap hash, replaced by the app's at the first sign-in


def test_temporary_passwords_force_a_change_at_first_sign_in_and_the_list_download_is_audited(admin, cohort, app):
    from tests.conftest import sign_in

    upload(admin, cohort, "ds.csv", GOOD.encode())
    job = db.session.scalar(select(Job))
    with admin.get(f"/admin/jobs/{job.id}/file") as file:
        rows = list(csv.reader(io.StringIO(file.get_data(as_text=True).lstrip("\ufeff"))))
    assert db.session.query(AuditEvent).filter_by(action="job.file_downloaded").count() == 1
    password = next(r[2] for r in rows if r[1] == "tvbinh")
    assert admin.get(f"/admin/jobs/{job.id}/file").status_code == 404  # handed over once, then gone
    after = admin.get(f"/admin/jobs/{job.id}").get_data(as_text=True)
    assert "đã được tải về (một lần)" in after and password not in after  # nor shown on the page any more
    learner = app.test_client()
    assert sign_in(learner, "tvbinh", password).status_code == 302
    blocked = learner.get("/progress")
    assert blocked.status_code == 302 and blocked.headers["Location"].startswith("/account/password")
    page = learner.get(blocked.headers["Location"]).get_data(as_text=True)
    assert "mật khẩu tạm thời" in page
    path = blocked.headers["Location"]
    changed = learner.post(path, data={"csrf_token": csrf_token(learner, path), "current": password,
                                       "new": "mat-khau-rieng-2026", "confirm": "mat-khau-rieng-2026"})
    assert changed.status_code == 302 and changed.headers["Location"] == "/progress"
    assert learner.get("/progress").status_code == 200


def test_the_password_list_can_be_deleted_unread_with_a_confirmation(admin, cohort):
    upload(admin, cohort, "ds.csv", GOOD.encode())
    job = db.session.scalar(select(Job))
    unconfirmed = admin.post(f"/admin/jobs/{job.id}/file/delete",
                             data={"csrf_token": csrf_token(admin, f"/admin/jobs/{job.id}")})
    assert unconfirmed.status_code == 303 and "Tải danh sách mật khẩu (CSV)" in admin.get(
        f"/admin/jobs/{job.id}").get_data(as_text=True)
    deleted = admin.post(f"/admin/jobs/{job.id}/file/delete",
                         data={"csrf_token": csrf_token(admin, f"/admin/jobs/{job.id}"), "confirm": "1"})
    assert deleted.status_code == 302 and admin.get(f"/admin/jobs/{job.id}/file").status_code == 404
    assert db.session.query(AuditEvent).filter_by(action="job.file_deleted").count() == 1


def test_the_password_list_is_refused_to_other_staff_and_gone_after_it_expires(admin, cohort, app, make_user,
                                                                               login_as):
    upload(admin, cohort, "ds.csv", GOOD.encode())
    job = db.session.scalar(select(Job))
    assert login_as(Role.INSTRUCTOR).get(f"/admin/jobs/{job.id}/file").status_code == 403
    later = job.expires_at + timedelta(seconds=1)
    assert delete_expired_files(later) == 1
    db.session.commit()
    assert admin.get(f"/admin/jobs/{job.id}/file").status_code == 404
    assert "hoặc đã hết hạn, và đã bị xóa" in admin.get(f"/admin/jobs/{job.id}").get_data(as_text=True)


def test_enrol_one_learner_by_hand(admin, cohort):
    path = f"/admin/cohorts/{cohort.id}"
    response = admin.post(f"{path}/enrol", data={"csrf_token": csrf_token(admin, path), "full_name": "Đỗ Thu Hà",
                                                 "identifier": "dothuha", "commune": "Phường Tây Hồ"})
    assert response.status_code == 200 and "Mật khẩu tạm thời" in response.get_data(as_text=True)
    assert counts() == (1, 1)


@pytest.mark.parametrize(("fields", "message"), [
    ({"full_name": "", "commune": "Phường Tây Hồ", "phone": "0912345678"}, "Mục này chưa được điền."),
    ({"full_name": "Đỗ Thu Hà", "commune": "Phường Tây Hồ", "phone": "09xx"}, "Số điện thoại"),
])
def test_a_mistake_in_one_learners_enrolment_keeps_what_was_typed(admin, cohort, fields, message):
    path = f"/admin/cohorts/{cohort.id}"
    response = admin.post(f"{path}/enrol", data={"csrf_token": csrf_token(admin, path), "identifier": "dothuha",
                                                 **fields})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and message in html
    assert '<details id="enrol-one" open>' in html  # the form, on the cohort's page, open at the mistake
    assert 'value="dothuha"' in html and 'value="Phường Tây Hồ"' in html
    assert "Dòng 1" not in html  # one learner is not a line of a file
    assert counts() == (0, 0)


def test_assign_and_remove_an_instructor_with_confirmation(admin, cohort, make_user):
    teacher = make_user(Role.INSTRUCTOR, full_name="Trần Văn Giảng")
    path = f"/admin/cohorts/{cohort.id}"
    admin.post(f"{path}/instructors", data={"csrf_token": csrf_token(admin, path), "instructor_id": teacher.id})
    assert db.session.scalar(select(func.count()).select_from(CohortInstructor)) == 1
    remove = f"{path}/instructors/{teacher.id}/remove"
    assert "Bỏ phân công giảng viên Trần Văn Giảng" in admin.get(remove).get_data(as_text=True)
    admin.post(remove, data={"csrf_token": csrf_token(admin, remove)})
    assert db.session.scalar(select(func.count()).select_from(CohortInstructor)) == 0
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action.like("cohort.instructor%"))) == 2


def test_cli_import_is_all_or_nothing_with_a_progress_bar(app, cohort, tmp_path):
    runner = app.test_cli_runner()
    bad, good = tmp_path / "bad.csv", tmp_path / "good.csv"
    bad.write_text(BAD, encoding="utf-8")
    good.write_text(GOOD, encoding="utf-8")
    failed = runner.invoke(args=["cohorts", "import", str(cohort.id), str(bad)])
    assert failed.exit_code == 1 and "bad.csv:4: full_name: required" in failed.output
    assert counts() == (0, 0)
    passwords = tmp_path / "pw.csv"
    done = runner.invoke(args=["cohorts", "import", str(cohort.id), str(good), "--passwords", str(passwords)])
    assert done.exit_code == 0 and "enrolled 2" in done.output and "Enrolling" in done.output
    assert passwords.read_text().count("\n") == 3
    again = runner.invoke(args=["cohorts", "import", str(cohort.id), str(good)])
    assert "enrolled 0, already enrolled 2, new accounts 0" in again.output


def test_deactivating_yourself_is_forbidden(admin):
    assert admin.get(f"/admin/users/{admin.user.id}/active").status_code == 403


@pytest.mark.parametrize("typed", ["vu quang", "VŨ QUANG", "Vũ Quang", "vũ", "dang"])
def test_names_are_found_with_or_without_accents(admin, cohort, make_user, typed):
    """Typed without accents (a keyboard with no Vietnamese input), in capitals or as written: the database folds
    both sides (lms_fold: unaccent on PostgreSQL, the app's own function on SQLite)."""
    quang = make_user(Role.LEARNER, username="vuquang", full_name="Vũ Quang Đăng")
    other = make_user(Role.LEARNER, username="lethi", full_name="Lê Thị Hoa")
    db.session.add(Enrolment(cohort=cohort, user=quang, commune="Phường Láng", enrolled_at=utcnow()))
    db.session.add(Enrolment(cohort=cohort, user=other, commune="Phường Láng", enrolled_at=utcnow()))
    db.session.commit()
    for url in (f"/admin/users?q={typed}", f"/admin/cohorts/{cohort.id}?q={typed}"):
        html = admin.get(url).get_data(as_text=True)
        assert "Vũ Quang Đăng" in html and "Lê Thị Hoa" not in html, url
    assert "Vũ Quang Đăng" not in admin.get("/admin/users?q=vu_quang").get_data(as_text=True)  # _ is literal


def test_a_learner_enrolled_by_mistake_is_taken_out_after_confirmation_but_not_one_with_work(
        admin, cohort, make_user, make_case, now):
    from tests.conftest import EXPERT_PATH, play_attempt

    mistaken, working = make_user(Role.LEARNER, full_name="Nhầm Lớp"), make_user(Role.LEARNER, full_name="Đã Làm Bài")
    for user in (mistaken, working):
        db.session.add(Enrolment(cohort=cohort, user=user, commune="Phường Láng", enrolled_at=now))
    db.session.commit()
    play_attempt(working, make_case(), EXPERT_PATH, now)
    page = admin.get(f"/admin/cohorts/{cohort.id}").get_data(as_text=True)
    remove = f"/admin/cohorts/{cohort.id}/learners/{mistaken.id}/remove"
    assert remove in page and "Xóa khỏi lớp" in page
    asked = admin.get(remove).get_data(as_text=True)
    assert "Xóa Nhầm Lớp khỏi lớp" in asked and counts() == (2, 2)  # asked first: nothing removed yet
    assert admin.post(remove, data={"csrf_token": csrf_token(admin, remove)}).status_code == 302
    assert counts() == (2, 1) and db.session.get(User, mistaken.id) is not None  # the account stays
    kept = f"/admin/cohorts/{cohort.id}/learners/{working.id}/remove"
    refused = admin.post(kept, data={"csrf_token": csrf_token(admin, kept)}, follow_redirects=True)
    assert "đã có bài làm, điểm hoặc văn bản" in refused.get_data(as_text=True) and counts() == (2, 1)
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "cohort.learner_removed")) == 1
    assert admin.get(remove).status_code == 404  # no longer enrolled: nothing to take out
