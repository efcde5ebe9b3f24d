"""One's own account's form."""
from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import Length, Optional

from lms.forms import Form


class ContactForm(Form):
    """The e-mail address notifications go to, and a phone number."""

    email = StringField(_l("Email nhận thông báo"), validators=[Optional(), Length(max=254)],
                        description=_l("Địa chỉ mới có hiệu lực khi đồng chí bấm liên kết xác nhận gửi tới địa chỉ "
                                       "đó. Để trống nếu không muốn nhận email."),
                        render_kw={"autocapitalize": "none", "inputmode": "email", "autocomplete": "email"})
    phone = StringField(_l("Số điện thoại"), validators=[Optional(), Length(max=32)],
                        render_kw={"inputmode": "tel", "autocomplete": "tel"})
