"""Who may see an attempt: its learner, and the staff who teach the learner's cohort."""
from __future__ import annotations

from lms.instructor.queries import can_see_learner_work
from lms.models import Attempt, User


def can_view_attempt(user: User, attempt: Attempt) -> bool:
    """The owner, an administrator, or an instructor of the attempt's cohort."""
    return can_see_learner_work(user, attempt.user_id, attempt.cohort_id)
