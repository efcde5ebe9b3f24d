"""Signing in and out, session invalidation, throttling, CSRF and headers."""
from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from lms.auth import passwords, services
from lms.extensions import db
from lms.models import LoginFailure, Role, User, UserSession
from tests.conftest import PASSWORD, csrf_token, sign_in

PROTECTED = "/account/password"


def copy_session(source, target) -> None:
    """Give `target` the same session cookie as `source` (a stolen or copied cookie)."""
    target.set_cookie("session", source.get_cookie("session").value)


def test_sign_in_by_username_or_email(client, make_user):
    make_user(Role.LEARNER, username="hocvien1", email="hv1@example.vn")
    assert sign_in(client, "HocVien1").status_code == 302
    assert client.get(PROTECTED).status_code == 200
    other = client.application.test_client()
    assert sign_in(other, "HV1@example.vn").status_code == 302


def test_wrong_password_is_refused_with_a_message(client, make_user):
    make_user(Role.LEARNER, username="hv")
    response = sign_in(client, "hv", "wrong")
    assert response.status_code == 200
    assert "không đúng" in response.get_data(as_text=True)
    assert client.get(PROTECTED).status_code == 302


def test_an_empty_field_is_named_in_the_interfaces_language(client):
    response = client.post("/login", data={"identifier": "", "password": "", "csrf_token": csrf_token(client)})
    html = response.get_data(as_text=True)
    assert "Mục này chưa được điền." in html and "This field is required." not in html
    client.post("/language", data={"lang": "en", "csrf_token": csrf_token(client)})
    response = client.post("/login", data={"identifier": "", "password": "", "csrf_token": csrf_token(client)})
    html = response.get_data(as_text=True)
    assert "This field is required." in html and "Mục này chưa được điền." not in html


def test_unknown_account_is_refused_like_a_wrong_password(client):
    response = sign_in(client, "nobody", "whatever")
    assert response.status_code == 200 and "không đúng" in response.get_data(as_text=True)


def test_sign_out_ends_the_session_even_for_a_copied_cookie(login_as, app):
    client = login_as(Role.LEARNER)
    thief = app.test_client()
    copy_session(client, thief)
    assert thief.get(PROTECTED).status_code == 200
    client.post("/logout", data={"csrf_token": csrf_token(client, PROTECTED)})
    assert client.get(PROTECTED).status_code == 302
    assert thief.get(PROTECTED).status_code == 302


def test_logout_requires_post(login_as):
    client = login_as(Role.LEARNER)
    assert client.get("/logout").status_code == 405
    assert client.get(PROTECTED).status_code == 200


def test_password_change_signs_out_other_devices_but_not_this_one(login_as, app):
    client = login_as(Role.LEARNER)
    phone = app.test_client()
    assert sign_in(phone, client.user.username).status_code == 302
    response = client.post(PROTECTED, data={"current": PASSWORD, "new": "mat-khau-moi-2026", "confirm": "mat-khau-moi-2026",
                                            "csrf_token": csrf_token(client, PROTECTED)})
    assert response.status_code == 302
    assert client.get(PROTECTED).status_code == 200
    assert phone.get(PROTECTED).status_code == 302
    assert sign_in(app.test_client(), client.user.username, "mat-khau-moi-2026").status_code == 302


def test_password_change_with_wrong_current_password_changes_nothing(login_as):
    client = login_as(Role.LEARNER)
    response = client.post(PROTECTED, data={"current": "sai", "new": "mat-khau-moi-2026", "confirm": "mat-khau-moi-2026",
                                            "csrf_token": csrf_token(client, PROTECTED)})
    assert response.status_code == 200 and "không đúng" in response.get_data(as_text=True)
    assert sign_in(client.application.test_client(), client.user.username).status_code == 302


def test_the_new_password_must_differ_from_the_current_one(login_as, make_user):
    """A temporary password handed over by an administrator must not survive its 'change'."""
    user = make_user(Role.LEARNER)
    user.must_change_password = True
    db.session.commit()
    client = login_as(user)
    response = client.post(PROTECTED, data={"current": PASSWORD, "new": PASSWORD, "confirm": PASSWORD,
                                            "csrf_token": csrf_token(client, PROTECTED)})
    assert response.status_code == 200 and "Mật khẩu mới phải khác mật khẩu hiện tại." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, user.id).must_change_password is True


def test_deactivation_ends_sessions_and_blocks_sign_in(login_as, make_user, app, now):
    client = login_as(Role.LEARNER)
    admin = login_as(Role.ADMIN)
    path = f"/admin/users/{client.user.id}/active"
    assert admin.post(path, data={"csrf_token": csrf_token(admin, path)}).status_code == 302
    assert client.get(PROTECTED).status_code == 302
    assert sign_in(app.test_client(), client.user.username).status_code == 200


def test_post_without_csrf_token_is_rejected_and_changes_nothing(login_as):
    client = login_as(Role.LEARNER)
    response = client.post(PROTECTED, data={"current": PASSWORD, "new": "x" * 12, "confirm": "x" * 12})
    assert response.status_code == 400
    assert "Phiên làm việc" in response.get_data(as_text=True)
    assert sign_in(client.application.test_client(), client.user.username).status_code == 302


def test_sign_in_without_csrf_token_is_rejected(client, make_user):
    make_user(Role.LEARNER, username="hv")
    response = client.post("/login", data={"identifier": "hv", "password": PASSWORD})
    assert response.status_code == 400


