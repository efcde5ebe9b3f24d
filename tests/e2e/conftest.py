"""Browser harness: Playwright driving Debian's Chromium against a live server started by the tests.

Each journey runs on a desktop and a 360-px phone viewport; a failing test leaves a screenshot in
test-artifacts/. No browser is downloaded: Chromium is launched from CHROMIUM_PATH (/usr/bin/chromium).
"""
from __future__ import annotations

import os
import re
import threading
from pathlib import Path

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from config import TestConfig
from lms import create_app
from lms.database import utcnow
from lms.extensions import db
from tests.conftest import database_url, reset_schema

pytestmark = pytest.mark.e2e
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
VIEWPORTS = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "phone": {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 2, "is_mobile": True,
              "has_touch": True},
}
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def e2e_database_url(kind: str, tmp_dir) -> str:
    """A database of its own for the live server, so it never shares rows with the other tests."""
    return database_url(kind, tmp_dir, suffix="e2e")


def seed(app) -> None:
    """The demo world: the real course content, the demo accounts and cohort (without simulated progress)."""
    from lms.catalog.store import import_course
    from lms.catalog.urls import resolver_factory
    from lms.content.loader import load_course
    from lms.demo import seed_demo

    with app.app_context():
        course, problems = load_course(app.config["CONTENT_DIR"])
        assert not problems
        import_course(course, utcnow(), resolver_factory(app))
        seed_demo(utcnow(), with_progress=False)
        db.session.commit()


@pytest.fixture(scope="session")
def live_app(database, tmp_path_factory):
    """The seeded app the live server serves (journeys may prepare other people's work through its services)."""
    url = e2e_database_url(database, tmp_path_factory.mktemp(f"e2e-{database}"))
    app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": url,
                                  "SIGNING_KEYS_DIR": str(tmp_path_factory.mktemp(f"e2e-keys-{database}"))})
    reset_schema(app)
    seed(app)
    return app


@pytest.fixture(scope="session")
def live_server(live_app):
    """A real HTTP server on 127.0.0.1 and a free port, serving a seeded app."""
    app = live_app
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.port}"
    server.shutdown()
    thread.join(timeout=5)
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install -y chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Remember each phase's result on the test item, for the screenshot on failure."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(params=list(VIEWPORTS))
def page(request, browser, live_server):
    """A fresh browser page (own cookies) on a desktop or phone viewport, at the live server."""
    context = browser.new_context(base_url=live_server, locale="vi-VN", **VIEWPORTS[request.param])
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.viewport_name = request.param
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed and not page.is_closed():
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    if not page.is_closed():
        context.close()


def sign_in(page, username: str, password: str = "demo1234") -> None:
    """Sign in through the form, as a person would."""
    page.goto("/login")
    page.get_by_label("Tên đăng nhập hoặc email").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    with page.expect_navigation():  # the form always loads a page (home, or the form again): wait for it
        page.get_by_role("button", name="Đăng nhập").click()


def open_menu(page) -> None:
    """On a phone the menu is folded away behind its button."""
    menu = page.locator("details.menu")
    if page.viewport_name == "phone" and not menu.get_attribute("open"):
        menu.locator("summary").click()


def answer_stage(page) -> None:
    """Answer every question of the current stage the way a hurried learner would: first choices, in order."""
    for fieldset in page.locator("fieldset.question").all():
        radios = fieldset.locator("input[type=radio]")
        names = []
        for i in range(radios.count()):
            name = radios.nth(i).get_attribute("name")
            if name not in names:
                names.append(name)
        for index, name in enumerate(names):
            group = fieldset.locator(f"input[name='{name}']")
            # best/worst pick different options; rating groups take any value
            group.nth(min(index, group.count() - 1) if name.endswith("-worst") else 0).check()
        selects = fieldset.locator("select")
        for i in range(selects.count()):
            selects.nth(i).select_option(str(i + 1))
        checkboxes = fieldset.locator("input[type=checkbox]")
        if checkboxes.count():
            checkboxes.first.check()
        text = fieldset.locator("textarea")
        if text.count():
            text.fill("Tôi chỉ đạo UBND xã tổ chức đối thoại, xử lý đúng thẩm quyền và báo cáo cấp trên.")


def play_to_the_end(page, on_stage=None) -> None:
    """Answer stage after stage (calling on_stage() before each) and submit at the last one."""
    for _ in range(6):
        if on_stage:
            on_stage()
        answer_stage(page)
        submit = page.get_by_role("button", name="Nộp bài", exact=True)
        if submit.count():
            submit.click()  # the page asks first (a stray tap must not hand the case in), then hands it in
            expect(page.locator("#confirm-submit")).to_be_visible()
            page.get_by_role("button", name="Xác nhận nộp bài").click()
            return
        page.get_by_role("button", name=re.compile("Tiếp tục")).click()
        expect(page.locator("#stage h2")).to_contain_text("Giai đoạn")
    raise AssertionError("no stage offered to submit")
