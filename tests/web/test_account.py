"""One's own account: the phone number at once, a new e-mail address only once confirmed from that mailbox."""
from __future__ import annotations

import re
import time

import pytest
from itsdangerous.timed import TimestampSigner
from sqlalchemy import select

from lms.extensions import db
from lms.models import AuditEvent, Role, User
from tests.conftest import csrf_token

LINK = re.compile(r"http://localhost(/account/email/[^\s\"<]+)")


@pytest.fixture
def lan(make_user):
    return make_user(Role.LEARNER, username="lan", full_name="Nguyễn Thị Lan", email="lan@old.vn")


def save(client, **fields):
    return client.post("/account/", data={"csrf_token": csrf_token(client, "/account/"), **fields})


def fresh(user) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


def confirmation_link(outbox) -> str:
    [message] = outbox
    return LINK.search(message.body).group(1)


def test_a_new_address_takes_effect_only_from_the_link_sent_to_it(login_as, lan, outbox):
    client = login_as(lan)
    response = save(client, email="Lan.Moi@Xa-Soc-Son.vn", phone="")
    assert response.status_code == 302
    assert "Đã gửi thư xác nhận tới lan.moi@xa-soc-son.vn" in client.get("/account/").get_data(as_text=True)
    assert fresh(lan).email == "lan@old.vn"  # nothing changes until the link is used
    assert outbox[0].to == ["lan.moi@xa-soc-son.vn"]
    link = confirmation_link(outbox)
    page = client.get(link)  # a mail scanner's visit only shows the question
    assert page.status_code == 200 and "lan.moi@xa-soc-son.vn" in page.get_data(as_text=True)
    assert fresh(lan).email == "lan@old.vn"
    assert client.post(link, data={"csrf_token": csrf_token(client, link)}).status_code == 302
    assert fresh(lan).email == "lan.moi@xa-soc-son.vn"
    used = client.get(link)
    assert used.status_code == 400 and "đã dùng rồi" in used.get_data(as_text=True)
    actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions[-2:] == ["user.email_change_requested", "user.email_changed"]


def later(monkeypatch, hours: int) -> None:
    """The links' clock moved on (the token carries the time it was made)."""
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: int(time.time()) + hours * 3600)


def test_the_link_works_without_signing_in_and_expires(client, login_as, lan, outbox, monkeypatch):
    save(login_as(lan), email="lan@new.vn")
    link = confirmation_link(outbox)
    later(monkeypatch, 49)
    late = client.get(link)
    assert late.status_code == 400 and "quá 48 giờ" in late.get_data(as_text=True)
    later(monkeypatch, 47)
    assert client.post(link, data={"csrf_token": csrf_token(client, link)}).status_code == 302
    assert fresh(lan).email == "lan@new.vn"


@pytest.mark.parametrize("tamper", [lambda link: link[:-3] + "abc", lambda link: "/account/email/x"])
def test_a_damaged_link_says_so(client, login_as, lan, outbox, tamper):
    save(login_as(lan), email="lan@new.vn")
    response = client.get(tamper(confirmation_link(outbox)))
    assert response.status_code == 400 and "không đúng" in response.get_data(as_text=True)


def test_an_address_taken_meanwhile_is_refused_at_the_link(client, login_as, lan, outbox, make_user):
    save(login_as(lan), email="shared@xa.vn")
    make_user(Role.LEARNER, email="shared@xa.vn")
    response = client.get(confirmation_link(outbox))
    assert response.status_code == 400 and "tài khoản khác" in response.get_data(as_text=True)


@pytest.mark.parametrize("fields, message", [
    ({"email": "khong-phai-email"}, "Email không hợp lệ"),
    ({"email": "TAKEN@xa.vn"}, "đã thuộc một tài khoản khác"),
    ({"phone": "abc"}, "Số điện thoại không hợp lệ"),
])
def test_a_mistake_is_shown_with_what_was_typed_and_nothing_changes(login_as, lan, make_user, outbox, fields,
                                                                     message):
    make_user(Role.LEARNER, email="taken@xa.vn")
    response = save(login_as(lan), **{"email": "lan@old.vn", "phone": "0912 345 678", **fields})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and message in html
    assert all(f'value="{value}"' in html for value in fields.values())
    assert fresh(lan).phone is None and outbox == []


def test_the_phone_is_kept_at_once_and_the_address_can_be_removed(login_as, lan, outbox):
    client = login_as(lan)
    assert save(client, email="lan@old.vn", phone="0912 345 678").status_code == 302
    assert fresh(lan).phone == "0912 345 678" and outbox == []
    assert save(client, email="", phone="0912 345 678").status_code == 302
    assert fresh(lan).email is None


def test_the_page_says_who_one_is_and_needs_signing_in(client, login_as, lan, make_cohort):
    make_cohort(name="Lớp Bí thư khóa 2026", learners=[lan], commune="Xã Sóc Sơn")
    page = login_as(lan).get("/account/").get_data(as_text=True)
    assert all(text in page for text in ("Nguyễn Thị Lan", "Lớp Bí thư khóa 2026", "Xã Sóc Sơn", 'value="lan@old.vn"'))
    assert client.get("/account/").status_code == 302
