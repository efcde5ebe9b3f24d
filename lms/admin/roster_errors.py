"""Human messages for the problems of roster rows and of accounts typed in, in the current language."""
from __future__ import annotations

from flask_babel import gettext as _

from lms.cohorts.roster_files import RosterFileError
from lms.template_labels import row_error_message

__all__ = ["field_label", "file_error_message", "row_error_message"]


def field_label(name: str) -> str:
    """The translated name of a roster column."""
    return {"full_name": _("Họ và tên"), "identifier": _("Tên đăng nhập hoặc email"), "commune": _("Xã, phường"),
            "phone": _("Số điện thoại"), "file": _("Tệp")}.get(name, name)


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
