"""Instructors' grade forms."""
from flask_babel import lazy_gettext as _l
from wtforms import DecimalField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, StopValidation
from wtforms.widgets import TextInput

from lms.forms import Form

NOT_A_NUMBER = "Not a valid decimal value."  # WTForms' own message, which lms.forms words in our languages


class LocalDecimalField(DecimalField):
    """A decimal typed as text, so the Vietnamese comma (7,5) works in every browser."""

    widget = TextInput()

    def process_formdata(self, valuelist):
        """Read 7,5 as 7.5; NaN, sNaN and Infinity are not numbers either (sNaN failed the range check with a 500)."""
        typed = [v.replace(",", ".").strip() for v in valuelist]
        if not typed or not typed[0]:
            self.data = None  # nothing typed: the required check says so
            return
        super().process_formdata(typed)
        if self.data is not None and not self.data.is_finite():
            self.data = None
            raise ValueError(self.gettext(NOT_A_NUMBER))

    def pre_validate(self, form):
        """What was typed is not a number: say that once, without the range message as well."""
        if self.process_errors:
            raise StopValidation()


class OverrideForm(Form):
    """Set a module grade by hand; the reason is mandatory."""

    score = LocalDecimalField(_l("Điểm mới (thang 10)"), places=1, validators=[
        InputRequired(_l("Nhập điểm từ 0 đến 10.")), NumberRange(0, 10, _l("Điểm phải từ 0 đến 10."))],
        render_kw={"inputmode": "decimal"})
    reason = TextAreaField(_l("Lý do điều chỉnh"), validators=[DataRequired(_l("Phải ghi lý do điều chỉnh.")),
                                                               Length(max=2000)])


class ClearOverrideForm(Form):
    """Return to the computed grade, with a reason."""

    reason = TextAreaField(_l("Lý do bỏ điều chỉnh"), validators=[DataRequired(_l("Phải ghi lý do.")), Length(max=2000)])
