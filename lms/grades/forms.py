"""Instructors' grade forms."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DecimalField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange
from wtforms.widgets import TextInput


class LocalDecimalField(DecimalField):
    """A decimal typed as text, so the Vietnamese comma (7,5) works in every browser."""

    widget = TextInput()

    def process_formdata(self, valuelist):
        """Read 7,5 as 7.5."""
        super().process_formdata([v.replace(",", ".").strip() for v in valuelist])


class OverrideForm(FlaskForm):
    """Set a module grade by hand; the reason is mandatory."""

    score = LocalDecimalField(_l("Điểm mới (thang 10)"), places=1, validators=[
        InputRequired(_l("Nhập điểm từ 0 đến 10.")), NumberRange(0, 10, _l("Điểm phải từ 0 đến 10."))],
        render_kw={"inputmode": "decimal"})
    reason = TextAreaField(_l("Lý do điều chỉnh"), validators=[DataRequired(_l("Phải ghi lý do điều chỉnh.")),
                                                               Length(max=2000)])


class ClearOverrideForm(FlaskForm):
    """Return to the computed grade, with a reason."""

    reason = TextAreaField(_l("Lý do bỏ điều chỉnh"), validators=[DataRequired(_l("Phải ghi lý do.")), Length(max=2000)])
