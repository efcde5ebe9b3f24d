"""Reads for the learners' feedback: what a learner has answered, whether they may answer, what their pages invite
them to, and a cohort's report for staff (a fixed number of queries, whatever the cohort's size)."""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, bindparam, func, select

from lms.catalog.outline import ModuleView
from lms.domain.feedback import (
    ITEM_KEYS,
    Answers,
    Summary,
    may_give_course_feedback,
    may_give_module_feedback,
    response_rate,
    summarize,
)
from lms.extensions import db
from lms.grades.standing import ModuleProgress, progress_for
from lms.models import Cohort, Enrolment, FeedbackReceipt, FeedbackResponse, GradeEntry, Module

SENT, OPEN, NOT_YET = "sent", "open", "not_yet"

# Built once: the module page runs it for every learner's visit.
_receipt_here = select(FeedbackReceipt.id).where(
    FeedbackReceipt.user_id == Enrolment.user_id, FeedbackReceipt.cohort_id == Enrolment.cohort_id,
    FeedbackReceipt.module_id == bindparam("module_id")).exists()
# a chuyên đề is passed only on a grade: without one in the ledger, the standing's three queries are not needed
_graded_here = select(GradeEntry.id).where(
    GradeEntry.user_id == Enrolment.user_id, GradeEntry.cohort_id == Enrolment.cohort_id,
    GradeEntry.module_id == bindparam("module_id")).exists()
CURRENT_COHORT_AND_SENT = (select(Enrolment.cohort_id, _receipt_here, _graded_here)
                           .where(Enrolment.user_id == bindparam("user_id"))
                           .order_by(Enrolment.enrolled_at.desc(), Enrolment.id.desc()).limit(1))


def _subject(module_id: int | None):
    return FeedbackReceipt.module_id.is_(None) if module_id is None else FeedbackReceipt.module_id == module_id


def has_sent(user_id: int, cohort_id: int, module_id: int | None) -> bool:
    """Whether the learner has answered about the chuyên đề (None: the course) in the cohort."""
    return db.session.scalar(select(FeedbackReceipt.id).where(
        FeedbackReceipt.user_id == user_id, FeedbackReceipt.cohort_id == cohort_id, _subject(module_id))) is not None


def may_answer(user_id: int, cohort: Cohort, module: ModuleView | Module | None, today: date) -> bool:
    """By the standing rules of the cohort: a chuyên đề once passed, the course once every one is passed or the
    cohort has ended (three queries)."""
    if module is not None:
        rows = progress_for([user_id], cohort.id, [module]).get(user_id, [])
        return bool(rows) and may_give_module_feedback(rows[0].status)
    rows = progress_for([user_id], cohort.id).get(user_id, [])
    return may_give_course_feedback([row.status for row in rows], cohort.ends_on, today)


def subject_state(user_id: int, cohort: Cohort, module: ModuleView | None, today: date) -> str:
    """SENT (thanks, no change), OPEN (the form) or NOT_YET (the learner may not answer yet)."""
    if has_sent(user_id, cohort.id, module.id if module else None):
        return SENT
    return OPEN if may_answer(user_id, cohort, module, today) else NOT_YET


def invites_on_module_page(user_id: int, module: ModuleView) -> bool:
    """Whether the chuyên đề's page invites the learner to give feedback on it: passed in their current cohort and
    not answered yet (one query, then three for the standing once the chuyên đề has a grade)."""
    found = db.session.execute(CURRENT_COHORT_AND_SENT, {"user_id": user_id, "module_id": module.id}).first()
    if found is None or found[1] or not found[2]:
        return False
    rows = progress_for([user_id], found[0], [module]).get(user_id, [])
    return bool(rows) and may_give_module_feedback(rows[0].status)


@dataclass(frozen=True)
class Invitations:
    """What the learner's home page invites them to answer: the chuyên đề passed and not answered, the course."""

    modules: tuple[ModuleView, ...] = ()
    course: bool = False

    def __bool__(self) -> bool:
        return bool(self.modules) or self.course


def invitations(user_id: int, cohort_id: int | None, rows: Sequence[ModuleProgress], today: date) -> Invitations:
    """From the learner's standing in the cohort (`rows`, read by the caller): one query for the cohort's end and
    what the learner has answered already."""
    if cohort_id is None:
        return Invitations()
    found = db.session.execute(select(Cohort.ends_on, FeedbackReceipt.module_id, FeedbackReceipt.id).outerjoin(
        FeedbackReceipt, and_(FeedbackReceipt.cohort_id == Cohort.id, FeedbackReceipt.user_id == user_id))
        .where(Cohort.id == cohort_id)).all()
    if not found:
        return Invitations()
    ends_on, sent = found[0][0], {module_id for _ends, module_id, receipt in found if receipt is not None}
    modules = tuple(row.module for row in rows if row.module.id not in sent and may_give_module_feedback(row.status))
    course = None not in sent and may_give_course_feedback([row.status for row in rows], ends_on, today)
    return Invitations(modules, course)


@dataclass(frozen=True)
class SubjectReport:
    """The figures of one chuyên đề (module None: the course) in a cohort."""

    module: ModuleView | None
    responses: int
    rate: int  # percent of the cohort's learners
    summary: Summary


@dataclass(frozen=True)
class CohortReport:
    """A cohort's feedback: the course first, then every chuyên đề in order."""

    learners: int
    subjects: tuple[SubjectReport, ...]


_ANSWERS = select(FeedbackResponse.module_id, *(getattr(FeedbackResponse, key) for key in ITEM_KEYS),
                  FeedbackResponse.suggestion).where(FeedbackResponse.cohort_id == bindparam("cohort_id"))
_RECEIPTS = (select(FeedbackReceipt.module_id, func.count()).where(FeedbackReceipt.cohort_id == bindparam("cohort_id"))
             .group_by(FeedbackReceipt.module_id))
_LEARNERS = select(func.count()).select_from(Enrolment).where(Enrolment.cohort_id == bindparam("cohort_id"))


def cohort_report(cohort_id: int, modules: Sequence[ModuleView]) -> CohortReport:
    """The cohort's report in three queries (learners, receipts, answers): figures only for subjects with enough
    responses (lms.domain.feedback.summarize), and never a name, an id or a time."""
    params = {"cohort_id": cohort_id}
    learners = db.session.scalar(_LEARNERS, params) or 0
    receipts = Counter(dict(db.session.execute(_RECEIPTS, params).all()))
    answers: dict[int | None, list[Answers]] = defaultdict(list)
    for row in db.session.execute(_ANSWERS, params):
        answers[row[0]].append(Answers(dict(zip(ITEM_KEYS, row[1:-1], strict=True)), row[-1]))
    subjects = tuple(SubjectReport(module, receipts[module_id], response_rate(receipts[module_id], learners),
                                   summarize(answers[module_id]))
                     for module, module_id in [(None, None), *((m, m.id) for m in modules)])
    return CohortReport(learners, subjects)
