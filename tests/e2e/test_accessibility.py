"""Accessibility of the key pages on a phone: axe-core checks each against WCAG 2.1 A and AA, signed in as a
learner, an instructor and an administrator, and signed out; every serious or critical violation fails the test,
named by page, rule and element. Moderate and minor findings are left to review by hand.

The learners are Party Secretaries, many of them older, on phones: contrast, labels and names matter more here
than anywhere. axe-core comes bundled with axe-playwright-python: nothing is fetched while the tests run. The live
server is shared with the journeys, so this module signs in as a learner of its own and only looks at the
instructor's and administrator's pages.
"""
from __future__ import annotations

import random

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect
from sqlalchemy import select

from lms.auth.accounts import create_user
from lms.database import utcnow
from lms.demo import DEMO_COHORT
from lms.demo_progress import play_case
from lms.extensions import db
from lms.models import Attempt, AttemptState, Case, Cohort, Enrolment, Role, User
from lms.transcripts import issuer
from lms.transcripts import services as transcripts
from tests.e2e.conftest import open_menu, sign_in

LEARNER = "a11y-hocvien"
MODULE = "10-cong-tac-tu-tuong"
WRITTEN_CASE = "dang-vien-chia-se-bai-xuyen-tac"  # has a written answer, left waiting for the instructor
QUIZ = "kiem-tra-kien-thuc-10"  # graded at once: the grade history has a row
OPEN_CASE = "nam-bat-tu-tuong-sau-hop-nhat-phuong"  # started in the browser, for the attempt page
EDITED = "12-quoc-phong-an-ninh"  # the editors are opened, never saved
RULES = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
         "resultTypes": ["violations"]}
BLOCKING = ("serious", "critical")
phone_only = pytest.mark.parametrize("page", ["phone"], indirect=True)  # one viewport keeps the module quick
AXE = Axe()
# A table that scrolls sideways draws its edge shadows as background gradients on its box (app.css), and axe
# cannot measure text over a gradient: it would leave the contrast of every table cell unchecked ("incomplete"),
# the status colours and muted text of the progress, transcript and gradebook pages included. Under the shadows
# (a strip under 1 rem at an edge with more to scroll) the box is plain white, so the check gives the box that
# white first, on each element (the CSP refuses a style sheet): the text is then measured against it.
FLAT_TABLES = """document.querySelectorAll(".table-wrap, .prose table")
  .forEach(box => box.style.setProperty("background", "#fff", "important"))"""


class Audit:
    """One person's walk through their pages, checking each with axe and keeping what blocks."""

    def __init__(self, page):
        self.page = page
        self.found: list[str] = []

    def visit(self, path: str) -> None:
        """Open the page at `path` and check it."""
        response = self.page.goto(path)
        assert response is not None and response.ok, f"{path}: {response and response.status}"
        self.check(path)

    def check(self, name: str) -> None:
        """Check the page as it is now; `name` says which page it is in the report."""
        self.page.evaluate(FLAT_TABLES)
        for violation in AXE.run(self.page, options=RULES).response["violations"]:
            if violation["impact"] in BLOCKING:
                targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"])
                self.found.append(f"{name}: {violation['id']} ({violation['impact']}): {targets}")

    def assert_clean(self) -> None:
        """Fail with every serious or critical violation seen on the walk."""
        assert not self.found, "accessibility violations:\n" + "\n".join(self.found)


