"""Human messages for the problems of roster rows and of accounts typed in, in the current language."""
from __future__ import annotations

from flask_babel import gettext as _

from lms.cohorts.roster_files import RosterFileError
from lms.domain.roster import RowError


def field_label(name: str) -> str:
    """The translated name of a roster column."""
    return {"full_name": _("Họ và tên"), "identifier": _("Tên đăng nhập hoặc email"), "commune": _("Xã, phường"),
            "phone": _("Số điện thoại"), "file": _("Tệp")}.get(name, name)


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


def file_error_message(error: RosterFileError) -> str:
    """Explain why a roster file could not be read at all."""
    messages = {
        "file_type": lambda: _("Chỉ nhận tệp .csv hoặc .xlsx."),
        "encoding": lambda: _("Tệp CSV phải được lưu với bảng mã UTF-8."),
        "unreadable": lambda: _("Không đọc được tệp XLSX. Tệp có thể bị hỏng."),
        "empty": lambda: _("Tệp trống."),
        "missing_columns": lambda: _("Tệp thiếu cột bắt buộc: %(columns)s. Dòng đầu phải là tiêu đề: "
                                     "Họ và tên, Tên đăng nhập hoặc email, Xã, phường, Số điện thoại.",
                                     columns=", ".join(field_label(name) for name in error.params.get("columns", ()))),
        "too_many_rows": lambda: _("Tệp có quá %(max)s dòng.", max=error.params.get("max")),
    }
    return messages.get(error.code, lambda: error.code)()
