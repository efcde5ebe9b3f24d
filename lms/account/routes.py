"""One's own account: who one is in the course, the e-mail address (confirmed from its mailbox) and phone."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.account import services
from lms.account.forms import ContactForm
from lms.auth.access import login_required
from lms.auth.forms import EmptyForm
from lms.cohorts.queries import current_enrolment
from lms.database import utcnow
from lms.template_labels import field_error

bp = Blueprint("account", __name__, url_prefix="/account", template_folder="templates")

REFUSALS = {
    "invalid": lambda: _("Liên kết xác nhận không đúng (có thể bị cắt khi sao chép)."),
    "expired": lambda: _("Liên kết xác nhận đã quá %(h)s giờ. Hãy nhập lại địa chỉ email để nhận liên kết mới.",
                         h=services.CONFIRM_HOURS),
    "spent": lambda: _("Liên kết này đã dùng rồi, hoặc địa chỉ email của tài khoản đã đổi sau khi gửi liên kết."),
    "taken": lambda: _("Địa chỉ này nay đã thuộc một tài khoản khác."),
}


def _page(form: ContactForm, status: int = 200):
    enrolment = current_enrolment(current_user.id)
    return render_template("account/profile.html", form=form, enrolment=enrolment,
                           cohort=enrolment.cohort if enrolment else None), status


@bp.route("/", methods=["GET", "POST"])
@login_required
def profile():
    """Who one is in the course; change the e-mail address (after confirming it) and the phone number."""
    form = ContactForm(obj=current_user)
    if not form.validate_on_submit():
        return _page(form, 400 if form.errors else 200)
    (email, email_problem), (phone, phone_problem) = (services.email_problems(current_user, form.email.data),
                                                      services.phone_problems(form.phone.data))
    for field, problem in ((form.email, email_problem), (form.phone, phone_problem)):
        if problem is not None:
            field.errors.append(field_error(problem))
    if form.errors:
        return _page(form, 400)
    now = utcnow()
    changed = services.change_phone(current_user, phone, now)
    if not email and current_user.email:
        services.remove_email(current_user, now)
        flash(_("Đã bỏ địa chỉ email: thông báo chỉ còn trong ứng dụng."), "info")
    elif email and email != (current_user.email or "").lower():
        services.request_email_change(current_user, email, request.host_url.rstrip("/"), now)
        flash(_("Đã gửi thư xác nhận tới %(e)s. Địa chỉ mới có hiệu lực khi đồng chí bấm liên kết trong thư "
                "(trong %(h)s giờ).", e=email, h=services.CONFIRM_HOURS), "info")
    if changed:
        flash(_("Đã lưu số điện thoại."), "success")
    return redirect(url_for("account.profile"))


@bp.route("/email/<confirmation>", methods=["GET", "POST"])
def confirm_email(confirmation: str):
    """The link sent to a new address: shown first (a mail scanner's visit changes nothing), used on the button."""
    form = EmptyForm()
    try:
        user, address = services.read_confirmation(confirmation)
        if form.validate_on_submit():
            services.confirm_email(confirmation, utcnow())
            flash(_("Đã xác nhận: thông báo sẽ gửi tới %(e)s.", e=address), "success")
            return redirect(url_for("account.profile") if current_user.is_authenticated else url_for("auth.login"))
    except services.ConfirmationError as error:
        return render_template("account/confirm_email.html", refusal=REFUSALS[error.code]()), 400
    return render_template("account/confirm_email.html", form=form, user=user, address=address)
