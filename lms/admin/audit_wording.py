"""The audit log in plain words: what each recorded action code means, what its target is, and its details."""
from __future__ import annotations

from flask import url_for
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

# Every action code lms records with lms.audit.record (tests/unit/test_audit_wording.py checks that none is missing).
ACTIONS = {
    "auth.sign_in": _l("Đăng nhập"),
    "auth.password_changed": _l("Đổi mật khẩu"),
    "user.activated": _l("Mở lại tài khoản"),
    "user.deactivated": _l("Khóa tài khoản"),
    "user.password_reset": _l("Đặt lại mật khẩu"),
    "user.created": _l("Tạo tài khoản cán bộ"),
    "user.phone_changed": _l("Đổi số điện thoại"),
    "user.email_change_requested": _l("Xin đổi địa chỉ email"),
    "user.email_changed": _l("Xác nhận địa chỉ email mới"),
    "user.email_removed": _l("Bỏ địa chỉ email"),
    "user.role_changed": _l("Đổi vai trò tài khoản"),
    "calendar.token_created": _l("Tạo địa chỉ lịch riêng"),
    "calendar.token_reset": _l("Đổi địa chỉ lịch riêng"),
    "cohort.created": _l("Tạo lớp"),
    "cohort.updated": _l("Sửa tên, ngày của lớp"),
    "cohort.instructor_assigned": _l("Phân công giảng viên cho lớp"),
    "cohort.instructor_removed": _l("Bỏ phân công giảng viên khỏi lớp"),
    "cohort.learner_removed": _l("Xóa học viên khỏi lớp"),
    "cohort.roster_imported": _l("Nhập danh sách học viên"),
    "schedule.set": _l("Đặt lịch học"),
    "schedule.template_applied": _l("Áp dụng lịch mẫu"),
    "schedule.extension_granted": _l("Gia hạn cho học viên"),
    "schedule.extension_withdrawn": _l("Thu hồi gia hạn"),
    "module.author_assigned": _l("Phân công soạn chuyên đề"),
    "module.author_removed": _l("Bỏ phân công soạn chuyên đề"),
    "module.header_edited": _l("Sửa thông tin chuyên đề"),
    "draft.saved": _l("Lưu bản nháp"),
    "draft.discarded": _l("Bỏ bản nháp"),
    "lesson.published": _l("Xuất bản bài học"),
    "lesson.uploaded": _l("Tải lên bài học"),
    "lesson.restored": _l("Khôi phục phiên bản bài học"),
    "case.published": _l("Xuất bản tình huống"),
    "case.uploaded": _l("Tải lên tình huống"),
    "case.restored": _l("Khôi phục phiên bản tình huống"),
    "case.duplicated": _l("Nhân bản tình huống"),
    "case.regrade_requested": _l("Yêu cầu chấm lại tình huống"),
    "case.regraded": _l("Chấm lại tình huống"),
    "attempt.reviewed": _l("Chấm bài làm"),
    "attempt.regraded": _l("Chấm lại bài làm tự luận"),
    "essay.submitted": _l("Nộp bài thu hoạch"),
    "essay.graded": _l("Chấm bài thu hoạch"),
    "grade.override": _l("Điều chỉnh điểm"),
    "grade.override_cleared": _l("Bỏ điều chỉnh điểm"),
    "grades.reconciled": _l("Đối soát sổ điểm"),
    "documents.batch_requested": _l("Yêu cầu cấp văn bản cả lớp (ZIP)"),
    "audit_log.export_requested": _l("Yêu cầu xuất nhật ký thao tác (CSV)"),
    "document.issued": _l("Cấp văn bản"),
    "document.reissued": _l("Cấp lại văn bản"),
    "document.reissued_after_revocation": _l("Cấp lại văn bản sau khi thu hồi"),
    "document.revoked": _l("Thu hồi văn bản"),
    "post.reported": _l("Báo cáo bài thảo luận"),
    "post.hidden": _l("Ẩn bài thảo luận"),
    "post.restored": _l("Hiện lại bài thảo luận"),
    "post.reports_dismissed": _l("Bỏ qua báo cáo bài thảo luận"),
    "post.exemplary": _l("Đánh dấu bài tiêu biểu"),
    "post.not_exemplary": _l("Bỏ đánh dấu bài tiêu biểu"),
    "discussion.note": _l("Ghim ghi chú thảo luận"),
    "discussion.note_removed": _l("Bỏ ghi chú thảo luận"),
    "discussion.closed": _l("Đóng thảo luận"),
    "discussion.reopened": _l("Mở lại thảo luận"),
    "announcement.edited": _l("Sửa thông báo của lớp"),
    "announcement.withdrawn": _l("Gỡ thông báo của lớp"),
    "job.file_downloaded": _l("Tải tệp của công việc nền"),
    "job.file_deleted": _l("Xóa tệp của công việc nền"),
    "api_token.created": _l("Tạo mã truy cập API"),
    "api_token.revoked": _l("Thu hồi mã truy cập API"),
    "api.call": _l("Gọi API"),
}