@pytest.fixture(scope="module")
def learner_work(live_app) -> dict:
    """This module's own learner in the demo cohort: a quiz graded, a written answer waiting for review and a
    transcript issued (its code for the public verify page)."""
    with live_app.test_request_context():
        user = db.session.scalar(select(User).filter_by(username=LEARNER))
        if user is None:
            user = create_user(LEARNER, "Học viên kiểm tra trợ năng", Role.LEARNER, "demo1234", utcnow())
            cohort = db.session.scalar(select(Cohort).filter_by(name=DEMO_COHORT))
            db.session.add(Enrolment(cohort_id=cohort.id, user_id=user.id, commune="Xã Sóc Sơn", enrolled_at=utcnow()))
            db.session.flush()
            rng = random.Random(7)
            for slug in (QUIZ, WRITTEN_CASE, WRITTEN_CASE, WRITTEN_CASE):
                if slug != QUIZ and waiting(user):
                    break
                play_case(user, db.session.scalar(select(Case).filter_by(slug=slug)), 0.8, rng, utcnow())
            transcripts.issue(user, cohort, "transcript", None, utcnow(), issuer.keyring(), issuer.settings(),
                              issuer.verify_url)
            db.session.commit()
        attempt = waiting(user)
        assert attempt is not None, f"{WRITTEN_CASE}: no written answer waits for review"
        quiz = db.session.scalar(select(Attempt.id).join(Case).where(Attempt.user_id == user.id, Case.slug == QUIZ))
        cohort_id = db.session.scalar(select(Enrolment.cohort_id).filter_by(user_id=user.id))
        code = transcripts.current_document(user, db.session.get(Cohort, cohort_id), "transcript").code
        return {"waiting": attempt.id, "quiz": quiz, "cohort": cohort_id, "code": code}


def waiting(user: User) -> Attempt | None:
    """The learner's written answer awaiting review, if any."""
    return db.session.scalar(select(Attempt).join(Case).where(
        Attempt.user_id == user.id, Case.slug == WRITTEN_CASE, Attempt.state == AttemptState.AWAITING_REVIEW))


@phone_only
def test_learner_pages(page, learner_work):
    sign_in(page, LEARNER)
    audit = Audit(page)
    audit.visit("/")
    open_menu(page)
    audit.check("/ (menu open)")
    for path in ("/modules", f"/modules/{MODULE}", f"/modules/{MODULE}/lessons/01-nam-bat-dinh-huong-tu-tuong",
                 f"/cases/{OPEN_CASE}", f"/attempts/{learner_work['quiz']}/review", "/progress",
                 f"/progress/{MODULE}", "/transcript", "/notifications", "/calendar", "/account/",
                 "/search?q=tu+tuong", "/feedback/course"):
        audit.visit(path)
    page.goto(f"/cases/{OPEN_CASE}")
    page.get_by_role("button", name="Bắt đầu làm bài").or_(page.get_by_role("button", name="Làm tiếp bài đang làm")) \
        .click()
    expect(page.locator("fieldset.question").first).to_be_visible()
    audit.check("/attempts/<id> (a stage)")
    audit.assert_clean()


@phone_only
def test_instructor_pages(page, learner_work):
    sign_in(page, "giangvien")
    audit = Audit(page)
    for path in ("/instructor/", "/instructor/gradebook", "/instructor/reviews/",
                 f"/instructor/reviews/{learner_work['waiting']}",
                 f"/instructor/modules/{EDITED}/lessons/01-quoc-phong-khu-vuc-phong-thu/edit",
                 f"/instructor/modules/{EDITED}/cases/nha-tro-cong-nhan-khong-loi-thoat-nan/form"):
        audit.visit(path)
    audit.assert_clean()


@phone_only
def test_administrator_pages(page, learner_work):
    sign_in(page, "admin")
    audit = Audit(page)
    cohort = learner_work["cohort"]
    for path in ("/admin/", f"/admin/cohorts/{cohort}", "/admin/users", "/admin/audit-log/",
                 f"/admin/cohorts/{cohort}/documents", f"/cohorts/{cohort}/feedback"):
        audit.visit(path)
    audit.assert_clean()


@phone_only
def test_signed_out_pages(page, learner_work):
    audit = Audit(page)
    for path in ("/login", "/verify", f"/verify/{learner_work['code']}"):
        audit.visit(path)
    audit.assert_clean()

