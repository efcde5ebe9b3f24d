"""A staff account's fields: the roster's rules for names, usernames, e-mails and phones, every problem at once."""
from __future__ import annotations

import pytest

from lms.domain.accounts import StaffAccount, check_staff_account

GOOD = {"username": "gv.lan", "full_name": "Phạm Thị Lan", "email": "lan.pt@example.vn", "phone": "0912 345 678"}


def test_a_good_account_is_cleaned():
    account, errors = check_staff_account({"username": "  GV.Lan ", "full_name": " Phạm  Thị Lan ",
                                           "email": "Lan.PT@Example.vn", "phone": ""})
    assert errors == []
    assert account == StaffAccount("gv.lan", "Phạm Thị Lan", "lan.pt@example.vn", None)


@pytest.mark.parametrize(("overrides", "field", "code"), [
    ({"username": ""}, "username", "required"),
    ({"username": "ab"}, "username", "bad_username"),
    ({"username": "có-dấu"}, "username", "bad_username"),
    ({"username": "lan@example.vn"}, "username", "bad_username"),  # an e-mail goes in its own field
    ({"full_name": " "}, "full_name", "required"),
    ({"full_name": "x" * 201}, "full_name", "too_long"),
    ({"email": "lan@"}, "email", "bad_email"),
    ({"phone": "gọi em"}, "phone", "bad_phone"),
])
def test_each_rule_rejects_its_field(overrides, field, code):
    account, errors = check_staff_account({**GOOD, **overrides})
    assert account is None
    assert [(e.line, e.field, e.code) for e in errors] == [(0, field, code)]


def test_every_problem_is_reported_not_the_first():
    _account, errors = check_staff_account({"username": "x", "full_name": "", "email": "@", "phone": "?"})
    assert {e.field for e in errors} == {"username", "full_name", "email", "phone"}
