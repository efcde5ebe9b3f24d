"""Administrators' forms."""
from uuid import uuid4

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, DateField, HiddenField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from lms.admin.audit_queries import AuditFilters
from lms.admin.audit_wording import ACTIONS, TARGET_TYPES
from lms.forms import Form
from lms.models import Role

FIRST_YEAR, LAST_YEAR = 2000, 2100  # a typed date outside these is a mistake (and 9999-12-31 has no next day)


def check_year(field) -> None:
    """Refuse a date whose year no course or log entry can have."""
    if field.data and not FIRST_YEAR <= field.data.year <= LAST_YEAR:
        raise ValidationError(_l("Năm phải từ %(first)s đến %(last)s.", first=FIRST_YEAR, last=LAST_YEAR))


class CohortForm(Form):
    """Create a cohort."""

    name = StringField(_l("Tên lớp"), validators=[DataRequired(), Length(max=200)],
                       description=_l("Ví dụ: Lớp bồi dưỡng Bí thư Đảng ủy xã, phường — khóa 2026"))
    starts_on = DateField(_l("Ngày khai giảng"), validators=[Optional()])
    ends_on = DateField(_l("Ngày kết thúc"), validators=[Optional()])

    def validate_starts_on(self, field):
        """A year a course can run in (a typed 0026 or 9999 is a slip)."""
        check_year(field)

    def validate_ends_on(self, field):
        """A year a course can run in, not before the start (a one-day course ends the day it starts)."""
        check_year(field)
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError(_l("Ngày kết thúc không được trước ngày khai giảng."))


class AssignInstructorForm(Form):
    """Pick an instructor: to teach a cohort, or to author a module."""

    instructor_id = SelectField(_l("Giảng viên"), coerce=int, validators=[DataRequired()])


class EnrolLearnerForm(Form):
    """Enrol one learner by hand."""

    full_name = StringField(_l("Họ và tên"), validators=[DataRequired(), Length(max=200)])
    identifier = StringField(_l("Tên đăng nhập hoặc email"), validators=[DataRequired(), Length(max=254)],
                             render_kw={"autocapitalize": "none"})
    commune = StringField(_l("Xã, phường"), validators=[DataRequired(), Length(max=200)])
    phone = StringField(_l("Số điện thoại (không bắt buộc)"), validators=[Optional(), Length(max=32)],
                        render_kw={"inputmode": "tel"})


class RosterUploadForm(Form):
    """Enrol learners from a CSV or XLSX file."""

    file = FileField(_l("Tệp danh sách (CSV hoặc XLSX)"),
                     validators=[FileRequired(_l("Vui lòng chọn tệp.")),
                                 FileAllowed(["csv", "xlsx"], _l("Chỉ nhận tệp .csv hoặc .xlsx."))])


class StaffAccountForm(Form):
    """Create an instructor's or an administrator's account (learners come from rosters)."""

    username = StringField(_l("Tên đăng nhập"), validators=[DataRequired(), Length(max=64)],
                           description=_l("3–64 ký tự: chữ thường không dấu, số, dấu . _ -"),
                           render_kw={"autocapitalize": "none", "autocomplete": "off"})
    full_name = StringField(_l("Họ và tên"), validators=[DataRequired(), Length(max=200)])
    role = SelectField(_l("Vai trò"), choices=[SelectChoice(Role.INSTRUCTOR.value, _l("Giảng viên")),
                                               SelectChoice(Role.ADMIN.value, _l("Quản trị viên"))],
                       validators=[DataRequired()])
    email = StringField(_l("Email (không bắt buộc)"), validators=[Optional(), Length(max=254)],
                        render_kw={"autocapitalize": "none", "inputmode": "email"})
    phone = StringField(_l("Số điện thoại (không bắt buộc)"), validators=[Optional(), Length(max=32)],
                        render_kw={"inputmode": "tel"})
    # this form's one id: the session remembers the account its submission made, so that the browser's reload of
    # the answer (which posts the same form again) is told so, not "username taken"
    once = HiddenField(default=lambda: uuid4().hex)


def _choices(labels: dict) -> list[SelectChoice]:
    """"All", then each code with its label."""
    return [SelectChoice("", _l("Tất cả")), *(SelectChoice(code, label) for code, label in labels.items())]


class AuditFilterForm(Form):
    """The audit log's filters, read from the query string (a GET form: nothing to forge, so no CSRF token)."""

    class Meta:
        csrf = False

    action = SelectField(_l("Thao tác"), choices=_choices(ACTIONS), default="")
    actor = StringField(_l("Người thực hiện"), validators=[Optional(), Length(max=200)],
                        description=_l("Họ tên hoặc tên đăng nhập, gõ có dấu hay không dấu đều được"))
    target_type = SelectField(_l("Loại đối tượng"), choices=_choices(TARGET_TYPES), default="")
    date_from = DateField(_l("Từ ngày"), validators=[Optional()])
    date_to = DateField(_l("Đến ngày"), validators=[Optional()])
    api_calls = BooleanField(_l("Gồm cả các lượt gọi API"),
                             description=_l("Mỗi lượt một hệ thống khác gọi API đều được ghi; mặc định chúng được ẩn"))

    def validate_date_from(self, field):
        """A year the log can hold."""
        check_year(field)

    def validate_date_to(self, field):
        """A year the log can hold, not before the start date."""
        check_year(field)
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("\"Đến ngày\" không được trước \"Từ ngày\"."))

    def filters(self) -> AuditFilters:
        """The validated filters."""
        return AuditFilters(action=self.action.data or "", actor=(self.actor.data or "").strip(),
                            target_type=self.target_type.data or "", date_from=self.date_from.data,
                            date_to=self.date_to.data, api_calls=bool(self.api_calls.data))
