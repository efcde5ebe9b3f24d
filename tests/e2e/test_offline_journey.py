"""Offline reading on a phone and a desktop: the service worker keeps the lessons a learner opened and the ones of
a chuyên đề they downloaded, shows the offline page for the others, and an answer saved without a connection waits
on the device until the connection returns, then reaches the server once."""
from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import Error, expect
from sqlalchemy import select

from lms.auth.accounts import create_user
from lms.database import utcnow
from lms.extensions import db
from lms.models import Attempt, AttemptAnswer, Enrolment, Role, User
from tests.e2e.conftest import open_menu, sign_in

READ_MODULE = "/modules/04-chuyen-doi-so-chinh-quyen-so"
DOWNLOAD_MODULE = "/modules/05-he-thong-chinh-tri-cap-xa"
CASE = "tin-don-bien-thu-tien-cuu-tro"


def learner(app, name: str) -> str:
    """A learner of the demo cohort of this journey's own (the demo learners belong to the other journeys)."""
    with app.app_context():
        if db.session.scalar(select(User).filter_by(username=name)) is None:
            user = create_user(name, "Học viên đọc ngoại tuyến", Role.LEARNER, "demo1234", utcnow())
            db.session.flush()
            cohort_id = db.session.scalar(select(Enrolment.cohort_id).join(User).where(User.username == "hv01"))
            db.session.add(Enrolment(cohort_id=cohort_id, user_id=user.id, commune="Phường Ba Đình",
                                     enrolled_at=utcnow()))
            db.session.commit()
    return name


def worker_ready(page) -> None:
    """Wait until the service worker controls the page (the first page only registers it). Installing caches the
    static files first: on a loaded two-core machine that once took more than Playwright's default 10 s. Polled on
    a timer, not on animation frames; a worker that is active but has not claimed the page within 10 s more
    (seen once in a full run under load) controls it from the next load, as it would for a learner."""
    wait_until(page, "() => Promise.race([navigator.serviceWorker.ready.then(() => true), "
                     "new Promise(done => setTimeout(() => done(false), 1000))])", timeout=30)
    try:
        page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=10_000, polling=200)
    except Error:
        page.reload()
        state = "() => navigator.serviceWorker.getRegistration().then(r => JSON.stringify(r && {installing: " \
                "!!r.installing, waiting: !!r.waiting, active: r.active && r.active.state}))"
        try:
            page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=10_000, polling=200)
        except Error as error:
            raise AssertionError(f"no service worker controls the page: {page.evaluate(state)}") from error


def wait_until(page, script: str, arg=None, timeout: float = 10.0) -> None:
    """Wait until the promise `script` returns resolves truthy (wait_for_function takes a promise itself for truthy,
    so it would not wait on the Cache Storage at all); a navigation meanwhile only means asking again."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if page.evaluate(script, arg):
                return
        except Error:
            pass
        assert time.monotonic() < deadline, f"still false after {timeout} s: {script}"
        page.wait_for_timeout(100)


def kept(page, path: str) -> None:
    """Wait until the page at `path` is in the worker's cache."""
    wait_until(page, "path => caches.open('lms-pages').then(c => c.match(path)).then(Boolean)", path)


def offline_page_kept_in(page, lang: str, heading: str) -> None:
    """Wait until the cache holds the offline page in `lang` and records it (the record is written once the page
    is stored: a page still being written, which leaving the page would cut short, does not count)."""
    wait_until(page, """([lang, heading]) => caches.open('lms-pages').then(c => Promise.all([
        c.match('/offline-state').then(r => r && r.json()), c.match('/offline').then(r => r && r.text())]))
      .then(([state, html]) => Boolean(state && state.lang === lang && html && html.includes(heading)))""",
               [lang, heading])


def lesson_links(page, module: str) -> list[str]:
    """The lesson addresses listed on a module page."""
    page.goto(module)
    return page.locator("ol.lesson-list a").evaluate_all("links => links.map(a => a.getAttribute('href'))")


