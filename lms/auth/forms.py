"""Sign-in and password forms."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from lms.auth.passwords import MIN_LENGTH
from lms.forms import Form


class LoginForm(Form):
    """Sign in by username or e-mail."""

    identifier = StringField(_l("Tên đăng nhập hoặc email"), validators=[DataRequired(), Length(max=254)],
                             render_kw={"autocomplete": "username", "autocapitalize": "none"})
    password = PasswordField(_l("Mật khẩu"), validators=[DataRequired(), Length(max=512)],
                             render_kw={"autocomplete": "current-password"})
    remember = BooleanField(_l("Ghi nhớ đăng nhập trên thiết bị này"))


class ChangePasswordForm(Form):
    """Change one's own password."""

    current = PasswordField(_l("Mật khẩu hiện tại"), validators=[DataRequired()],
                            render_kw={"autocomplete": "current-password"})
    new = PasswordField(_l("Mật khẩu mới"), validators=[DataRequired(), Length(min=MIN_LENGTH, max=512)],
                        render_kw={"autocomplete": "new-password"})
    confirm = PasswordField(_l("Nhập lại mật khẩu mới"),
                            validators=[DataRequired(), EqualTo("new", message=_l("Hai mật khẩu không khớp."))],
                            render_kw={"autocomplete": "new-password"})

    def validate_new(self, field):
        """A new password, not the current one again (a temporary one would stay known to whoever handed it out)."""
        if field.data and field.data == self.current.data:
            raise ValidationError(_l("Mật khẩu mới phải khác mật khẩu hiện tại."))


class EmptyForm(Form):
    """A form with only the CSRF token, for POST buttons."""
