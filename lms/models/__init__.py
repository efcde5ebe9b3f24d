"""SQLAlchemy models, split by aggregate; importing this package registers every table."""
from lms.models.audit import AuditEvent
from lms.models.cohorts import Cohort, CohortInstructor, Enrolment
from lms.models.users import LoginFailure, Role, User, UserSession

__all__ = [
    "AuditEvent",
    "Cohort",
    "CohortInstructor",
    "Enrolment",
    "LoginFailure",
    "Role",
    "User",
    "UserSession",
]
