"""SQLAlchemy models, split by aggregate; importing this package registers every table."""
from lms.models.api_tokens import API_SCOPES, ApiToken
from lms.models.attempts import FINISHED_STATES, Attempt, AttemptAnswer, AttemptState
from lms.models.audit import AuditEvent
from lms.models.cohorts import Cohort, CohortInstructor, Enrolment
from lms.models.content import (
    Case,
    CaseVersion,
    ContentDraft,
    ContentRevision,
    Lesson,
    LessonProgress,
    LessonVersion,
    Module,
    ModuleInstructor,
)
from lms.models.discussions import Discussion, DiscussionPost, PostReport, ThreadFollow
from lms.models.documents import DocumentStatus, IssuedDocument, RateLimitHit
from lms.models.essays import CourseEssay, EssayState, EssaySubmission
from lms.models.feedback import FeedbackReceipt, FeedbackResponse
from lms.models.grades import GradeEntry
from lms.models.jobs import Job, JobState
from lms.models.notifications import Announcement, Delivery, Event, Notification, NotificationPreference
from lms.models.schedule import ESSAY, MODULE, Extension, ScheduleItem
from lms.models.users import STAFF_ROLES, LoginFailure, Role, User, UserSession
from lms.models.xapi import XapiStatement

__all__ = [
    "API_SCOPES",
    "ApiToken",
    "FINISHED_STATES",
    "Attempt",
    "AttemptAnswer",
    "AttemptState",
    "Case",
    "CaseVersion",
    "ContentDraft",
    "ContentRevision",
    "Lesson",
    "LessonProgress",
    "LessonVersion",
    "Module",
    "RateLimitHit",
    "ModuleInstructor",
    "AuditEvent",
    "Cohort",
    "Discussion",
    "DiscussionPost",
    "PostReport",
    "ThreadFollow",
    "CourseEssay",
    "EssayState",
    "EssaySubmission",
    "FeedbackReceipt",
    "FeedbackResponse",
    "CohortInstructor",
    "DocumentStatus",
    "Enrolment",
    "GradeEntry",
    "Job",
    "Announcement",
    "Delivery",
    "Event",
    "Notification",
    "NotificationPreference",
    "ESSAY",
    "MODULE",
    "Extension",
    "ScheduleItem",
    "JobState",
    "IssuedDocument",
    "LoginFailure",
    "Role",
    "STAFF_ROLES",
    "User",
    "UserSession",
    "XapiStatement",
]
