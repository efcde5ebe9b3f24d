"""Offline reading: the service worker's address and headers, the offline page, the download button, the waiting
answers' note, and sign-out clearing what the browser kept."""
from __future__ import annotations

import json
import re

from lms.models import Role
from tests.conftest import csrf_token
from tests.web.test_lessons import FIRST, MODULE_URL, SECOND, course, lesson_url  # noqa: F401  (fixture)


def test_the_worker_is_served_at_the_root_revalidated_and_knows_the_fingerprinted_files(client):
    response = client.get("/sw.js")
    assert response.status_code == 200 and response.mimetype == "text/javascript"
    assert response.headers["Service-Worker-Allowed"] == "/"
    assert response.headers["Cache-Control"] == "no-cache"
    body = response.get_data(as_text=True)
    settings = json.loads(re.match(r"self\.OFFLINE = (\{.*\});\n", body).group(1))
    assert settings["offline"] == "/offline" and settings["pages"] == "lms-pages"
    assert "/static/css/app.css?v=" in " ".join(settings["static"])
    assert all(re.search(r"\?v=[0-9a-f]{12}$", url) for url in settings["static"]), settings["static"]
    assert 'addEventListener("fetch"' in body and 'request.method !== "GET"' in body


def test_every_page_loads_the_offline_script_with_the_worker_and_no_account_when_signed_out(client):
    html = client.get("/login").get_data(as_text=True)
    tag = re.search(r'<script src="/static/js/offline\.js\?v=[0-9a-f]{12}" defer id="offline-js"[^>]*>', html)
    assert tag and 'data-worker="/sw.js"' in tag.group(0) and 'data-user=""' in tag.group(0)


def test_each_account_has_its_own_offline_key(login_as):
    keys = []
    for _ in range(2):
        html = login_as(Role.LEARNER).get("/").get_data(as_text=True)
        keys.append(re.search(r'data-user="([0-9a-f]{16})"', html).group(1))
    assert keys[0] != keys[1]


def test_the_offline_page_says_so_in_the_learners_language(learner):
    html = learner.get("/offline").get_data(as_text=True)
    assert "Không có kết nối mạng" in html and "data-offline-list" in html
    learner.post("/language", data={"lang": "en", "next": "/offline", "csrf_token": csrf_token(learner, "/offline")})
    html = learner.get("/offline").get_data(as_text=True)
    assert "No network connection" in html and "Không có kết nối mạng" not in html


def test_the_offline_page_needs_no_account_and_is_never_a_redirect(client):
    response = client.get("/offline")
    assert response.status_code == 200 and "Không có kết nối mạng" in response.get_data(as_text=True)


def test_the_module_page_offers_every_lesson_for_download(course, learner):  # noqa: F811
    html = learner.get(MODULE_URL).get_data(as_text=True)
    block = re.search(r"<div class=\"offline-download\" data-offline-download hidden(.*?)</div>", html, re.S).group(0)
    assert "Tải về để đọc khi không có mạng" in block
    lessons = json.loads(re.search(r"data-lessons='([^']*)'", block).group(1))
    assert lessons == [lesson_url(FIRST), lesson_url(SECOND)]
    assert "Đã tải {done}/{total} bài" in block


def test_the_attempt_page_has_a_hidden_note_for_answers_waiting_to_be_sent(case, learner):
    token = csrf_token(learner, f"/cases/{case.slug}")
    attempt = learner.post(f"/cases/{case.slug}/start", data={"csrf_token": token}).headers["Location"]
    html = learner.get(attempt).get_data(as_text=True)
    note = re.search(r'<p id="offline-queue"[^>]*>', html).group(0)
    assert " hidden" in note and "Đang chờ gửi: {answers}" in note and "Nộp bài" in note


def test_signing_out_tells_the_browser_to_drop_what_it_kept(learner):
    response = learner.post("/logout", data={"csrf_token": csrf_token(learner, "/")})
    assert response.status_code == 302
    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'


def test_a_refused_sign_out_clears_nothing(learner):
    response = learner.post("/logout", data={"csrf_token": "forged"})
    assert "Clear-Site-Data" not in response.headers
    assert learner.get("/account/password").status_code == 200
