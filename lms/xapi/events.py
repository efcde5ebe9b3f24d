"""Learning events read from the rows of the app, as the plain events lms.domain.xapi turns into statements."""
from __future__ import annotations

from datetime import datetime

from lms.cases.services import definition_of, responses_of
from lms.catalog.outline import module_view
from lms.domain.cases import QuestionType
from lms.domain.xapi import (
    ANSWERED,
    ATTEMPTED,
    COMPLETED,
    EXPERIENCED,
    RECEIVED,
    REVOKED,
    SCORED,
    LearningEvent,
    Outcome,
    Score,
    compact,
    new_statement_id,
    passed_or_failed,
    registration_for,
)
from lms.extensions import db
from lms.models import (
    Attempt,
    AttemptState,
    CaseVersion,
    Cohort,
    CourseEssay,
    EssaySubmission,
    IssuedDocument,
    Lesson,
    User,
)
from lms.xapi import activities

TEN_POINT = (0.0, 10.0)


def account(user_id: int) -> str:
    """A person's account name on the home page: the stable id of the account, never the e-mail address."""
    return str(user_id)


def _cohort(cohort_id: int | None) -> Cohort | None:
    """The cohort, read once per unit of work: the session's identity map holds rows only while something else
    does, so the statements of one request would each read it again."""
    if not cohort_id:
        return None
    kept = db.session.info.setdefault("xapi_cohorts", {})
    if cohort_id not in kept:
        kept[cohort_id] = db.session.get(Cohort, cohort_id)
    return kept[cohort_id]


def _ten_point(score: float) -> Score:
    return Score(raw=score, minimum=TEN_POINT[0], maximum=TEN_POINT[1])


def lesson_studied(user: User, lesson: Lesson, cohort_id: int | None, now: datetime) -> LearningEvent:
    """A learner studied a lesson: experienced, completed."""
    return LearningEvent(new_statement_id(), account(user.id), EXPERIENCED, activities.lesson(lesson), now,
                         Outcome(completion=True), parents=(activities.module(lesson.module),),
                         grouping=activities.grouping(_cohort(cohort_id)))


def _attempt_context(attempt: Attempt, home_page: str) -> dict:
    return {"registration": registration_for(home_page, attempt.id),
            "parents": (activities.module(module_view(attempt.case.module_id)),),
            "grouping": activities.grouping(_cohort(attempt.cohort_id))}


def key_version(attempt: Attempt) -> int:
    """The version of the case whose key scores the attempt: the one answered, or the correction that regraded it."""
    if attempt.regraded_version_id:
        return db.session.get(CaseVersion, attempt.regraded_version_id).version
    return attempt.case_version.version


def _attempt_extensions(attempt: Attempt) -> dict:
    return {"attempt-number": attempt.number, "case-version": attempt.case_version.version,
            "key-version": key_version(attempt)}


def attempt_started(attempt: Attempt, home_page: str, now: datetime) -> LearningEvent:
    """A learner started an attempt at a case: attempted, with the attempt as the registration."""
    return LearningEvent(new_statement_id(), account(attempt.user_id), ATTEMPTED,
                         activities.case(attempt.case, attempt.case_version), now,
                         extensions=_attempt_extensions(attempt), **_attempt_context(attempt, home_page))


def shareable(response: dict) -> dict:
    """A response as it leaves the system: the options chosen; a written text only by its length."""
    if "text" not in response:
        return response
    return {**{k: v for k, v in response.items() if k != "text"}, "text_chars": len(response["text"] or "")}


def stage_answered(attempt: Attempt, stage_id: str | None, home_page: str, now: datetime) -> list[LearningEvent]:
    """A stage's answers as the learner committed them (going on, or submitting): one 'answered' per answered
    question of the stage. Drafts saved while the learner types say nothing."""
    definition = definition_of(attempt)
    stage = definition.stage(stage_id)
    if stage is None:
        return []
    responses = responses_of(attempt, definition)
    context = _attempt_context(attempt, home_page)
    case_activity = activities.case(attempt.case, attempt.case_version)
    events = []
    for question in stage.questions:
        if question.id not in responses:
            continue  # a question left unanswered (when time ran out) says nothing
        events.append(LearningEvent(
            new_statement_id(), account(attempt.user_id), ANSWERED,
            activities.question(attempt.case, attempt.case_version, question), now,
            Outcome(response=compact(shareable(responses[question.id])), completion=True),
            registration=context["registration"], parents=(case_activity,),
            grouping=(*context["parents"], *context["grouping"]), extensions=_attempt_extensions(attempt)))
    return events


def _case_outcome(attempt: Attempt, completion: bool, extensions: dict) -> Outcome:
    if attempt.state != AttemptState.GRADED or attempt.score is None:
        return Outcome(completion=completion, extensions=extensions)  # a written answer waits for an instructor
    return Outcome(_ten_point(attempt.score), attempt.score >= module_view(attempt.case.module_id).pass_mark, completion,
                   extensions=extensions)


