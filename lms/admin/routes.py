"""Administrators: cohorts, instructors, enrolment and accounts."""
from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from lms.admin import queries, services
from lms.admin.forms import (
    AssignInstructorForm,
    CohortForm,
    EnrolLearnerForm,
    RosterUploadForm,
    StaffAccountForm,
)
from lms.admin.roster_errors import field_label, file_error_message, row_error_message
from lms.auth.access import admin_required
from lms.auth.forms import EmptyForm
from lms.auth.policy import role_change_refusal
from lms.cohorts import queries as cohort_queries
from lms.cohorts import services as cohort_services
from lms.cohorts.roster_files import RosterFileError, read_roster
from lms.cohorts.roster_job import submit_import
from lms.database import utcnow
from lms.domain.accounts import check_staff_account, typed_account
from lms.domain.roster import check_rows
from lms.domain.schedule import cohort_has_ended
from lms.errors import render_error
from lms.extensions import db
from lms.models import Cohort, Enrolment, Module, Role, User
from lms.pagination import db_int
from lms.schedule.services import local_zone
from lms.template_labels import field_error, role_label

bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates")

@bp.context_processor
def _roster_messages():
    return {"field_label": field_label, "row_error_message": row_error_message}


def _instructor_form(assigned: list[User] = ()) -> AssignInstructorForm:
    """The instructor menu, for both showing and validating an assignment; those already assigned are left out."""
    form = AssignInstructorForm()
    taken = {u.id for u in assigned}
    form.instructor_id.choices = [(u.id, f"{u.full_name} ({u.username})") for u in queries.list_instructors()
                                  if u.id not in taken]
    return form


ROSTER_TEMPLATE = 'Họ và tên,Tên đăng nhập hoặc email,"Xã, phường",Số điện thoại\r\n'


@bp.get("/")
@admin_required
def dashboard():
    """Cohorts at a glance: those still running first, those that have ended folded away below."""
    today = utcnow().astimezone(local_zone()).date()
    cohorts = cohort_queries.list_cohorts_for(current_user)
    ended = [(c, n) for c, n in cohorts if cohort_has_ended(c.ends_on, today)]
    return render_template("admin/dashboard.html", cohorts=[row for row in cohorts if row not in ended], ended=ended)


@bp.route("/cohorts/new", methods=["GET", "POST"])
@admin_required
def new_cohort():
    """Open a cohort."""
    form = CohortForm()
    if form.validate_on_submit():
        try:
            cohort = cohort_services.create_cohort(form.name.data, form.starts_on.data, form.ends_on.data,
                                                   current_user, utcnow())
        except cohort_services.CohortNameTaken:
            form.name.errors.append(_("Đã có lớp mang tên này."))
        else:
            flash(_("Đã tạo lớp."), "success")
            return redirect(url_for("admin.cohort", cohort_id=cohort.id))
    return render_template("admin/cohort_form.html", form=form), 400 if form.errors else 200


@bp.route("/cohorts/<int:cohort_id>/edit", methods=["GET", "POST"])
@admin_required
def edit_cohort(cohort_id: int):
    """Correct a cohort's name or dates."""
    cohort = db.get_or_404(Cohort, cohort_id)
    form = CohortForm(obj=cohort)
    if form.validate_on_submit():
        try:
            changed = cohort_services.update_cohort(cohort, form.name.data, form.starts_on.data, form.ends_on.data,
                                                    current_user, utcnow())
        except cohort_services.CohortNameTaken:
            form.name.errors.append(_("Đã có lớp mang tên này."))
        else:
            flash(_("Đã lưu thông tin lớp.") if changed else _("Không có gì thay đổi."), "success")
            return redirect(url_for("admin.cohort", cohort_id=cohort.id))
    return render_template("admin/cohort_form.html", form=form, cohort=cohort,
                           scheduled=cohort_queries.has_schedule(cohort.id)), 400 if form.errors else 200


@bp.get("/cohorts/<int:cohort_id>")
@admin_required
def cohort(cohort_id: int):
    """A cohort: its instructors, learners and enrolment tools."""
    return _cohort_page(db.get_or_404(Cohort, cohort_id), EnrolLearnerForm())


