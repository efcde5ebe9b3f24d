"""Authoring over HTTP: permissions, the editors without JavaScript, versions, files, sanitising and the audit log."""
from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from lms.extensions import db
from lms.models import (
    AuditEvent,
    CaseVersion,
    ContentDraft,
    LessonVersion,
    ModuleInstructor,
    Role,
)
from tests.conftest import csrf_token


def post(client, path, **fields):
    """Post a form the way the browser does, with the page's CSRF token."""
    return client.post(path, data={"csrf_token": csrf_token(client, path), **fields})


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def actions() -> list[str]:
    """The audited actions, sign-ins left out."""
    return list(db.session.scalars(select(AuditEvent.action).where(~AuditEvent.action.startswith("auth."))
                                   .order_by(AuditEvent.id)))


def upload(client, base, kind, name, text: str | bytes):
    data = text.encode("utf-8") if isinstance(text, str) else text
    token = csrf_token(client, f"{base}/upload")
    return client.post(f"{base}/upload", data={"csrf_token": token, "kind": kind, "file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


PAGES = ["", "/lessons/01-bai-mot/edit", "/lessons/01-bai-mot/versions", "/lessons/01-bai-mot/versions/1",
         "/lessons/01-bai-mot.md", "/cases/tranh-chap-loi-di/edit", "/cases/tranh-chap-loi-di/versions",
         "/cases/tranh-chap-loi-di.md", "/cases/new", "/upload"]


@pytest.mark.parametrize("who, expected", [(Role.INSTRUCTOR, 403), (Role.LEARNER, 403), (Role.ADMIN, 200)])
def test_only_assigned_authors_and_admins_reach_the_authoring_pages(login_as, lesson, base, who, expected):
    client = login_as(who)
    assert {path: client.get(base + path).status_code for path in PAGES} == dict.fromkeys(PAGES, expected)
    if expected == 403:
        token = csrf_token(client, "/")
        refused = [client.post(base + path, data={"csrf_token": token, "action": "publish", "title": "x"}).status_code
                   for path in ("/lessons/01-bai-mot/edit", "/cases/tranh-chap-loi-di/edit", "/upload",
                                "/lessons/01-bai-mot/versions/1/restore")]
        assert refused == [403] * 4 and count(LessonVersion) == 1


def test_the_dashboard_lists_the_modules_an_instructor_authors(author, module, login_as):
    assert module.title in author.get("/instructor/").get_data(as_text=True)
    assert module.title not in login_as(Role.INSTRUCTOR).get("/instructor/").get_data(as_text=True)
    assert module.title in login_as(Role.ADMIN).get("/instructor/modules").get_data(as_text=True)


def test_publishing_a_lesson_creates_version_2_by_the_author(author, lesson, base):
    path = f"{base}/lessons/{lesson.key}/edit"
    assert "Nội dung bài một." in author.get(path).get_data(as_text=True)
    response = post(author, path, action="publish", title="Bài 1 (sửa)", summary="Tóm tắt.", body="## Mới\n\nĐã sửa.")
    assert response.status_code == 302
    version = db.session.scalar(select(LessonVersion).order_by(LessonVersion.version.desc()))
    assert (version.version, version.source, version.created_by_id) == (2, "browser", author.user.id)
    assert "Đã sửa." in author.get(f"/modules/{lesson.module.key}/lessons/{lesson.key}").get_data(as_text=True)
    assert actions() == ["lesson.published"]


def test_preview_renders_the_body_and_saves_nothing(author, lesson, base):
    response = post(author, f"{base}/lessons/{lesson.key}/edit", action="preview", title="Bài 1", summary="Tóm tắt.",
                    body="## Xem thử\n\n**đậm**")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "<strong>đậm</strong>" in page
    assert count(LessonVersion) == 1 and count(ContentDraft) == 0


def test_a_lesson_draft_is_saved_even_when_invalid_and_reopened(author, lesson, base):
    path = f"{base}/lessons/{lesson.key}/edit"
    response = post(author, path, action="publish", title="", summary="", body="Dòng một\n\n!!! sai\n    x")
    assert response.status_code == 422 and "dòng 3 của nội dung" in response.get_data(as_text=True)
    assert post(author, path, action="draft", title="", summary="", body="Dở dang").status_code == 302
    assert count(LessonVersion) == 1 and db.session.scalar(select(ContentDraft.base_version)) == 1
    assert "Dở dang" in author.get(path).get_data(as_text=True)
    assert "01-bai-mot" in author.get(base).get_data(as_text=True)


def test_discarding_a_draft_is_confirmed_first_and_keeps_what_was_typed_until_then(author, lesson, base):
    path = f"{base}/lessons/{lesson.key}/edit"
    assert post(author, path, action="draft", title="Bài một", summary="Tóm tắt", body="Bản nháp cũ").status_code == 302
    asked = post(author, path, action="discard", title="Bài một", summary="Tóm tắt", body="Vừa sửa thêm")
    page = asked.get_data(as_text=True)
    assert asked.status_code == 200 and "Bỏ bản nháp này?" in page and 'name="confirmed" value="1"' in page
    assert count(ContentDraft) == 1 and "Vừa sửa thêm" in author.get(path).get_data(as_text=True)  # kept, not lost
    assert post(author, path, action="discard", confirmed="1").status_code == 302
    assert count(ContentDraft) == 0 and count(LessonVersion) == 1  # the published lesson stays as it was


def test_a_new_lesson_takes_the_next_number(author, lesson, base):
    response = post(author, f"{base}/lessons/new", action="publish", slug="bai-hai", title="Bài 2",
                    summary="Tóm tắt.", body="Nội dung.")
    assert response.status_code == 302
    assert [item.key for item in lesson.module.lessons] == ["01-bai-mot", "02-bai-hai"]
    again = post(author, f"{base}/lessons/new", action="draft", slug="bai-hai", title="", summary="", body="")
    assert again.status_code == 400 and count(ContentDraft) == 0


def test_script_typed_in_a_lesson_never_reaches_the_learner(author, lesson, base, login_as):
    body = 'Chào <script>alert("x")</script>\n\n<img src="x" onerror="alert(1)">\n\n[bấm](javascript:alert(1))'
    post(author, f"{base}/lessons/{lesson.key}/edit", action="draft", title="Bài 1", summary="Tóm tắt.", body=body)
    preview = post(author, f"{base}/lessons/{lesson.key}/edit", action="preview", title="Bài 1", summary="Tóm tắt.",
                   body=body).get_data(as_text=True)
    assert "<script>alert" not in preview and "onerror=" not in preview.split('id="preview-title"')[1]
    body = 'Chào <script>alert("x")</script>\n\n<img src="x" onerror="alert(1)">'
    post(author, f"{base}/lessons/{lesson.key}/edit", action="publish", title="Bài 1", summary="Tóm tắt.", body=body)
    assert lesson.current.version == 2
    page = login_as(Role.LEARNER).get(f"/modules/{lesson.module.key}/lessons/{lesson.key}").get_data(as_text=True)
    assert "Chào" in page and "<script>alert" not in page and "onerror" not in page


def test_an_invalid_case_shows_where_and_publishes_nothing_but_saves_as_draft(author, case, base):
    path = f"{base}/cases/{case.slug}/edit"
    text = case.current.source_md.replace("type: best_action", "type: best_choice", 1)
    response = post(author, path, action="publish", text=text)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "Giai đoạn 1, câu hỏi 1" in page
    assert count(CaseVersion) == 1
    assert db.session.scalar(select(ContentDraft.text)) == text  # the refused publication is kept as the draft
    assert post(author, path, action="draft", text=text).status_code == 302
    assert db.session.scalar(select(ContentDraft.text)) == text
    assert "best_choice" in author.get(path).get_data(as_text=True)
    assert actions() == ["draft.saved", "draft.saved"]


def test_case_preview_shows_the_key_and_the_new_case_starts_from_the_template(author, case, base):
    phone = post(author, f"{base}/cases/{case.slug}/edit", action="preview", text=case.current.source_md)
    frame = phone.get_data(as_text=True).split('class="phone-frame"')[1].split("</section>\n</div>")[0]
    assert "Như học viên thấy trên điện thoại" in phone.get_data(as_text=True)
    assert 'type="radio"' in frame and "Việc đầu tiên?" in frame and "Hòa giải" not in frame  # stage 1 only
    page = author.get(f"{base}/cases/new").get_data(as_text=True)
    assert "type: best_worst" in page and "rubric:" in page and "effectiveness" in page
    response = post(author, f"{base}/cases/{case.slug}/edit", action="preview", text=case.current.source_md)
    assert "Chuyên gia: 4/4" in response.get_data(as_text=True) and count(ContentDraft) == 0
    from lms.authoring.sources import case_template

    created = post(author, f"{base}/cases/new", action="publish", slug="o-nhiem-trai-lon", text=case_template())
    assert created.status_code == 302 and [c.slug for c in case.module.cases] == [case.slug, "o-nhiem-trai-lon"]


def test_duplicating_a_case_opens_a_draft_copy_to_publish(author, case, base):
    refused = post(author, f"{base}/cases/{case.slug}/duplicate", new_slug="Sai Ma")
    assert "Chỉ dùng chữ thường" in author.get(refused.headers["Location"]).get_data(as_text=True)
    refused = post(author, f"{base}/cases/{case.slug}/duplicate", new_slug=case.slug)
    assert "đã được dùng" in author.get(refused.headers["Location"]).get_data(as_text=True)
    response = post(author, f"{base}/cases/{case.slug}/duplicate", new_slug="loi-di-2")
    assert response.headers["Location"].endswith(f"{base}/cases/loi-di-2/edit")
    page = author.get(f"{base}/cases/loi-di-2/edit").get_data(as_text=True)
    assert "Bản sao — " in page
    text = db.session.scalar(select(ContentDraft.text).where(ContentDraft.key == "loi-di-2"))
    assert post(author, f"{base}/cases/loi-di-2/edit", action="publish", text=text).status_code == 302
    assert {c.slug for c in case.module.cases} == {case.slug, "loi-di-2"} and count(ContentDraft) == 0
    assert actions() == ["case.duplicated", "case.published"]


def test_versions_diff_and_restore(author, case, base):
    edited = case.current.source_md.replace("Việc đầu tiên?", "Việc cần làm <ngay>?")
    post(author, f"{base}/cases/{case.slug}/edit", action="publish", text=edited)
    versions = author.get(f"{base}/cases/{case.slug}/versions").get_data(as_text=True)
    assert "Nguyễn Văn Soạn" in versions and "nhập từ tệp" in versions
    diff = author.get(f"{base}/cases/{case.slug}/versions/2").get_data(as_text=True)
    assert '<span class="diff-del">-        prompt: &#34;Việc đầu tiên?&#34;</span>' in diff  # the house style quotes text
    assert '<span class="diff-add">+        prompt: &#34;Việc cần làm &lt;ngay&gt;?&#34;</span>' in diff
    restore = f"{base}/cases/{case.slug}/versions/1/restore"
    assert "Khôi phục phiên bản 1" in author.get(restore).get_data(as_text=True)
    assert post(author, restore).status_code == 302
    versions = db.session.scalars(select(CaseVersion).order_by(CaseVersion.version)).all()
    assert [v.version for v in versions] == [1, 2, 3] and versions[2].source_md == versions[0].source_md
    assert actions() == ["case.published", "case.restored"]


def test_download_then_upload_round_trip(author, lesson, base):
    response = author.get(f"{base}/lessons/{lesson.key}.md")
    assert response.headers["Content-Type"] == "text/markdown; charset=utf-8"
    assert response.headers["Content-Disposition"] == "attachment; filename=01-bai-mot.md"
    text = response.get_data(as_text=True)
    assert text.startswith("---\ntitle: \"Bài 1\"\n") and "Nội dung bài một." in text
    assert upload(author, base, "lesson", "01-bai-mot.md", text).status_code == 302
    assert lesson.current.version == 1  # unchanged content makes no version
    assert upload(author, base, "lesson", "01-bai-mot.md", text.replace("bài một", "bài một, bản 2")).status_code == 302
    assert lesson.current.version == 2 and "bản 2" in lesson.current.body_md
    assert upload(author, base, "lesson", "02-bai-moi.md", text).status_code == 302
    assert [item.key for item in lesson.module.lessons] == ["01-bai-mot", "02-bai-moi"]
    assert actions() == ["lesson.uploaded"] * 3


def test_an_invalid_upload_lists_its_problems_and_saves_nothing(author, case, base):
    bad = case.current.source_md.replace("effectiveness: 4", "effectiveness: 9", 1)
    response = upload(author, base, "case", f"{case.slug}.md", bad)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "Giai đoạn 1, câu hỏi 1, phương án 1" in page
    assert upload(author, base, "case", "moi.md", b"---\ntitle: \xff\n---\n").status_code == 422
    assert count(CaseVersion) == 1 and count(ContentDraft) == 0 and actions() == []


def test_admin_assigns_and_removes_module_authors_through_the_confirm_page(login_as, make_user, module):
    admin, instructor = login_as(Role.ADMIN), make_user(Role.INSTRUCTOR, full_name="Trần Thị Giảng")
    assert module.title in admin.get("/admin/modules").get_data(as_text=True)
    token = csrf_token(admin, "/admin/modules")
    admin.post(f"/admin/modules/{module.id}/authors", data={"csrf_token": token, "instructor_id": instructor.id})
    assert "Trần Thị Giảng" in admin.get("/admin/modules").get_data(as_text=True)
    remove = f"/admin/modules/{module.id}/authors/{instructor.id}/remove"
    assert "Thôi phân công" in admin.get(remove).get_data(as_text=True)
    assert post(admin, remove).status_code == 302 and count(ModuleInstructor) == 0
    assert actions() == ["module.author_assigned", "module.author_removed"]


def test_cues_that_give_the_key_away_warn_in_the_editor_and_can_be_made_to_refuse(author, case, base, app):
    path = f"{base}/cases/{case.slug}/edit"
    long_best = ("Chỉ đạo hòa giải đúng quy định, mời công chức địa chính đối chiếu hồ sơ, lập biên bản có chữ ký "
                 "của các bên và báo cáo kết quả cho Đảng ủy trong tuần")
    text = case.current.source_md.replace('"Chỉ đạo hòa giải đúng quy định"', f'"{long_best}"', 1)
    assert text != case.current.source_md
    preview = post(author, path, action="preview", text=text).get_data(as_text=True)
    assert "câu hỏi có dấu hiệu lộ đáp án" in preview and "Giai đoạn 1, câu hỏi 1" in preview
    app.config["CUEING_STRICT"] = True
    try:
        refused = post(author, path, action="publish", text=text)
        assert refused.status_code == 422 and count(CaseVersion) == 1
    finally:
        app.config["CUEING_STRICT"] = False
    published = post(author, path, action="publish", text=text)
    assert published.status_code == 302 and count(CaseVersion) == 2
    assert "dấu hiệu lộ đáp án" in author.get(published.headers["Location"]).get_data(as_text=True)
