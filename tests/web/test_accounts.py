"""Administrators' accounts page: staff accounts made in the browser, roles swapped, accounts filtered and counted."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from lms.auth.passwords import verify_password
from lms.extensions import db
from lms.models import AuditEvent, Enrolment, Role, User
from tests.conftest import csrf_token, sign_in

NEW = "/admin/users/new"
STAFF = {"username": "gv.lan", "full_name": "Phạm Thị Lan", "role": "instructor", "email": "lan.pt@example.vn",
         "phone": "0912 345 678"}


@pytest.fixture
def admin(login_as):
    return login_as(Role.ADMIN)


def create(client, **overrides):
    return client.post(NEW, data={**STAFF, **overrides, "csrf_token": csrf_token(client, NEW)})


def shown_password(html: str) -> str:
    match = re.search(r"<code>([a-z0-9]{12})</code>", html)
    assert match, html
    return match.group(1)


def test_an_instructor_made_in_the_browser_must_change_the_password_at_first_sign_in(admin, app):
    response = create(admin)
    assert response.status_code == 200
    password = shown_password(response.get_data(as_text=True))
    user = db.session.scalar(select(User).filter_by(username="gv.lan"))
    assert (user.role, user.email, user.phone, user.must_change_password) == (
        Role.INSTRUCTOR, "lan.pt@example.vn", "0912 345 678", True)
    person = app.test_client()
    assert sign_in(person, "gv.lan", password).status_code == 302
    blocked = person.get("/instructor/")
    assert blocked.status_code == 302 and blocked.headers["Location"].startswith("/account/password")
    path = blocked.headers["Location"]
    changed = person.post(path, data={"csrf_token": csrf_token(person, path), "current": password,
                                      "new": "mat-khau-rieng-2026", "confirm": "mat-khau-rieng-2026"})
    assert changed.status_code == 302
    assert person.get("/instructor/").status_code == 200
    again = app.test_client()
    assert sign_in(again, "gv.lan", "mat-khau-rieng-2026").status_code == 302


def test_an_administrator_can_be_made_too(admin):
    shown_password(create(admin, username="qt.hai", role="admin", email="", phone="").get_data(as_text=True))
    user = db.session.scalar(select(User).filter_by(username="qt.hai"))
    assert user.role == Role.ADMIN and user.email is None and user.phone is None


def test_the_password_is_shown_once_never_stored_nor_audited_in_clear(admin):
    response = create(admin)
    html = response.get_data(as_text=True)
    password = shown_password(html)
    assert "trao riêng" in html and "không hiển thị lại" in html
    assert response.headers["Cache-Control"] == "no-store"
    user = db.session.scalar(select(User).filter_by(username="gv.lan"))
    assert password not in user.password_hash and verify_password(user.password_hash, password)
    event = db.session.scalar(select(AuditEvent).filter_by(action="user.created"))
    assert event.actor_id == admin.user.id and event.target_id == str(user.id)
    assert event.details == {"username": "gv.lan", "role": "instructor"}
    for path in (NEW, "/admin/users", "/admin/users?q=gv.lan"):
        assert password not in admin.get(path).get_data(as_text=True), path
    resent = create(admin)  # a new form with the same username: no second account, no password
    assert resent.status_code == 400 and password not in resent.get_data(as_text=True)
    assert db.session.scalar(select(AuditEvent).filter_by(action="user.created", target_id=str(user.id))) is not None
    assert len(db.session.scalars(select(User).filter_by(full_name="Phạm Thị Lan")).all()) == 1


def filled_form(client) -> dict:
    """The new-account form as the browser sends it: its CSRF token and its one id (`once`), with STAFF typed in."""
    html = client.get(NEW).get_data(as_text=True)
    hidden = dict(re.findall(r'<input id="\w+" name="(\w+)" type="hidden" value="([^"]*)">', html))
    assert hidden.get("once") and hidden.get("csrf_token"), html
    return {**STAFF, **hidden}


def test_reloading_the_answer_says_the_account_was_made_and_offers_a_reset_not_a_refusal(admin):
    form = filled_form(admin)
    password = shown_password(admin.post(NEW, data=form).get_data(as_text=True))
    user = db.session.scalar(select(User).filter_by(username="gv.lan"))
    again = admin.post(NEW, data=form)  # the browser's reload of the answer sends the very same form
    html = again.get_data(as_text=True)
    assert again.status_code == 200 and password not in html and "<code>" not in html
    assert "Tài khoản đã được tạo" in html and "đã có người dùng" not in html
    assert "Phạm Thị Lan" in html and "gv.lan" in html and "Giảng viên" in html
    assert "chỉ hiển thị một lần" in html
    reset = f'href="/admin/users/{user.id}/reset-password"'
    assert reset in html
    assert "Đặt lại mật khẩu cho Phạm Thị Lan?" in admin.get(f"/admin/users/{user.id}/reset-password").get_data(
        as_text=True)  # the reset still asks first
    assert len(db.session.scalars(select(User).filter_by(full_name="Phạm Thị Lan")).all()) == 1
    assert len(db.session.scalars(select(AuditEvent).filter_by(action="user.created")).all()) == 1
    with admin.session_transaction() as stored:
        assert password not in repr(dict(stored))


def test_a_new_form_or_the_same_form_sent_back_with_another_username_is_a_new_account(admin):
    form = filled_form(admin)
    assert admin.post(NEW, data=form).status_code == 200
    taken = admin.post(NEW, data=filled_form(admin))  # a new form typing the same username is still refused
    assert taken.status_code == 400 and "Tên đăng nhập gv.lan đã có người dùng" in taken.get_data(as_text=True)
    other = admin.post(NEW, data={**form, "username": "gv.mai", "email": ""})  # back, corrected, sent again
    assert other.status_code == 200 and "Đã tạo tài khoản" in other.get_data(as_text=True)
    assert db.session.scalar(select(User).filter_by(username="gv.mai")) is not None


@pytest.mark.parametrize("role", [Role.LEARNER, Role.INSTRUCTOR])
def test_learners_and_instructors_cannot_create_accounts(login_as, role):
    client = login_as(role)
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, data={**STAFF, "csrf_token": csrf_token(client, "/account/password")}).status_code == 403
    assert db.session.scalar(select(User).filter_by(username="gv.lan")) is None


@pytest.mark.parametrize(("taken", "typed", "field_message"), [
    ({"username": "gv.lan"}, {"username": "GV.Lan"}, "Tên đăng nhập gv.lan đã có người dùng"),
    ({"username": "khac", "email": "lan.pt@example.vn"}, {"email": "Lan.PT@example.vn"},
     "Email lan.pt@example.vn đã thuộc một tài khoản khác"),
])
def test_a_taken_username_or_email_is_said_beside_its_field_with_what_was_typed_kept(admin, make_user, taken, typed,
                                                                                      field_message):
    make_user(Role.LEARNER, **taken)
    response = create(admin, **typed)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert field_message in html
    assert 'value="Phạm Thị Lan"' in html and 'value="0912 345 678"' in html
    assert f'value="{typed.get("username", STAFF["username"])}"' in html
    assert db.session.scalar(select(User).filter_by(full_name="Phạm Thị Lan")) is None


@pytest.mark.parametrize(("typed", "message"), [
    ({"username": "Có Dấu"}, "Tên đăng nhập không hợp lệ"),
    ({"username": ""}, "Mục này chưa được điền."),
    ({"email": "lan@"}, "Email không hợp lệ"),
    ({"phone": "gọi em"}, "Số điện thoại không hợp lệ"),
    ({"role": "learner"}, "Lựa chọn không hợp lệ."),  # learners come from rosters, not from this form
])
def test_bad_fields_are_refused_with_the_same_rules_as_the_roster(admin, typed, message):
    response = create(admin, **typed)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(User).filter_by(full_name="Phạm Thị Lan")) is None


def test_every_problem_of_the_form_is_said_at_once(admin, make_user):
    make_user(Role.INSTRUCTOR, username="da-co")
    html = create(admin, full_name="", username="da-co", email="khong-phai-email", phone="12ab").get_data(as_text=True)
    assert all(message in html for message in ("Mục này chưa được điền.", "Tên đăng nhập da-co đã có người dùng",
                                               "Email không hợp lệ", "Số điện thoại không hợp lệ"))


def test_a_role_is_changed_after_confirmation_and_audited(admin, make_user):
    lan = make_user(Role.INSTRUCTOR, full_name="Phạm Thị Lan")
    path = f"/admin/users/{lan.id}/role"
    page = admin.get(path).get_data(as_text=True)
    assert "từ Giảng viên thành Quản trị viên" in page
    assert db.session.get(User, lan.id).role == Role.INSTRUCTOR  # asking changes nothing
    assert admin.post(path, data={"csrf_token": csrf_token(admin, path)}).status_code == 302
    assert db.session.get(User, lan.id).role == Role.ADMIN
    assert "từ Quản trị viên thành Giảng viên" in admin.get(path).get_data(as_text=True)
    admin.post(path, data={"csrf_token": csrf_token(admin, path)})
    assert db.session.get(User, lan.id).role == Role.INSTRUCTOR
    events = db.session.scalars(select(AuditEvent).filter_by(action="user.role_changed").order_by(AuditEvent.id))
    assert [(e.details["old"], e.details["new"]) for e in events] == [("instructor", "admin"), ("admin", "instructor")]


def test_an_administrator_cannot_demote_themself(admin):
    path = f"/admin/users/{admin.user.id}/role"
    for response in (admin.get(path), admin.post(path, data={"csrf_token": csrf_token(admin, "/admin/users")})):
        assert response.status_code == 403
        assert "không tự đổi vai trò của mình" in response.get_data(as_text=True)
    assert db.session.get(User, admin.user.id).role == Role.ADMIN
    assert db.session.scalar(select(AuditEvent).filter_by(action="user.role_changed")) is None


def test_learners_are_not_made_staff_here(admin, make_user):
    learner = make_user(Role.LEARNER)
    path = f"/admin/users/{learner.id}/role"
    for response in (admin.get(path), admin.post(path, data={"csrf_token": csrf_token(admin, "/admin/users")})):
        assert response.status_code == 403 and "học viên được ghi danh theo danh sách lớp" in response.get_data(
            as_text=True)
    assert db.session.get(User, learner.id).role == Role.LEARNER


# The list: filters, count, empty state, a fixed number of queries ---------------------------------------------

@pytest.fixture
def people(admin, make_user, make_cohort):
    """Learners in two cohorts and communes, one of them locked, an instructor; and the administrator."""
    hoa = make_user(Role.LEARNER, username="hoa", full_name="Lê Thị Hoa", commune="Phường Đống Đa")
    binh = make_user(Role.LEARNER, username="binh", full_name="Trần Văn Bình", commune="Xã Sóc Sơn")
    cuong = make_user(Role.LEARNER, username="cuong", full_name="Ngô Văn Cường")  # a commune only on his enrolment
    cuong.is_active_account = False
    gv = make_user(Role.INSTRUCTOR, username="gv", full_name="Giảng Viên Một")
    first = make_cohort(name="Lớp A", learners=[hoa, binh])
    second = make_cohort(name="Lớp B", learners=[cuong], commune="Phường Ba Đình")
    return {"hoa": hoa, "binh": binh, "cuong": cuong, "gv": gv, "first": first, "second": second}


def names(client, query: str) -> set[str]:
    html = client.get(f"/admin/users?{query}").get_data(as_text=True)
    return {name for name in ("Lê Thị Hoa", "Trần Văn Bình", "Ngô Văn Cường", "Giảng Viên Một") if name in html}


def test_each_filter_narrows_the_accounts(admin, people):
    assert names(admin, "") == {"Lê Thị Hoa", "Trần Văn Bình", "Ngô Văn Cường", "Giảng Viên Một"}
    assert names(admin, "role=instructor") == {"Giảng Viên Một"}
    assert names(admin, f"cohort={people['first'].id}") == {"Lê Thị Hoa", "Trần Văn Bình"}
    assert names(admin, f"cohort={people['second'].id}") == {"Ngô Văn Cường"}
    assert names(admin, "commune=Phường Đống Đa") == {"Lê Thị Hoa"}  # the account's own commune
    assert names(admin, "commune=Phường Ba Đình") == {"Ngô Văn Cường", "Lê Thị Hoa", "Trần Văn Bình"}  # enrolments
    assert names(admin, "status=locked") == {"Ngô Văn Cường"}
    assert names(admin, "status=active") == {"Lê Thị Hoa", "Trần Văn Bình", "Giảng Viên Một"}
    assert names(admin, f"cohort={people['first'].id}&q=binh&status=active") == {"Trần Văn Bình"}
    assert names(admin, "role=bogus&cohort=abc&status=x") == names(admin, "")  # unknown values filter nothing


def test_the_commune_menu_lists_every_commune_in_vietnamese_order(admin, people):
    html = admin.get("/admin/users").get_data(as_text=True)
    menu = html[html.index('name="commune"'):]
    menu = menu[:menu.index("</select>")]
    assert re.findall(r'<option value="([^"]+)"', menu) == ["Phường Ba Đình", "Phường Đống Đa", "Xã Sóc Sơn"]
    assert '<option value="Xã Sóc Sơn" selected>' in admin.get("/admin/users?commune=Xã Sóc Sơn").get_data(as_text=True)


def test_the_page_counts_the_accounts_found_and_says_when_none_match(admin, people):
    assert "5 tài khoản" in admin.get("/admin/users").get_data(as_text=True)  # with the administrator
    assert "2 tài khoản" in admin.get(f"/admin/users?cohort={people['first'].id}").get_data(as_text=True)
    html = admin.get("/admin/users?q=khong-ai-ca").get_data(as_text=True)
    assert "Không có tài khoản phù hợp." in html and "tài khoản</caption>" not in html


def test_the_filters_are_kept_in_the_page_links(admin, make_user, make_cohort, app):
    learners = [make_user(Role.LEARNER, full_name=f"Học viên {n:02d}") for n in range(app.config["PAGE_SIZE"] + 2)]
    cohort = make_cohort(learners=learners, commune="Phường Láng")
    html = admin.get(f"/admin/users?role=learner&cohort={cohort.id}&commune=Phường Láng&status=active").get_data(
        as_text=True)
    assert f"{len(learners)} tài khoản" in html
    link = re.search(r'href="([^"]+)" rel="next"', html).group(1).replace("&amp;", "&")
    for part in ("role=learner", f"cohort={cohort.id}", "status=active", "page=2", "commune=Ph"):
        assert part in link, link
    assert "Học viên 26" in admin.get(link).get_data(as_text=True)


def test_the_accounts_page_costs_the_same_queries_for_3_accounts_or_60(admin, make_user, make_cohort, count_queries,
                                                                      now):
    def cost() -> int:
        url = "/admin/users?role=learner&status=active&commune=Phường Láng"
        admin.get(url)  # warm up
        with count_queries() as statements:
            assert admin.get(url).status_code == 200
        return statements()

    cohort = make_cohort(learners=[make_user(Role.LEARNER) for _ in range(3)], commune="Phường Láng")
    small = cost()
    for n in range(57):
        user = make_user(Role.LEARNER, commune=f"Xã {n}")
        db.session.add(Enrolment(cohort=cohort, user=user, commune="Phường Láng", enrolled_at=now))
    make_cohort(learners=[make_user(Role.LEARNER) for _ in range(5)])
    db.session.commit()
    assert cost() == small


def test_accounts_and_a_cohorts_learners_are_listed_in_vietnamese_order(admin, make_user, make_cohort):
    names = ["Vũ Văn An", "Đặng Thị Bình", "Nguyễn Văn Cường", "Ngô Thị Dung", "Đỗ Văn Em", "Lê Văn Học",
             "Lê Đức Cường"]
    people = [make_user(Role.LEARNER, full_name=name) for name in names]
    cohort = make_cohort(learners=people, commune="Xã Sóc Sơn")
    expected = ["Đặng Thị Bình", "Đỗ Văn Em", "Lê Đức Cường", "Lê Văn Học", "Ngô Thị Dung", "Nguyễn Văn Cường",
                "Vũ Văn An"]  # đ after d, ô before u: code-point order put Đặng and Đỗ after Vũ, Ngô after Nguyễn
    for page in (admin.get("/admin/users?role=learner"), admin.get(f"/admin/cohorts/{cohort.id}")):
        html = page.get_data(as_text=True)
        assert sorted(expected, key=html.index) == expected
