"""Regrading a written answer already graded: the pre-filled form, the reason, the ledger, the audit, the learner's
notification, an override in force, issued transcripts, and every refusal."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from lms.domain.progress import GradeSource
from lms.extensions import db
from lms.grades.ledger import get_current_grade, override_grade
from lms.models import (
    Attempt,
    AttemptState,
    AuditEvent,
    DocumentStatus,
    Enrolment,
    GradeEntry,
    Notification,
    Role,
)
from lms.notifications import messages
from lms.reviews import services
from lms.transcripts import services as transcripts
from tests.conftest import csrf_token, play_attempt
from tests.document_helpers import issue
from tests.web.test_reviews import FULL_MARKS, WRITTEN_PATH

APPEAL = "Học viên đề nghị phúc khảo: phần căn cứ đã nêu đủ."
# basis 2, plan 1 of q5's rubric: q5 earns 1.5 of 2 instead of 2, the attempt 2.5 of 4 instead of 3 of 4.
LOWER = {"r-q5-basis": "2", "r-q5-plan": "1", "f-q5": "Kế hoạch còn sơ sài.", "reason": APPEAL}


@pytest.fixture
def graded(make_user, make_cohort, make_case, now):
    """A learner's written answer graded 7.5 by the cohort's instructor (the chuyên đề's grade is 7.5)."""
    learner = make_user(Role.LEARNER, full_name="Nguyễn Thị Phúc")
    instructor = make_user(Role.INSTRUCTOR, full_name="Trần Văn Chấm")
    cohort = make_cohort(instructors=[instructor], learners=[learner])
    case = make_case()
    attempt = play_attempt(learner, case, WRITTEN_PATH, now)
    services.grade_written(attempt, {"q5": {"basis": 2.0, "plan": 2.0}}, {"q5": "Lập luận tốt."}, 0, instructor, now)
    db.session.commit()
    assert attempt.score == 7.5
    return {"learner": learner, "instructor": instructor, "attempt": attempt, "case": case, "cohort": cohort,
            "path": f"/instructor/reviews/{attempt.id}/regrade"}


def regrade(client, path: str, **fields):
    """Open the regrade form (its CSRF token and version) and post these fields."""
    page = client.get(path).get_data(as_text=True)
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    return client.post(path, data={"csrf_token": csrf_token(client, path), "version": version, **fields})


def entries(learner) -> list[GradeEntry]:
    return list(db.session.scalars(select(GradeEntry).where(GradeEntry.user_id == learner.id)
                                   .order_by(GradeEntry.id)))


def test_the_graded_list_the_grading_page_and_the_review_page_offer_a_regrade(graded, login_as):
    client, path = login_as(graded["instructor"]), graded["path"]
    assert f'href="{path}?state=graded"' in client.get("/instructor/reviews/?state=graded").get_data(as_text=True)
    assert f'href="{path}"' in client.get(f"/instructor/reviews/{graded['attempt'].id}").get_data(as_text=True)
    assert f'href="{path}"' in client.get(f"/attempts/{graded['attempt'].id}/review").get_data(as_text=True)
    own = login_as(graded["learner"]).get(f"/attempts/{graded['attempt'].id}/review").get_data(as_text=True)
    assert "/regrade" not in own and "Chấm lại" not in own


def test_the_form_opens_with_the_current_levels_and_feedback_and_asks_for_a_reason(graded, login_as):
    page = login_as(graded["instructor"]).get(graded["path"]).get_data(as_text=True)
    assert re.search(r'name="r-q5-basis" value="2(\.0)?" required checked>', page)
    assert re.search(r'name="r-q5-plan" value="2(\.0)?" required checked>', page) and page.count(" checked>") == 2
    assert ">Lập luận tốt.</textarea>" in page and "Lý do chấm lại" in page and 'name="reason"' in page


def test_a_regrade_rescores_records_a_new_ledger_entry_audits_and_tells_the_learner(graded, login_as):
    client, learner, attempt = login_as(graded["instructor"]), graded["learner"], graded["attempt"]
    response = regrade(client, graded["path"], **LOWER)
    assert response.status_code == 302 and response.headers["Location"] == f"/instructor/reviews/{attempt.id}"
    after = db.session.get(Attempt, attempt.id)
    assert (after.state, after.score, after.reviewed_by_id) == (AttemptState.GRADED, 6.3, graded["instructor"].id)
    assert {a.question_id: a.rubric_scores for a in after.answers if a.rubric_scores} == {
        "q5": {"basis": 2.0, "plan": 1.0}}
    ledger = entries(learner)  # append-only: the first grade stays, the regrade is a person's, with the reason
    assert [(e.score, e.source, e.reason) for e in ledger] == [(7.5, GradeSource.COMPUTED, None),
                                                               (6.3, GradeSource.REVIEW_REGRADE, APPEAL)]
    assert ledger[1].actor_id == graded["instructor"].id and ledger[1].attempt_id == attempt.id
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "attempt.regraded"))
    assert (event.actor_id, event.target_id) == (graded["instructor"].id, str(attempt.id))
    assert (event.details["old_score"], event.details["score"], event.details["reason"]) == (7.5, 6.3, APPEAL)
    told = db.session.scalars(select(Notification).where(Notification.user_id == learner.id)
                              .order_by(Notification.id)).all()
    assert len(told) == 2 and told[-1].url == f"/attempts/{attempt.id}/review"
    assert messages.title(told[-1].event, told[-1].params).endswith("đã được chấm lại: 6,3/10")
    assert APPEAL in messages.detail(told[-1].event, told[-1].params)
    page = client.get(f"/instructor/reviews/{attempt.id}").get_data(as_text=True)
    assert "Đã chấm lại: điểm bài làm từ 7,5 thành 6,3" in page and "chấm bởi Trần Văn Chấm" in page