def case_submitted(attempt: Attempt, home_page: str, now: datetime) -> list[LearningEvent]:
    """A learner submitted an attempt: completed, with the options chosen, the key version and the score (if
    known); a graded knowledge check is also passed or failed."""
    definition = definition_of(attempt)
    responses = {qid: shareable(r) for qid, r in responses_of(attempt, definition).items()}
    extensions = {"responses": responses, "path": list(attempt.path), "timed-out": attempt.timed_out,
                  "late": attempt.late}
    case_activity = activities.case(attempt.case, attempt.case_version)
    events = [LearningEvent(new_statement_id(), account(attempt.user_id), COMPLETED, case_activity, now,
                            _case_outcome(attempt, True, extensions), extensions=_attempt_extensions(attempt),
                            **_attempt_context(attempt, home_page))]
    return events + knowledge_check_result(attempt, home_page, now, None)


def knowledge_check_result(attempt: Attempt, home_page: str, now: datetime, instructor: User | None
                           ) -> list[LearningEvent]:
    """A graded knowledge check: passed or failed, with its score."""
    if not activities.is_knowledge_check(attempt.case_version) or attempt.state != AttemptState.GRADED:
        return []
    outcome = _case_outcome(attempt, True, {})
    return [LearningEvent(new_statement_id(), account(attempt.user_id), passed_or_failed(outcome.success),
                          activities.case(attempt.case, attempt.case_version), now, outcome,
                          instructor=account(instructor.id) if instructor else None,
                          extensions=_attempt_extensions(attempt), **_attempt_context(attempt, home_page))]


def written_graded(attempt: Attempt, actor: User, home_page: str, now: datetime) -> list[LearningEvent]:
    """An instructor graded the written answers: each written question scored, then the case scored."""
    definition = definition_of(attempt)
    written = {q.id: q for stage in definition.stages for q in stage.questions if q.type == QuestionType.WRITTEN}
    context = _attempt_context(attempt, home_page)
    case_activity = activities.case(attempt.case, attempt.case_version)
    events = []
    for answer in sorted(attempt.answers, key=lambda a: a.question_id):
        if answer.question_id not in written or answer.points is None or not answer.max_points:
            continue
        events.append(LearningEvent(
            new_statement_id(), account(attempt.user_id), SCORED,
            activities.question(attempt.case, attempt.case_version, written[answer.question_id]), now,
            Outcome(Score(answer.points, 0.0, answer.max_points),
                    extensions={"rubric-scores": answer.rubric_scores or {}}),
            registration=context["registration"], parents=(case_activity,),
            grouping=(*context["parents"], *context["grouping"]), instructor=account(actor.id),
            extensions=_attempt_extensions(attempt)))
    if attempt.state == AttemptState.GRADED and attempt.score is not None:
        events.append(LearningEvent(new_statement_id(), account(attempt.user_id), SCORED, case_activity, now,
                                    _case_outcome(attempt, True, {}), instructor=account(actor.id),
                                    extensions=_attempt_extensions(attempt), **context))
    return events + knowledge_check_result(attempt, home_page, now, actor)


def attempt_regraded(attempt: Attempt, actor: User, home_page: str, now: datetime) -> list[LearningEvent]:
    """An attempt scored again with a corrected key: the case scored anew, naming the key version used."""
    if attempt.state != AttemptState.GRADED or attempt.score is None:
        return []  # a written answer still waits for an instructor: its grading will say the score
    return [LearningEvent(new_statement_id(), account(attempt.user_id), SCORED,
                          activities.case(attempt.case, attempt.case_version), now,
                          _case_outcome(attempt, True, {"regraded": True}), instructor=account(actor.id),
                          extensions=_attempt_extensions(attempt), **_attempt_context(attempt, home_page))]


def module_result(user_id: int, module, grade: float, passed: bool, cohort_id: int | None, source: str,
                  now: datetime) -> LearningEvent:
    """A learner's module grade settled it: passed or failed, with the grade on the 10-point scale."""
    return LearningEvent(new_statement_id(), account(user_id), passed_or_failed(passed), activities.module(module),
                         now, Outcome(_ten_point(grade), passed, True), parents=(activities.course(),),
                         grouping=activities.cohort_only(_cohort(cohort_id)), extensions={"grade-source": source})


def essay_result(submission: EssaySubmission, essay: CourseEssay, actor: User, now: datetime) -> LearningEvent:
    """An instructor graded the final essay: passed or failed, with its score."""
    passed = submission.score >= essay.pass_mark
    return LearningEvent(new_statement_id(), account(submission.user_id), passed_or_failed(passed),
                         activities.essay(essay.title), now,
                         Outcome(_ten_point(submission.score), passed, True,
                                 extensions={"rubric-scores": submission.rubric_scores or {}}),
                         parents=(activities.course(),), grouping=activities.cohort_only(submission.cohort),
                         instructor=account(actor.id))


def document_event(document: IssuedDocument, actor: User | None, now: datetime, reason: str | None = None
                   ) -> LearningEvent:
    """A transcript or certificate issued to the learner (received), or revoked (with the reason)."""
    extensions = {"document-code": document.code, "document-kind": document.kind}
    if reason is not None:
        extensions["revocation-reason"] = reason
    if actor is not None and actor.id != document.user_id:
        extensions["by-account"] = account(actor.id)  # the administrator or instructor who did it
    return LearningEvent(new_statement_id(), account(document.user_id), REVOKED if reason is not None else RECEIVED,
                         activities.document(document), now, parents=(activities.course(),),
                         grouping=activities.cohort_only(document.cohort), extensions=extensions)
