"""Keeping a learner's feedback: the anonymous answers and the receipt that they answered, in one unit of work that
flushes, never commits."""
from __future__ import annotations

import logging
import secrets
from datetime import datetime

from sqlalchemy.exc import IntegrityError

from lms.catalog.outline import ModuleView
from lms.domain.errors import DomainError
from lms.domain.feedback import Answers
from lms.extensions import db
from lms.feedback import queries
from lms.models import Cohort, FeedbackReceipt, FeedbackResponse, Module, User
from lms.schedule.services import local_zone

log = logging.getLogger(__name__)


class FeedbackError(DomainError):
    """Feedback the rules refuse: 'already_sent' (one per learner, subject and cohort), 'not_yet'."""

    status = 409


def submit_feedback(user: User, cohort: Cohort, module: ModuleView | Module | None, answers: Answers,
                    now: datetime) -> None:
    """Keep the answers about the chuyên đề (None: the course) without the learner's name, and a receipt that the
    learner answered, both or neither. The response gets a random id and the day, not the time; nothing is audited
    or logged with the learner (that would tie them to it)."""
    module_id, today = (module.id if module else None), now.astimezone(local_zone()).date()
    if queries.has_sent(user.id, cohort.id, module_id):
        raise FeedbackError("already_sent")
    if not queries.may_answer(user.id, cohort, module, today):
        raise FeedbackError("not_yet")
    try:
        with db.session.begin_nested():  # a double submit from two tabs: the receipt's unique index keeps one
            db.session.add(FeedbackReceipt(user_id=user.id, cohort_id=cohort.id, module_id=module_id))
            db.session.flush()
            db.session.add(FeedbackResponse(id=secrets.token_hex(16), cohort_id=cohort.id, module_id=module_id,
                                            answered_on=today, suggestion=answers.suggestion, **answers.scores))
            db.session.flush()
    except IntegrityError:
        raise FeedbackError("already_sent") from None
    log.info("feedback received in cohort %s about %s", cohort.id, module.key if module else "the course")