def _cohort_page(cohort: Cohort, enrol: EnrolLearnerForm, status: int = 200):
    """The cohort's page; `enrol` comes back filled, with its errors, when one learner could not be enrolled."""
    page = cohort_queries.paginate_learners(cohort.id, request.args.get("q", ""), request.args.get("commune", ""),
                                            request.args.get("page", 1, type=db_int))
    instructors = cohort_queries.list_cohort_instructors(cohort.id)
    return render_template("admin/cohort.html", cohort=cohort, page=page, assign=_instructor_form(instructors),
                           enrol=enrol, instructors=instructors, communes=cohort_queries.list_communes(cohort.id)), status


@bp.post("/cohorts/<int:cohort_id>/instructors")
@admin_required
def assign_instructor(cohort_id: int):
    """Assign an instructor to the cohort."""
    cohort = db.get_or_404(Cohort, cohort_id)
    form = _instructor_form()
    if not form.validate_on_submit():
        abort(400)
    cohort_services.assign_instructor(cohort, db.get_or_404(User, form.instructor_id.data), current_user, utcnow())
    flash(_("Đã phân công giảng viên."), "success")
    return redirect(url_for("admin.cohort", cohort_id=cohort.id))


@bp.route("/cohorts/<int:cohort_id>/instructors/<int:user_id>/remove", methods=["GET", "POST"])
@admin_required
def remove_instructor(cohort_id: int, user_id: int):
    """Confirm, then remove an instructor from the cohort."""
    cohort, user = db.get_or_404(Cohort, cohort_id), db.get_or_404(User, user_id)
    form = EmptyForm()
    if form.validate_on_submit():
        cohort_services.unassign_instructor(cohort, user, current_user, utcnow())
        flash(_("Đã bỏ phân công giảng viên."), "success")
        return redirect(url_for("admin.cohort", cohort_id=cohort.id))
    return render_template("confirm.html", form=form, cancel=url_for("admin.cohort", cohort_id=cohort.id),
                           question=_("Bỏ phân công giảng viên %(name)s khỏi lớp %(cohort)s?",
                                      name=user.full_name, cohort=cohort.name))


@bp.route("/cohorts/<int:cohort_id>/learners/<int:user_id>/remove", methods=["GET", "POST"])
@admin_required
def remove_learner(cohort_id: int, user_id: int):
    """Confirm, then take a learner enrolled by mistake out of the cohort (refused once they have work in it)."""
    enrolment = db.first_or_404(select(Enrolment).filter_by(cohort_id=cohort_id, user_id=user_id))
    cohort, user = enrolment.cohort, enrolment.user
    form, back = EmptyForm(), url_for("admin.cohort", cohort_id=cohort.id)
    try:
        if form.validate_on_submit():
            cohort_services.remove_learner(cohort, user, current_user, utcnow())
            flash(_("Đã xóa %(name)s khỏi lớp.", name=user.full_name), "success")
            return redirect(back)
    except cohort_services.LearnerHasWork:
        flash(_("%(name)s đã có bài làm, điểm hoặc văn bản trong lớp này nên không xóa khỏi lớp được; nếu cần, hãy "
                "khóa tài khoản ở trang Tài khoản.", name=user.full_name), "error")
        return redirect(back)
    return render_template("confirm.html", form=form, cancel=back,
                           question=_("Xóa %(name)s khỏi lớp %(cohort)s? Tài khoản vẫn giữ; chỉ việc ghi danh vào "
                                      "lớp bị bỏ.", name=user.full_name, cohort=cohort.name))


@bp.get("/modules")
@admin_required
def modules():
    """The 18 modules with their authors, and the form assigning an instructor to author one."""
    assign = _instructor_form()
    return render_template("admin/modules.html", modules=queries.list_module_authors(), assign=assign)


@bp.post("/modules/<int:module_id>/authors")
@admin_required
def assign_author(module_id: int):
    """Assign an instructor to author the module's lessons and cases."""
    module = db.get_or_404(Module, module_id)
    form = _instructor_form()
    if not form.validate_on_submit():
        abort(400)
    services.assign_module_author(module, db.get_or_404(User, form.instructor_id.data), current_user, utcnow())
    flash(_("Đã phân công giảng viên soạn chuyên đề."), "success")
    return redirect(url_for("admin.modules", _anchor=f"module-{module.id}"))