def test_account_is_locked_after_repeated_failures_and_tells_when(client, make_user, app):
    make_user(Role.LEARNER, username="hv")
    limit = app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT_ADDRESS"]
    for _ in range(limit):
        sign_in(client, "hv", "wrong")
    response = sign_in(client, "hv", PASSWORD)  # even the right password waits, from this address
    assert response.status_code == 429
    assert "thử lại lúc" in response.get_data(as_text=True)
    elsewhere = app.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "192.0.2.44"  # the owner at home is not locked out by the guesser
    assert sign_in(elsewhere, "hv", PASSWORD).status_code == 302


def test_a_classroom_behind_one_address_is_not_locked_out_by_its_typing(app, make_user):
    """Twenty-four secretaries on one NAT address mistype twice each; the next correct password still works."""
    for i in range(24):
        make_user(Role.LEARNER, username=f"hv{i}")
    client = app.test_client()
    for i in range(24):
        for _ in range(2):
            assert sign_in(client, f"hv{i}", "wrong").status_code == 200
    assert sign_in(client, "hv0", PASSWORD).status_code == 302


def test_a_burst_of_twenty_guesses_gets_no_sixth_guess(app, make_user):
    make_user(Role.LEARNER, username="hv")
    limit = app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT_ADDRESS"]
    clients = [app.test_client() for _ in range(20)]
    tokens = [csrf_token(c) for c in clients]
    barrier, statuses = threading.Barrier(20), []

    def guess(client, token):
        with app.app_context():
            barrier.wait(timeout=10)
            response = client.post("/login", data={"identifier": "hv", "password": "wrong", "csrf_token": token})
            statuses.append(response.status_code)
            db.session.remove()

    threads = [threading.Thread(target=guess, args=pair) for pair in zip(clients, tokens, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    db.session.rollback()
    assert len(statuses) == 20 and 500 not in statuses
    # Every password checked leaves one failure row; a refused request checks none.
    assert db.session.scalar(select(func.count()).select_from(LoginFailure)) == limit
    assert statuses.count(429) >= 20 - limit


def test_address_is_throttled_across_accounts(app, make_user, now):
    settings = services.ThrottleSettings(timedelta(minutes=15), per_account_address=100, per_account=100,
                                         per_address=3)
    for i in range(3):
        services.sign_in(f"ghost{i}", "x", "10.0.0.9", "", now, settings, timedelta(hours=1))
    make_user(Role.LEARNER, username="real")
    result = services.sign_in("real", PASSWORD, "10.0.0.9", "", now, settings, timedelta(hours=1))
    assert result.user is None and result.locked_until == now + timedelta(minutes=15)
    other_address = services.sign_in("real", PASSWORD, "10.0.0.10", "", now, settings, timedelta(hours=1))
    assert other_address.user is not None


def test_lock_expires_after_the_window(app, make_user, now):
    settings = services.ThrottleSettings(timedelta(minutes=15), per_account_address=2, per_account=100,
                                         per_address=100)
    make_user(Role.LEARNER, username="hv")
    for _ in range(2):
        services.sign_in("hv", "wrong", "1.1.1.1", "", now, settings, timedelta(hours=1))
    assert services.sign_in("hv", PASSWORD, "1.1.1.1", "", now + timedelta(minutes=14), settings,
                            timedelta(hours=1)).user is None
    later = services.sign_in("hv", PASSWORD, "1.1.1.1", "", now + timedelta(minutes=16), settings, timedelta(hours=1))
    assert later.user is not None
    assert db.session.scalar(select(func.count()).select_from(LoginFailure).where(
        LoginFailure.account_key == "hv")) == 0


def test_hash_is_upgraded_on_sign_in_when_parameters_change(app, make_user, now, monkeypatch):
    user = make_user(Role.LEARNER, username="hv")
    old_hash = user.password_hash
    monkeypatch.setitem(app.extensions, "password_hasher", passwords.make_hasher(time_cost=2, memory_cost=8 * 1024))
    assert passwords.needs_rehash(old_hash)
    result = services.sign_in("hv", PASSWORD, "1.1.1.1", "", now, services.ThrottleSettings(
        timedelta(minutes=15), 5, 20, 300), timedelta(hours=1))
    assert result.user is not None
    assert result.user.password_hash != old_hash and "t=2" in result.user.password_hash


def test_expired_session_no_longer_signs_in(app, make_user, now):
    user = make_user(Role.LEARNER)
    token = services.open_session(user, "1.1.1.1", "", now, timedelta(hours=1))
    assert services.load_session_user(token, now + timedelta(minutes=59)) is not None
    assert services.load_session_user(token, now + timedelta(hours=1, seconds=1)) is None


@pytest.mark.parametrize("target, expected", [("/account/password", "/account/password"),
                                              ("//evil.example/x", "/"), ("https://evil.example", "/")])
def test_next_only_follows_local_paths(client, make_user, target, expected):
    make_user(Role.LEARNER, username="hv")
    response = client.post(f"/login?next={target}", data={"identifier": "hv", "password": PASSWORD,
                                                          "csrf_token": csrf_token(client)})
    assert response.headers["Location"] == expected


def test_session_rows_are_stored_hashed(login_as):
    client = login_as(Role.LEARNER)
    stored = db.session.scalars(select(UserSession.token_hash)).all()
    assert len(stored) == 1 and len(stored[0]) == 64
    assert stored[0] not in client.get_cookie("session").value


def test_the_reported_probe_is_refused_through_the_sign_in_page(app, client, make_user):
    """/login?next=%2F%09%2Fevil.example sent a signed-in user to another site (issue #15)."""
    from tests.conftest import sign_in

    user = make_user()
    sign_in(client, user.username)
    response = client.get("/login?next=%2F%09%2Fevil.example")
    assert response.status_code == 302 and "evil.example" not in response.headers["Location"]