# Each names ONE record ("Account #12"), hence a context of its own: the same Vietnamese word is also the plural
# name of a page or a menu ("Tài khoản" is the Accounts page), and English tells the two apart.
TARGET_TYPES = {
    "user": lazy_pgettext("audit target", "Tài khoản"),
    "cohort": lazy_pgettext("audit target", "Lớp"),
    "module": lazy_pgettext("audit target", "Chuyên đề"),
    "lesson": lazy_pgettext("audit target", "Bài học"),
    "case": lazy_pgettext("audit target", "Tình huống"),
    "attempt": lazy_pgettext("audit target", "Bài làm"),
    "essay": lazy_pgettext("audit target", "Bài thu hoạch"),
    "grade_entry": lazy_pgettext("audit target", "Điểm"),
    "ledger": lazy_pgettext("audit target", "Sổ điểm"),
    "document": lazy_pgettext("audit target", "Văn bản"),
    "post": lazy_pgettext("audit target", "Bài thảo luận"),
    "discussion": lazy_pgettext("audit target", "Thảo luận"),
    "job": lazy_pgettext("audit target", "Công việc nền"),
    "api_token": lazy_pgettext("audit target", "Mã truy cập API"),
    "announcement": lazy_pgettext("audit target", "Thông báo của lớp"),
}

# The page a target's id leads to, where one exists for an administrator.
_TARGET_PAGES = {
    "cohort": lambda i: url_for("admin.cohort", cohort_id=i),
    "job": lambda i: url_for("jobs.show", job_id=i),
    "module": lambda i: url_for("admin.modules", _anchor=f"module-{i}"),
    "attempt": lambda i: url_for("cases.review", attempt_id=i),
    "essay": lambda i: url_for("essays.grade", submission_id=i),
    "api_token": lambda i: url_for("api_tokens.index"),
}

DETAIL_MAX = 80  # characters of one detail's value shown in the table (the CSV has them whole)


def action_label(code: str) -> str:
    """The action in plain words; an unknown code is shown as it is."""
    label = ACTIONS.get(code)
    return code if label is None else str(label)


def target_type_label(code: str) -> str:
    """The kind of record acted on, in plain words (an unknown kind as it is)."""
    label = TARGET_TYPES.get(code)
    return code if label is None else str(label)


def target_url(target_type: str, target_id: str | None, target_username: str | None = None) -> str | None:
    """The administrator's page of the target, or None when there is no obvious one."""
    if target_type == "user" and target_username:
        return url_for("admin.users", q=target_username)
    page = _TARGET_PAGES.get(target_type)
    if page is None or target_id is None or not target_id.isdigit():
        return None
    return page(int(target_id))


def _value(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, list | tuple):
        return ", ".join(_value(v) for v in value)
    if isinstance(value, dict) and value.keys() == {"from", "to"}:  # a change: what it was, what it became
        return f"{_value(value['from'])} → {_value(value['to'])}"
    if isinstance(value, dict):
        return ", ".join(f"{k}={_value(v)}" for k, v in value.items())
    return str(value)


def details_text(details: dict | None, limit: int | None = None) -> str:
    """The details as `key: value; key: value`, each value cut at `limit` characters when given."""
    parts = []
    for key, value in (details or {}).items():
        text = _value(value)
        if limit and len(text) > limit:
            text = text[:limit - 1] + "…"
        parts.append(f"{key}: {text}")
    return "; ".join(parts)
