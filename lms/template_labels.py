"""Translated labels for stored codes (roles, statuses), for templates."""
from __future__ import annotations

from flask import current_app, url_for

from lms.domain.accounts import RowError
from lms.domain.scoring import classify
from lms.i18n import fmt_score
from lms.i18n import gettext as _


def role_label(role: str) -> str:
    """The translated name of a role."""
    return {"learner": _("Học viên"), "instructor": _("Giảng viên"), "admin": _("Quản trị viên")}.get(role, role)


def group_label(group: int) -> str:
    """The translated name of one of the course's three groups of modules."""
    return {1: _("Nhóm 1. Lý luận chính trị, xây dựng Đảng và phát triển Thủ đô"),
            2: _("Nhóm 2. Tổ chức và hoạt động của hệ thống chính trị cơ sở"),
            3: _("Nhóm 3. Nhiệm vụ, quyền hạn, kỹ năng lãnh đạo, quản lý và xử lý tình huống")}.get(group, str(group))


def case_kind_label(kind: str) -> str:
    """The translated name of a case type."""
    return {
        "land_dispute": _("Tranh chấp đất đai"), "administrative_complaint": _("Khiếu nại quyết định hành chính"),
        "denunciation": _("Tố cáo"), "mass_gathering": _("Tụ tập đông người"),
        "site_clearance": _("Giải phóng mặt bằng"), "pollution": _("Ô nhiễm môi trường"),
        "natural_disaster": _("Thiên tai"), "epidemic": _("Dịch bệnh"),
        "construction_violation": _("Vi phạm trật tự xây dựng"), "internal_disunity": _("Mất đoàn kết nội bộ"),
        "online_disinformation": _("Thông tin sai sự thật trên mạng"),
        "cadre_misconduct": _("Cán bộ vi phạm, nhũng nhiễu"), "proactive_decision": _("Quyết định dám nghĩ, dám làm"),
        "other": _("Tình huống khác"), "knowledge_check": _("Kiểm tra kiến thức"),
    }.get(kind, kind)


def item_flag_label(code: str) -> str:
    """A question's statistics flag in plain words."""
    return {"too_easy": _("Quá dễ: gần như ai cũng đạt"), "too_hard": _("Quá khó: gần như không ai đạt"),
            "does_not_discriminate": _("Không phân biệt người làm tốt với người làm kém"),
            "negative_discrimination": _("Phân biệt ngược: người làm kém lại đạt câu này hơn"),
            "unpicked_distractor": _("Có phương án nhiễu không ai chọn"),
            "key_possibly_wrong": _("Đáp án có thể sai: nhóm làm tốt nhất chọn phương án khác")}.get(code, code)


def attempt_state_label(state: str) -> str:
    """The translated name of an attempt's state."""
    return {"in_progress": _("Đang làm"), "submitted": _("Đã nộp"), "awaiting_review": _("Chờ giảng viên chấm"),
            "graded": _("Đã chấm")}.get(state, state)


def classification_name(code: str) -> str:
    """The name of a classification code: Xuất sắc, Giỏi, Khá, Trung bình, Không đạt."""
    return {"excellent": _("Xuất sắc"), "good": _("Giỏi"), "fair": _("Khá"), "average": _("Trung bình"),
            "fail": _("Không đạt")}.get(code, code)


def classification_label(score: float | None) -> str:
    """The Vietnamese classification of a 10-point score under the configured bands: Xuất sắc ... Không đạt."""
    if score is None:
        return ""
    return classification_name(classify(score, current_app.config["CLASSIFICATION_BANDS"]))


def status_label(status: str) -> str:
    """The translated name of a module status."""
    return {"not_started": _("Chưa bắt đầu"), "in_progress": _("Đang học"), "completed": _("Đã hoàn thành, chờ điểm"),
            "passed": _("Đạt"), "not_passed": _("Chưa đạt")}.get(status, status)


def grade_source_label(source: str) -> str:
    """The translated name of where a grade came from."""
    return {"computed": _("Tính từ bài làm"), "regrade": _("Chấm lại theo đáp án mới"),
            "review_regrade": _("Giảng viên chấm lại bài tự luận"),
            "override": _("Giảng viên điều chỉnh"), "override_cleared": _("Bỏ điều chỉnh")}.get(source, source)


def document_status_label(status: str) -> str:
    """The translated state of an issued document."""
    return {"valid": _("Còn hiệu lực"), "superseded": _("Đã được thay thế"), "revoked": _("Đã thu hồi")}.get(status, status)


