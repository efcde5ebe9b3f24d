"""Domain events: each service that causes one sends it, so other features can subscribe without imports."""
from __future__ import annotations

from contextlib import contextmanager

from lms import signals
from lms.extensions import db
from lms.models import Role
from lms.reviews import services as reviews
from lms.transcripts import services as documents
from tests.document_helpers import issue, pass_module
from tests.web.test_reviews import FULL_MARKS, setup  # noqa: F401  (a fixture)


@contextmanager
def caught(signal):
    """Collect (sender, keyword arguments) of every send of the signal inside the block."""
    seen = []

    def receiver(sender, **kwargs):
        seen.append((sender, kwargs))

    signal.connect(receiver)
    try:
        yield seen
    finally:
        signal.disconnect(receiver)


def test_submitting_an_attempt_sends_attempt_submitted_and_grade_recorded(make_user, make_cohort, make_case, now):
    learner = make_user(Role.LEARNER)
    make_cohort(learners=[learner])
    with caught(signals.attempt_submitted) as submitted, caught(signals.grade_recorded) as graded:
        pass_module(learner, make_case(), now)
    assert [(s, k["attempt"].user_id) for s, k in submitted] == [("lms.cases.services", learner.id)]
    assert [(s, k["user_id"]) for s, k in graded] == [("lms.grades.ledger", learner.id)]
    assert submitted[0][1]["grade"] is graded[0][1]["entry"] and submitted[0][1]["grade"].score == 10.0


def test_grading_a_written_answer_sends_answer_graded(setup, now):  # noqa: F811
    attempt, instructor = setup["attempt"], setup["instructor"]
    scores = {"q5": {"basis": 2, "plan": 2}}
    with caught(signals.answer_graded) as graded:
        reviews.grade_written(attempt, scores, {"q5": FULL_MARKS["f-q5"]}, attempt.review_version, instructor, now)
    assert [(k["attempt"].id, k["actor"].id) for _s, k in graded] == [(attempt.id, instructor.id)]


def test_issuing_and_revoking_a_document_send_their_events(make_user, make_cohort, now):
    learner, admin = make_user(Role.LEARNER), make_user(Role.ADMIN)
    cohort = make_cohort(learners=[learner])
    with caught(signals.document_issued) as issued, caught(signals.document_revoked) as revoked:
        document = issue(learner, cohort, now)
        documents.revoke(document, "Cấp nhầm", admin, now)
        db.session.commit()
    assert [k["document"].code for _s, k in issued] == [document.code]
    assert [(k["document"].code, k["reason"]) for _s, k in revoked] == [(document.code, "Cấp nhầm")]
