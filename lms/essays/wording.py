"""Why an essay action was refused, in the current language."""
from __future__ import annotations

from flask_babel import gettext as _


def essay_error(error) -> str:
    """A refusal explained to the learner or the grader."""
    code, params = getattr(error, "code", ""), getattr(error, "params", {})
    messages = {
        "not_eligible": lambda: _("Đồng chí nộp bài thu hoạch khi đã đạt tất cả các chuyên đề; còn chưa đạt: "
                                  "%(m)s.", m=params.get("modules", "")),
        "empty_text": lambda: _("Vui lòng viết nội dung bài thu hoạch."),
        "too_long": lambda: _("Bài dài %(n)s ký tự, vượt giới hạn %(limit)s ký tự. Bài chưa được nộp; nội dung "
                              "vẫn còn trong ô soạn thảo.", n=params.get("length", 0), limit=params.get("limit", 0)),
        "too_large": lambda: _("Tệp đính kèm lớn quá %(mb)s MB.", mb=params.get("limit_mb", 4)),
        "wrong_type": lambda: _("Tệp đính kèm phải là PDF hoặc DOCX (Word)."),
        "already_graded": lambda: _("Bài đã được chấm nên không sửa được nữa."),
        "essay_not_open": lambda: _("Bài thu hoạch chưa mở theo lịch của lớp."),
        "essay_closed": lambda: _("Bài thu hoạch đã đóng theo lịch của lớp: không nộp hay sửa được nữa."),
        "conflict": lambda: _("Bài này vừa được giảng viên khác chấm. Hãy tải lại trang."),
    }
    return messages.get(code, lambda: _("Hãy chọn một mức điểm cho mọi tiêu chí."))()