def job_kind_label(kind: str) -> str:
    """What a background job does."""
    return {"roster_import": _("Nhập danh sách học viên"), "cohort_documents": _("Cấp văn bản cho cả lớp (tệp ZIP)"),
            "xapi_send": _("Gửi hồ sơ học tập (xAPI) đến kho hồ sơ học tập"),
            "case_regrade": _("Chấm lại một tình huống theo đáp án đã sửa"),
            "notification_email": _("Gửi email thông báo"),
            "email_confirmation": _("Gửi thư xác nhận địa chỉ email"),
            "audit_log_export": _("Xuất nhật ký thao tác (CSV)"),
            }.get(kind, kind)


def job_state_label(state: str) -> str:
    """Where a background job stands."""
    return {"queued": _("Đang chờ"), "running": _("Đang chạy"), "done": _("Hoàn tất"), "failed": _("Lỗi")}.get(state, state)


def window_state_label(state: str) -> str:
    """Where a chuyên đề stands in the cohort's schedule."""
    return {"not_open": _("Chưa mở"), "open": _("Đang mở"), "late": _("Quá hạn nộp (vẫn nhận, ghi là nộp muộn)"),
            "closed": _("Đã đóng")}.get(state, state)


def grading_policy_text(policy: str) -> str:
    """Which attempt counts, in words."""
    return {"best": _("lần có điểm cao nhất được tính"), "last": _("lần làm cuối cùng được tính"),
            "average": _("điểm trung bình các lần được tính")}.get(policy, policy)


def completion_rule(modules: int, essay_required: bool, pass_mark: float) -> str:
    """The course's completion rule in one sentence, for learners."""
    if essay_required:
        return _("Đồng chí hoàn thành khóa học, và được cấp giấy chứng nhận, khi đạt cả %(n)s chuyên đề và bài thu "
                 "hoạch cuối khóa được chấm từ %(mark)s điểm trở lên.", n=modules, mark=fmt_score(pass_mark))
    return _("Đồng chí hoàn thành khóa học, và được cấp giấy chứng nhận, khi đạt cả %(n)s chuyên đề.", n=modules)


def case_url(slug: str) -> str:
    """The page of a case."""
    return url_for("cases.show", slug=slug)


def register(app) -> None:
    """Expose the label helpers to templates."""
    app.jinja_env.globals.update(role_label=role_label, group_label=group_label, case_url=case_url,
                                 case_kind_label=case_kind_label, attempt_state_label=attempt_state_label,
                                 classification_label=classification_label, status_label=status_label,
                                 grade_source_label=grade_source_label, document_status_label=document_status_label,
                                 item_flag_label=item_flag_label, job_kind_label=job_kind_label,
                                 job_state_label=job_state_label, window_state_label=window_state_label,
                                 completion_rule=completion_rule, grading_policy_text=grading_policy_text)


def row_error_message(error: RowError) -> str:
    """Explain why a roster row (or a field of the staff account form) was rejected."""
    p = error.params
    messages = {
        "required": lambda: _("thiếu thông tin bắt buộc"),
        "too_long": lambda: _("dài quá %(max)s ký tự", max=p.get("max")),
        "bad_email": lambda: _("email không hợp lệ: %(value)s", value=p.get("value")),
        "bad_username": lambda: _("tên đăng nhập không hợp lệ (3–64 ký tự: chữ thường không dấu, số, dấu . _ -): "
                                  "%(value)s", value=p.get("value")),
        "bad_phone": lambda: _("số điện thoại không hợp lệ: %(value)s", value=p.get("value")),
        "duplicate": lambda: _("trùng với dòng %(line)s trong tệp", line=p.get("first_line")),
        "not_a_learner": lambda: _("tài khoản %(value)s đã có và không phải học viên", value=p.get("value")),
        "empty": lambda: _("tệp không có dòng dữ liệu nào"),
        "username_taken": lambda: _("tên đăng nhập %(value)s đã có người dùng: hãy chọn tên khác", value=p.get("value")),
        "email_taken": lambda: _("email %(value)s đã thuộc một tài khoản khác", value=p.get("value")),
        "locked": lambda: _("tài khoản %(value)s đang bị khóa: đã ghi danh nhưng chưa đăng nhập được cho đến khi "
                            "được mở khóa ở trang Tài khoản", value=p.get("value")),
        "name_kept": lambda: _("tài khoản đã có mang tên «%(kept)s», khác tên trong tệp «%(value)s»: giữ tên của "
                               "tài khoản", kept=p.get("kept"), value=p.get("value")),
    }
    return messages.get(error.code, lambda: error.code)()


def field_error(error: RowError) -> str:
    """The same explanation standing alone under a form's field: a sentence, so it starts with a capital."""
    message = row_error_message(error)
    return message[:1].upper() + message[1:]