def test_the_learner_sees_the_new_score_and_the_old_grade_in_the_history(graded, login_as):
    regrade(login_as(graded["instructor"]), graded["path"], **LOWER)
    client = login_as(graded["learner"])
    review = client.get(f"/attempts/{graded['attempt'].id}/review").get_data(as_text=True)
    assert "6,3" in review and "Kế hoạch còn sơ sài." in review and "7,5" not in review
    module = graded["case"].module
    history = client.get(f"/progress/{module.key}").get_data(as_text=True)
    assert "7,5" in history and "6,3" in history and "Giảng viên chấm lại bài tự luận" in history and APPEAL in history
    staff = login_as(graded["instructor"]).get(
        f"/instructor/gradebook/{graded['cohort'].id}/{graded['learner'].id}/{module.key}").get_data(as_text=True)
    assert "7,5" in staff and "Giảng viên chấm lại bài tự luận" in staff


def test_a_regrade_that_leaves_the_grade_as_it_was_adds_nothing_to_the_ledger(graded, login_as):
    response = regrade(login_as(graded["instructor"]), graded["path"], **{**FULL_MARKS, "f-q5": "Rất tốt.",
                                                                          "reason": "Sửa nhận xét"})
    assert response.status_code == 302
    assert [e.score for e in entries(graded["learner"])] == [7.5]
    assert rubric_of(graded)[1] == "Rất tốt."


def test_with_an_override_in_force_the_computed_grade_is_recorded_and_the_override_stays(graded, login_as, now):
    module = graded["case"].module
    override_grade(graded["learner"], module, graded["cohort"].id, 9.0, "Bảo lưu điểm", graded["instructor"], now)
    db.session.commit()
    client = login_as(graded["instructor"])
    assert "điểm điều chỉnh vẫn có hiệu lực" in client.get(graded["path"]).get_data(as_text=True)
    response = regrade(client, graded["path"], **LOWER)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Điểm chuyên đề của học viên đang do giảng viên điều chỉnh: điểm điều chỉnh vẫn có hiệu lực" in page
    assert [e.source for e in entries(graded["learner"])] == [GradeSource.COMPUTED, GradeSource.OVERRIDE,
                                                              GradeSource.REVIEW_REGRADE]
    current = get_current_grade(graded["learner"].id, module.id, graded["cohort"].id)
    assert (current.source, current.score) == (GradeSource.OVERRIDE, 9.0)


def test_a_regrade_that_changes_the_grade_supersedes_the_valid_transcript(graded, login_as, now):
    first = issue(graded["learner"], graded["cohort"], now)
    assert regrade(login_as(graded["instructor"]), graded["path"], **LOWER).status_code == 302
    db.session.refresh(first)
    replacement = transcripts.current_document(graded["learner"], graded["cohort"], "transcript")
    assert first.status == DocumentStatus.SUPERSEDED and first.superseded_by_id == replacement.id
    grades = [r["value"] for r in replacement.credential["credentialSubject"]["result"] if "value" in r]
    assert grades[0] == "6.3" and replacement.status == DocumentStatus.VALID


def rubric_of(graded) -> tuple[dict, str | None]:
    """The written answer's rubric scores and feedback as stored."""
    db.session.expire_all()
    answer = next(a for a in db.session.get(Attempt, graded["attempt"].id).answers if a.question_id == "q5")
    return answer.rubric_scores, answer.feedback


def unchanged(graded) -> None:
    """Nothing was saved: the score, the levels and the ledger are as the first grading left them."""
    assert rubric_of(graded) == ({"basis": 2.0, "plan": 2.0}, "Lập luận tốt.")
    assert db.session.get(Attempt, graded["attempt"].id).score == 7.5
    assert [e.score for e in entries(graded["learner"])] == [7.5]