@bp.route("/modules/<int:module_id>/authors/<int:user_id>/remove", methods=["GET", "POST"])
@admin_required
def remove_author(module_id: int, user_id: int):
    """Confirm, then stop an instructor authoring the module."""
    module, user = db.get_or_404(Module, module_id), db.get_or_404(User, user_id)
    form = EmptyForm()
    if form.validate_on_submit():
        services.remove_module_author(module, user, current_user, utcnow())
        flash(_("Đã bỏ phân công soạn chuyên đề."), "success")
        return redirect(url_for("admin.modules", _anchor=f"module-{module.id}"))
    return render_template("confirm.html", form=form, cancel=url_for("admin.modules"),
                           question=_("Thôi phân công %(name)s soạn chuyên đề %(module)s?",
                                      name=user.full_name, module=module.title))


@bp.post("/cohorts/<int:cohort_id>/enrol")
@admin_required
def enrol(cohort_id: int):
    """Enrol one learner, creating the account if needed."""
    cohort = db.get_or_404(Cohort, cohort_id)
    form = EnrolLearnerForm()
    if not form.validate_on_submit():
        return _cohort_page(cohort, form, 400)  # what was typed stays, each mistake under its field
    raw = {"full_name": form.full_name.data, "identifier": form.identifier.data, "commune": form.commune.data,
           "phone": form.phone.data}
    rows, errors = check_rows([(1, raw)])
    errors = errors or cohort_services.roster_conflicts(rows)
    if errors:
        for error in errors:
            getattr(form, error.field).errors.append(field_error(error))
        return _cohort_page(cohort, form, 400)
    return _apply_roster(cohort, [(1, raw)])


@bp.route("/cohorts/<int:cohort_id>/import", methods=["GET", "POST"])
@admin_required
def import_roster(cohort_id: int):
    """Enrol learners from a CSV/XLSX file: all rows or none."""
    cohort = db.get_or_404(Cohort, cohort_id)
    form = RosterUploadForm()
    if form.validate_on_submit():
        upload = form.file.data
        try:
            raw_rows = read_roster(upload.filename or "", upload.read())
        except RosterFileError as error:
            form.file.errors.append(file_error_message(error))
            return render_template("admin/import.html", cohort=cohort, form=form), 400
        rows, errors = check_rows(raw_rows)
        # one report: the file's own problems (duplicates within it included) and rows naming staff accounts
        errors = sorted(errors + cohort_services.roster_conflicts(rows), key=lambda e: e.line)
        if errors:
            return render_template("admin/import_result.html", cohort=cohort, result=None, errors=errors,
                                   form=RosterUploadForm(formdata=None)), 400
        job = submit_import(cohort, rows, current_user, utcnow())
        return redirect(url_for("jobs.show", job_id=job.id), 303)
    return render_template("admin/import.html", cohort=cohort, form=form), 400 if form.errors else 200


def _apply_roster(cohort: Cohort, raw_rows):
    rows, errors = check_rows(raw_rows)
    result = cohort_services.ImportResult(errors=errors) if errors else cohort_services.import_roster(cohort, rows, current_user, utcnow())
    if not result.ok:
        db.session.rollback()
        return render_template("admin/import_result.html", cohort=cohort, result=result, errors=result.errors), 400
    return render_template("admin/import_result.html", cohort=cohort, result=result, errors=[])


