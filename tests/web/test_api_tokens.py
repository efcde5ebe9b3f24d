"""Administrators make, list and revoke API tokens in the browser and on the command line; tokens are stored
hashed and shown once."""
from __future__ import annotations

import hashlib
import re

from sqlalchemy import select

from lms.extensions import db
from lms.models import ApiToken, AuditEvent, Role
from tests.conftest import csrf_token


def test_an_administrator_makes_a_token_shown_once_and_stored_hashed(login_as):
    admin = login_as(Role.ADMIN)
    response = admin.post("/admin/api-tokens", data={"name": "Hồ sơ cán bộ", "read": "y", "days": "30",
                                                      "csrf_token": csrf_token(admin, "/admin/api-tokens")})
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    text = re.search(r'<code id="new-token">(lms_[^<]+)</code>', response.get_data(as_text=True)).group(1)
    token = db.session.scalar(select(ApiToken))
    assert token.token_hash == hashlib.sha256(text.encode()).hexdigest() and text not in str(vars(token))
    assert token.scope_list == ["read"]
    assert text not in admin.get("/admin/api-tokens").get_data(as_text=True)
    assert admin.get("/api/v1/cohorts", headers={"Authorization": f"Bearer {text}"}).status_code == 200


def test_a_token_needs_a_scope(login_as):
    admin = login_as(Role.ADMIN)
    response = admin.post("/admin/api-tokens", data={"name": "Không quyền", "days": "30",
                                                      "csrf_token": csrf_token(admin, "/admin/api-tokens")})
    assert response.status_code == 400 and db.session.scalar(select(ApiToken)) is None


def test_revoking_asks_first_then_stops_the_token(login_as, now):
    from lms.api.tokens import create_token

    admin = login_as(Role.ADMIN)
    token, text = create_token(admin.user, "Báo cáo", ["read"], now.replace(year=now.year + 1), now)
    db.session.commit()
    url = f"/admin/api-tokens/{token.id}/revoke"
    assert "Báo cáo" in admin.get(url).get_data(as_text=True)
    assert db.session.get(ApiToken, token.id).revoked_at is None
    assert admin.post(url, data={"csrf_token": csrf_token(admin, url)}).status_code == 302
    assert admin.get("/api/v1/cohorts", headers={"Authorization": f"Bearer {text}"}).status_code == 401
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"api_token.created", "api_token.revoked"} <= actions


def test_the_command_line_creates_lists_and_revokes(app, make_user):
    make_user(Role.ADMIN, username="quantri")
    runner = app.test_cli_runner()
    created = runner.invoke(args=["api-tokens", "create", "--owner", "quantri", "--name", "Đồng bộ",
                                  "--scope", "read", "--scope", "enrol", "--days", "30"])
    assert created.exit_code == 0, created.output
    text = re.search(r"lms_\S+", created.output).group(0)
    prefix = text.split("_")[1]
    listed = runner.invoke(args=["api-tokens", "list"])
    assert prefix in listed.output and "read enrol" in listed.output and text not in listed.output
    assert runner.invoke(args=["api-tokens", "revoke", prefix]).exit_code == 0
    assert db.session.scalar(select(ApiToken.revoked_at)) is not None
    refused = runner.invoke(args=["api-tokens", "create", "--owner", "quantri", "--name", "x", "--scope", "read",
                                  "--days", "400"])
    assert refused.exit_code != 0


def test_reloading_the_page_that_shows_a_new_token_makes_no_second_one(login_as):
    admin = login_as(Role.ADMIN)
    form = admin.get("/admin/api-tokens").get_data(as_text=True)
    once = re.search(r'name="once" type="hidden" value="(\w+)"', form).group(1)
    data = {"name": "Hồ sơ cán bộ", "read": "y", "days": "30", "once": once,
            "csrf_token": csrf_token(admin, "/admin/api-tokens")}
    assert admin.post("/admin/api-tokens", data=data).status_code == 200
    again = admin.post("/admin/api-tokens", data=data)
    assert again.status_code == 302 and len(db.session.scalars(select(ApiToken)).all()) == 1
    assert "chỉ hiện một lần" in admin.get(again.headers["Location"]).get_data(as_text=True)
    fresh = re.search(r'name="once" type="hidden" value="(\w+)"', admin.get("/admin/api-tokens").get_data(as_text=True))
    assert fresh.group(1) != once  # a new form makes a new token
    assert admin.post("/admin/api-tokens", data={**data, "once": fresh.group(1)}).status_code == 200
    assert len(db.session.scalars(select(ApiToken)).all()) == 2
