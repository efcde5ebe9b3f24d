"""Who may see an attempt: its learner, and the staff who teach the learner's cohort."""
from __future__ import annotations

from lms.instructor.queries import can_teach
from lms.models import Attempt, User


def can_view_attempt(user: User, attempt: Attempt) -> bool:
    """The owner, an administrator, or an instructor of the attempt's cohort."""
    if attempt.user_id == user.id or user.is_admin:
        return True
    return user.is_instructor and attempt.cohort_id is not None and can_teach(user, attempt.cohort_id)
