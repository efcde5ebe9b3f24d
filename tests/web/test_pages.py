"""Health check, security headers, language switch and error pages."""
from __future__ import annotations

import re

from lms.models import Role
from tests.conftest import csrf_token


def test_healthz_reports_the_database(client, database):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok", "dialect": database}


def test_security_headers_and_csp_without_inline_scripts(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "<script>" not in response.get_data(as_text=True)


def test_private_pages_are_never_stored_by_a_cache(learner, case):
    for path in ("/", f"/cases/{case.slug}", "/progress", "/transcript"):
        response = learner.get(path)
        assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store", path
    static = learner.get("/static/css/app.css")
    assert "no-store" not in static.headers.get("Cache-Control", "")
    static.close()


def test_session_cookie_flags(client):
    client.get("/login")
    cookie = client.get_cookie("session")
    assert cookie.http_only and cookie.same_site == "Lax"


def test_vietnamese_by_default_english_on_request(client):
    assert "Đăng nhập" in client.get("/login").get_data(as_text=True)
    response = client.post("/language", data={"lang": "en", "next": "/login", "csrf_token": csrf_token(client)})
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in page and "Sign in" in page


def test_each_language_is_named_in_its_own_language(client):
    """A screen reader reads "English" on a Vietnamese page with an English voice, and "Tiếng Việt" the other way."""
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="vi">' in page
    assert re.search(r'<button[^>]* value="en" lang="en"[^>]*>English</button>', page)
    assert re.search(r'<button[^>]* value="vi" lang="vi"[^>]*>Tiếng Việt</button>', page)


def test_unknown_language_is_ignored(client):
    client.post("/language", data={"lang": "xx", "csrf_token": csrf_token(client)})
    assert '<html lang="vi">' in client.get("/login").get_data(as_text=True)


def test_friendly_404(client):
    response = client.get("/khong-co-trang-nay")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.get_data(as_text=True)


def test_500_rolls_back_and_shows_a_friendly_page(app):
    from config import TestConfig
    from lms import create_app
    from lms.extensions import db
    from lms.models import User

    fresh = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})

    @fresh.get("/__boom")
    def boom():
        db.session.add(User(username="halfway", full_name="x", role="learner", password_hash="x"))
        db.session.flush()
        raise RuntimeError("boom")

    response = fresh.test_client().get("/__boom")
    assert response.status_code == 500
    assert "Lỗi hệ thống" in response.get_data(as_text=True)
    with fresh.app_context():
        assert db.session.query(User).filter_by(username="halfway").count() == 0
        db.session.remove()
        db.engine.dispose()


def test_english_counts_use_plural_forms(login_as, make_user, make_cohort):
    admin = login_as(Role.ADMIN)
    make_cohort(learners=[make_user(Role.LEARNER)])
    admin.post("/language", data={"lang": "en", "csrf_token": csrf_token(admin, "/")})
    page = admin.get("/admin/").get_data(as_text=True)
    assert "1 learner" in page and "1 learners" not in page
    admin.post("/language", data={"lang": "vi", "csrf_token": csrf_token(admin, "/")})
    assert "1 học viên" in admin.get("/admin/").get_data(as_text=True)


def test_errors_answer_a_json_client_with_a_problem_document(client):
    """One boundary: the same 404 is a page for a browser and RFC 9457 problem+json for an API client."""
    page = client.get("/khong-co-trang-nay")
    assert page.status_code == 404 and page.mimetype == "text/html"
    problem = client.get("/khong-co-trang-nay", headers={"Accept": "application/problem+json"})
    assert problem.status_code == 404 and problem.mimetype == "application/problem+json"
    assert problem.get_json() == {"type": "about:blank", "title": "Không tìm thấy trang", "status": 404,
                                  "detail": "Trang đồng chí tìm không tồn tại hoặc đã được chuyển đi."}


def test_an_uncaught_domain_error_answers_its_status_and_code(app):
    """A rule refused deep in a service becomes its own status (409 here) and code, never a 500."""
    from lms.cases.services import AttemptError

    with app.test_request_context("/", headers={"Accept": "application/json"}):
        response = app.make_response(app.handle_user_exception(AttemptError("not_open")))
    assert response.status_code == 409 and response.mimetype == "application/problem+json"
    assert response.get_json()["code"] == "not_open"
    with app.test_request_context("/"):
        page = app.make_response(app.handle_user_exception(AttemptError("not_open")))
    assert page.status_code == 409 and page.mimetype == "text/html"
