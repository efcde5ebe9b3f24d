"""The schedule's problems in words, in the current language (the schedule page and the API say the same)."""
from __future__ import annotations

from flask_babel import gettext as _

PROBLEMS = {
    "due_before_open": lambda: _("hạn nộp trước ngày mở"),
    "close_before_due": lambda: _("ngày đóng trước hạn nộp"),
    "close_before_open": lambda: _("ngày đóng không sau ngày mở"),
    "bad_date": lambda: _("ngày giờ không hợp lệ (dạng 2027-03-01T07:00)"),
    "reason_missing": lambda: _("cần ghi lý do gia hạn"),
    "reason_too_long": lambda: _("lý do dài quá 2.000 ký tự"),
    "no_learner": lambda: _("học viên không thuộc lớp này"),
    "no_item": lambda: _("chưa chọn chuyên đề"),
    "no_dates": lambda: _("chưa nhập hạn nộp mới hay ngày đóng mới"),
}