def test_lessons_read_offline_and_others_show_the_offline_page(page, live_app):
    sign_in(page, learner(live_app, f"offline-read-{page.viewport_name}"))
    expect(page).not_to_have_url(re.compile("/login"))
    worker_ready(page)
    opened, unopened = lesson_links(page, READ_MODULE)[:2]
    page.goto(opened)
    title = page.locator("main h1").inner_text()
    kept(page, opened)

    page.context.set_offline(True)
    page.reload()
    expect(page.locator("main h1")).to_have_text(title)
    expect(page.get_by_text(re.compile(r"Khoảng \d+ phút đọc"))).to_be_visible()
    page.goto(unopened)
    expect(page.get_by_role("heading", name="Không có kết nối mạng")).to_be_visible()
    page.get_by_role("link", name=title).click()  # the offline page lists what the device keeps
    expect(page.locator("main h1")).to_have_text(title)

    # Back online, the learner downloads a whole chuyên đề, then reads any of its lessons offline.
    page.context.set_offline(False)
    lessons = lesson_links(page, DOWNLOAD_MODULE)
    page.get_by_role("button", name="Tải về để đọc khi không có mạng").click()
    expect(page.get_by_text(f"Đã tải xong {len(lessons)} bài: đọc được cả khi không có mạng.")).to_be_visible()
    page.context.set_offline(True)
    for path in (lessons[-1], DOWNLOAD_MODULE):
        page.goto(path)
        expect(page.get_by_role("heading", name="Không có kết nối mạng")).to_have_count(0)
        expect(page.locator("main h1")).not_to_be_empty()
    page.goto("/cases/" + CASE)
    expect(page.get_by_role("heading", name="Không có kết nối mạng")).to_be_visible()

    # In English, the offline page is English.
    page.context.set_offline(False)
    page.goto("/")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")  # the English page, not the one the click left
    offline_page_kept_in(page, "en", "No network connection")
    page.context.set_offline(True)
    page.goto("/cases/" + CASE)
    expect(page.get_by_role("heading", name="No network connection")).to_be_visible()
    page.context.set_offline(False)
    page.goto("/")
    page.get_by_role("button", name="Tiếng Việt").click()

    # Signing out leaves nothing of this account on the device.
    open_menu(page)
    page.get_by_role("button", name=re.compile("Đăng xuất")).click()
    expect(page.get_by_text("Đồng chí đã đăng xuất.")).to_be_visible()
    wait_until(page, "() => caches.keys().then(names => !names.includes('lms-pages'))")


@pytest.mark.parametrize("comeback", ["online event", "next page load"])
def test_an_answer_saved_offline_waits_and_reaches_the_server_once(page, live_app, comeback):
    username = learner(live_app, f"offline-answer-{page.viewport_name}-{comeback.split()[0]}")
    sign_in(page, username)
    worker_ready(page)
    page.goto(f"/cases/{CASE}")
    page.get_by_role("button", name=re.compile("Bắt đầu làm bài|Làm tiếp")).click()
    expect(page).to_have_url(re.compile(r"/attempts/\d+"))
    attempt_url = page.url.split("#")[0]
    attempt_id = int(re.search(r"/attempts/(\d+)", attempt_url).group(1))
    note = page.locator("#offline-queue")
    expect(note).to_be_hidden()

    page.context.set_offline(True)
    page.locator("fieldset.question input[type=radio]").first.check()
    expect(note).to_contain_text("Đang chờ gửi: “Đồng chí chỉ đạo phản ứng đầu tiên như thế nào?”")
    # moving on needs the server: nothing is sent, the learner is told to reconnect
    page.get_by_role("button", name=re.compile("Tiếp tục")).click()
    expect(note).to_contain_text("Chưa có mạng nên chưa sang giai đoạn sau được.")
    expect(note).to_be_in_viewport()
    expect(page).to_have_url(re.compile(rf"/attempts/{attempt_id}"))
    with live_app.app_context():
        assert db.session.scalars(select(AttemptAnswer).filter_by(attempt_id=attempt_id)).all() == []

    sent = []
    page.context.on("request", lambda r: sent.append(r.url) if r.method == "POST" and "/autosave" in r.url else None)
    if comeback == "online event":  # the connection returns while the attempt is open
        page.context.set_offline(False)
        expect(note).to_contain_text("Đã gửi lên máy chủ các câu trả lời lưu khi mất mạng.")
        expect(note).not_to_contain_text("Đang chờ gửi")
    else:  # the learner closed the page offline and opens the site later, on any page
        context = page.context
        page.close()
        context.set_offline(False)
        page = context.new_page()
        page.goto("/")
        page.wait_for_function("() => !Object.keys(localStorage).some(k => k.startsWith('lms-answers:'))")
    page.goto(attempt_url)  # nothing is left to send, and the answer is the server's now
    expect(page.locator("fieldset.question input[type=radio]").first).to_be_checked()
    expect(page.locator("#offline-queue")).to_be_hidden()
    assert sent == [f"{attempt_url}/autosave"], sent
    with live_app.app_context():
        answers = db.session.scalars(select(AttemptAnswer).filter_by(attempt_id=attempt_id)).all()
        attempt = db.session.get(Attempt, attempt_id)
        assert [a.question_id for a in answers] == ["q1"] and answers[0].state
        assert attempt.is_open and len(attempt.path) == 1  # never continued or submitted behind the learner's back
