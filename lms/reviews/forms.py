"""The regrade form: the rubric levels and feedback come as the grading page's own fields; the reason is here."""
from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from lms.forms import Form
from lms.reviews.services import MAX_REASON


class RegradeForm(Form):
    """Correct a graded written answer: why is mandatory (a learner's appeal, a grader's slip)."""

    reason = TextAreaField(_l("Lý do chấm lại"), validators=[
        DataRequired(_l("Phải ghi lý do chấm lại (ví dụ: học viên đề nghị phúc khảo).")), Length(max=MAX_REASON)],
        description=_l("Học viên được báo lý do cùng điểm mới; lý do được ghi vào lịch sử điểm và nhật ký."))