@bp.get("/roster-template.csv")
@admin_required
def roster_template():
    """A blank roster file with the expected headings."""
    return Response("\ufeff" + ROSTER_TEMPLATE, mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=danh-sach-hoc-vien.csv"})


@bp.get("/users")
@admin_required
def users():
    """All accounts with their count, searchable and filtered by role, cohort, commune and status."""
    filters = queries.AccountFilters.from_args(request.args)
    page = queries.paginate_users(filters, request.args.get("page", 1, type=db_int))
    return render_template("admin/users.html", page=page, filters=filters, roles=list(Role),
                           cohorts=[c for c, _n in cohort_queries.list_cohorts_for(current_user)],
                           communes=queries.list_all_communes(), statuses=queries.STATUSES)


@bp.route("/users/new", methods=["GET", "POST"])
@admin_required
def new_user():
    """Create an instructor's or administrator's account; its temporary password is shown once, on the answer."""
    form = StaffAccountForm()
    if not form.is_submitted():
        return render_template("admin/user_form.html", form=form)
    made = _account_made_by(form)
    if made is not None:  # the browser's reload of the answer posted this very form again
        return render_template("admin/user_created_before.html", user=made)
    form.validate()
    account, errors = check_staff_account(form.data)
    for error in errors + services.staff_account_conflicts(typed_account(form.data)):
        field = getattr(form, error.field)
        if not field.errors:  # every problem at once, one per field
            field.errors.append(field_error(error))
    if form.errors:  # what was typed stays, each problem under its field
        return render_template("admin/user_form.html", form=form), 400
    user, password = services.create_staff_account(account, Role(form.role.data), current_user, utcnow())
    session[MADE_KEY] = [*session.get(MADE_KEY, [])[-4:], [form.once.data, user.id]]  # never the password
    return _password_page(user, password, created=True)


MADE_KEY = "staff_account_forms"  # [form id, account id] of the last few account forms that made an account


def _account_made_by(form: StaffAccountForm) -> User | None:
    """The account this very form (its one id, the same username) made earlier in this session, if any; a new form,
    or the same one sent back with another username, made none."""
    made = {once: user_id for once, user_id in session.get(MADE_KEY, [])}
    user = db.session.get(User, made[form.once.data]) if form.once.data in made else None
    return user if user is not None and user.username == typed_account(form.data).username else None


def _password_page(user: User, password: str, created: bool = False):
    """The one page that ever shows a temporary password: never cached, never shown again."""
    response = make_response(render_template("admin/password_reset.html", user=user, password=password,
                                             created=created))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/users/<int:staff_id>/role", methods=["GET", "POST"])
@admin_required
def change_role(staff_id: int):
    """Confirm, then make an instructor an administrator or an administrator an instructor (never oneself)."""
    user = db.get_or_404(User, staff_id)
    refusal = role_change_refusal(current_user, user)
    if refusal:
        return render_error(403, _("Quản trị viên không tự đổi vai trò của mình được: hãy nhờ một quản trị viên "
                                   "khác.") if refusal == "own_account" else
                            _("Chỉ đổi được vai trò giữa giảng viên và quản trị viên; học viên được ghi danh theo "
                              "danh sách lớp."))
    form = EmptyForm()
    if form.validate_on_submit():
        role = services.change_role(user, current_user, utcnow())
        flash(_("%(name)s nay là %(role)s.", name=user.full_name, role=role_label(role)), "success")
        return redirect(url_for("admin.users", q=user.username))
    new = Role.ADMIN if user.role == Role.INSTRUCTOR else Role.INSTRUCTOR
    return render_template("confirm.html", form=form, cancel=url_for("admin.users"),
                           question=_("Đổi vai trò của %(name)s (%(username)s) từ %(old)s thành %(new)s?",
                                      name=user.full_name, username=user.username, old=role_label(user.role),
                                      new=role_label(new)))


@bp.route("/users/<int:user_id>/active", methods=["GET", "POST"])
@admin_required
def toggle_active(user_id: int):
    """Confirm, then deactivate or reactivate an account."""
    user = db.get_or_404(User, user_id)
    if user.id == current_user.id:
        abort(403)
    form = EmptyForm()
    if form.validate_on_submit():
        services.set_user_active(user, not user.is_active_account, current_user, utcnow())
        flash(_("Đã cập nhật trạng thái tài khoản."), "success")
        return redirect(url_for("admin.users", q=user.username))
    question = (_("Khóa tài khoản %(name)s? Mọi phiên đăng nhập của tài khoản sẽ kết thúc.", name=user.full_name)
                if user.is_active_account else _("Mở lại tài khoản %(name)s?", name=user.full_name))
    return render_template("confirm.html", form=form, question=question, cancel=url_for("admin.users"))


@bp.route("/users/<int:user_id>/reset-password", methods=["GET", "POST"])
@admin_required
def reset_password(user_id: int):
    """Confirm, then give an account a new temporary password (shown once)."""
    user = db.get_or_404(User, user_id)
    form = EmptyForm()
    if form.validate_on_submit():
        return _password_page(user, services.reset_password(user, current_user, utcnow()))
    return render_template("confirm.html", form=form, cancel=url_for("admin.users"),
                           question=_("Đặt lại mật khẩu cho %(name)s?", name=user.full_name))
