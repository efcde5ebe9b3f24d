"""The administrators' form for a new API token."""
from uuid import uuid4

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length, ValidationError

from lms.forms import Form

DAYS = (30, 90, 180, 365)


class ApiTokenForm(Form):
    """Name a token, give it scopes and a lifetime."""

    name = StringField(_l("Tên gợi nhớ"), validators=[DataRequired(), Length(max=100)],
                       description=_l("Ví dụ: Đồng bộ hồ sơ cán bộ — Ban Tổ chức Thành ủy"))
    read = BooleanField(_l("Đọc (read): lớp, lịch, học viên, điểm, bảng điểm, văn bản, thống kê câu hỏi"))
    enrol = BooleanField(_l("Ghi danh (enrol): ghi danh học viên vào lớp, gia hạn cho học viên"))
    once = HiddenField(default=lambda: uuid4().hex)  # this form's one token: a reload of the answer makes no second
    days = SelectField(_l("Hết hạn sau"), coerce=int, default=90,
                       choices=[SelectChoice(d, _l("%(n)s ngày", n=d)) for d in DAYS])

    def validate_enrol(self, field):
        """At least one scope."""
        if not field.data and not self.read.data:
            raise ValidationError(_l("Chọn ít nhất một quyền."))

    @property
    def scopes(self) -> list[str]:
        """The scopes ticked."""
        return [name for name in ("read", "enrol") if getattr(self, name).data]