def test_a_missing_reason_is_refused_with_the_levels_and_feedback_kept(graded, login_as):
    response = regrade(login_as(graded["instructor"]), graded["path"], **{**LOWER, "reason": "   "})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Phải ghi lý do chấm lại" in page
    assert re.search(r'name="r-q5-plan" value="1(\.0)?" required checked>', page)
    assert ">Kế hoạch còn sơ sài.</textarea>" in page
    unchanged(graded)


@pytest.mark.parametrize(("tampered", "said"), [
    pytest.param({"r-q5-plan": "1.5"}, "Mức điểm đã gửi cho tiêu chí “plan” không có trong thang chấm",
                 id="a level that does not exist"),
    pytest.param({"r-q5-plan": "mười"}, "Mức điểm đã gửi cho tiêu chí “plan” không có trong thang chấm",
                 id="not a number"),
    pytest.param({"r-q5-luong": "2"}, "Biểu mẫu gửi điểm cho một tiêu chí không có trong thang chấm (“q5-luong”)",
                 id="a criterion the rubric does not have"),
    pytest.param({"r-q5-plan": ""}, "Hãy chọn một mức điểm cho mọi tiêu chí.", id="a criterion left unchosen"),
])
def test_a_forged_or_incomplete_rubric_is_refused_with_the_reason_kept(graded, login_as, tampered, said):
    response = regrade(login_as(graded["instructor"]), graded["path"], **{**LOWER, **tampered})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and said in page
    assert f"\n{APPEAL}</textarea>" in page and ">Kế hoạch còn sơ sài.</textarea>" in page
    unchanged(graded)


def test_the_same_checks_guard_the_first_grading(graded, login_as, make_user, make_cohort, now):
    """A criterion the rubric does not have is refused when grading too, no longer ignored."""
    other = make_user(Role.LEARNER)
    make_cohort(instructors=[graded["instructor"]], learners=[other])
    attempt = play_attempt(other, graded["case"], WRITTEN_PATH, now)
    client, path = login_as(graded["instructor"]), f"/instructor/reviews/{attempt.id}"
    response = client.post(path, data={"csrf_token": csrf_token(client, path), "version": "0", **FULL_MARKS,
                                       "r-q9-basis": "2"})
    assert response.status_code == 400 and "(“q9-basis”)" in response.get_data(as_text=True)
    assert db.session.get(Attempt, attempt.id).state == AttemptState.AWAITING_REVIEW


def test_only_graded_answers_of_a_cohort_one_teaches_are_regraded(graded, login_as, make_user, now):
    classmate = make_user(Role.LEARNER)
    db.session.add(Enrolment(cohort_id=graded["cohort"].id, user_id=classmate.id, commune="Phường Ba Đình",
                             enrolled_at=now))
    waiting = play_attempt(classmate, graded["case"], WRITTEN_PATH, now)
    client = login_as(graded["instructor"])
    token = csrf_token(client, graded["path"])
    for method, data in ((client.get, None), (client.post, {**LOWER, "csrf_token": token, "version": "0"})):
        refused = method(f"/instructor/reviews/{waiting.id}/regrade", data=data)
        assert refused.status_code == 409 and "chưa được chấm nên chưa thể chấm lại" in refused.get_data(as_text=True)
    assert db.session.get(Attempt, waiting.id).state == AttemptState.AWAITING_REVIEW
    outsider = login_as(Role.INSTRUCTOR)
    assert outsider.get(graded["path"]).status_code == 403
    assert outsider.post(graded["path"], data={**LOWER, "csrf_token": csrf_token(outsider, "/instructor/reviews/"),
                                               "version": "1"}).status_code == 403
    assert login_as(graded["learner"]).get(graded["path"]).status_code == 403
    assert client.get("/instructor/reviews/999999/regrade").status_code == 404
    unchanged(graded)


def test_a_stale_form_is_a_conflict_not_an_overwrite(graded, login_as):
    first, second = login_as(graded["instructor"]), login_as(Role.ADMIN)
    path = graded["path"]
    tokens = [csrf_token(client, path) for client in (first, second)]  # both opened the form at version 1
    assert first.post(path, data={"csrf_token": tokens[0], "version": "1", **LOWER}).status_code == 302
    late = second.post(path, data={"csrf_token": tokens[1], "version": "1", **FULL_MARKS, "reason": "Khác"})
    assert late.status_code == 409 and db.session.get(Attempt, graded["attempt"].id).score == 6.3


def test_the_service_refuses_an_attempt_no_instructor_graded(graded, make_user, now):
    waiting = play_attempt(make_user(Role.LEARNER), graded["case"], WRITTEN_PATH, now)
    with pytest.raises(services.NotRegradable):
        services.regrade_written(waiting, {"q5": {"basis": 2.0, "plan": 2.0}}, {}, APPEAL, 0, graded["instructor"],
                                 now + timedelta(hours=1))
