"""Journey on a phone and a desktop: an instructor filters the review queue to one case and grades five written
answers in a row with "grade next" (with the keyboard on the desktop, by tapping on the phone)."""
from __future__ import annotations

import random
import re

from playwright.sync_api import expect
from sqlalchemy import select

from lms.database import utcnow
from lms.demo_progress import play_case
from lms.extensions import db
from lms.models import Attempt, AttemptState, Case, User
from tests.e2e.conftest import sign_in

LEARNERS = ("hv01", "hv19", "hv27", "hv28", "hv29")
# cases with a written question that no other journey plays, so the queue holds exactly these five answers
CASES = {"desktop": "dam-cuoi-linh-dinh-bi-thu-chi-bo-thon", "phone": "ke-khai-tai-san-va-ngoi-nha-sau-tang"}


def prepare(app, slug: str) -> tuple[int, int]:
    """Five learners submit the case; returns its id and module number."""
    with app.app_context():
        case = db.session.scalar(select(Case).filter_by(slug=slug))
        rng, now = random.Random(11), utcnow()
        for user in db.session.scalars(select(User).where(User.username.in_(LEARNERS))):
            for _ in range(3):  # a path may skip the written question: play again until an answer waits
                play_case(user, case, 0.7, rng, now)
                if db.session.scalar(select(Attempt.id).where(Attempt.user_id == user.id, Attempt.case_id == case.id,
                                                              Attempt.state == AttemptState.AWAITING_REVIEW)):
                    break
        waiting = db.session.scalars(select(Attempt).where(Attempt.case_id == case.id,
                                                           Attempt.state == AttemptState.AWAITING_REVIEW)).all()
        assert len(waiting) == 5, f"{slug}: {len(waiting)} answers wait for review"
        db.session.commit()
        return case.id, case.module.number


def test_grading_five_answers_in_a_row(page, live_app):
    case_id, module = prepare(live_app, CASES[page.viewport_name])
    sign_in(page, "giangvien")
    page.goto("/instructor/reviews/")
    page.locator("select[name=module]").select_option(str(module))
    page.get_by_role("button", name="Lọc").click()
    page.locator("select[name=case]").select_option(str(case_id))
    page.get_by_role("button", name="Lọc").click()
    expect(page.get_by_text("5 bài đang chờ")).to_be_visible()
    page.get_by_role("link", name="Chấm", exact=True).first.click()
    for left in (4, 3, 2, 1, 0):
        expect(page.locator(".left-count")).to_have_text(f"còn {left} bài khác chờ chấm")
        criteria = page.locator(".rubric-criterion")
        if page.viewport_name == "desktop":  # keyboard: 2 picks the second level, then moves to the next criterion
            expect(criteria.first).to_have_class(re.compile(r"\bcurrent\b"))  # the key script has started
            page.locator("h1").click()
            for _ in range(criteria.count()):
                page.keyboard.press("2")
        else:
            for index in range(criteria.count()):
                criteria.nth(index).locator("input[type=radio]").nth(1).check()
        assert all(criteria.nth(i).locator("input:checked").count() == 1 for i in range(criteria.count()))
        page.get_by_role("button", name=re.compile("Lưu và chấm bài tiếp theo|Lưu điểm")).click()
    expect(page.get_by_text("Không còn bài nào chờ chấm theo bộ lọc này.")).to_be_visible()
    with live_app.app_context():
        graded = db.session.scalar(select(db.func.count()).select_from(Attempt).where(
            Attempt.case_id == case_id, Attempt.state == AttemptState.GRADED, Attempt.reviewed_at.is_not(None)))
        assert graded == 5
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
