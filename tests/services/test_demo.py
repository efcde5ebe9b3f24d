"""Demo data: created once, never twice, with varied progress played through the real services."""
from __future__ import annotations

from sqlalchemy import func, select

from lms.demo import DEMO_PASSWORD, seed_demo
from lms.extensions import db
from lms.models import Attempt, Cohort, Enrolment, FeedbackReceipt, FeedbackResponse, GradeEntry, User


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_demo_accounts_and_cohort_are_created_once(app, now):
    first = seed_demo(now, with_progress=False)
    db.session.commit()
    assert first["accounts"] == 32 and first["enrolled"] == 30
    again = seed_demo(now, with_progress=False)
    db.session.commit()
    assert again["accounts"] == 0 and again["enrolled"] == 0
    assert (count(User), count(Cohort), count(Enrolment)) == (32, 1, 30)
    from lms.auth.passwords import verify_password

    assert verify_password(db.session.scalar(select(User.password_hash).filter_by(username="hv07")), DEMO_PASSWORD)


def test_demo_progress_varies_and_is_not_replayed(app, now, make_case):
    make_case()
    result = seed_demo(now)
    db.session.commit()
    assert result["attempts"] > 0
    states = dict(db.session.execute(select(Attempt.state, func.count()).group_by(Attempt.state)).all())
    assert states.get("graded", 0) > 0 and count(GradeEntry) > 0
    per_learner = db.session.execute(select(Attempt.user_id, func.count()).group_by(Attempt.user_id)).all()
    assert len({n for _, n in per_learner}) >= 1 and len(per_learner) < 30  # some learners have not started
    assert db.session.scalar(select(func.count()).select_from(Attempt).join(User, User.id == Attempt.user_id).where(
        User.username == "hocvien")) == 0
    feedback = count(FeedbackResponse)
    assert feedback > 0 and count(FeedbackReceipt) == feedback  # from learners who passed, for the staff's report
    assert seed_demo(now)["attempts"] == 0
    db.session.commit()
    assert count(FeedbackResponse) == feedback  # nobody answers twice
