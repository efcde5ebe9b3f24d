"""Grading written answers: the queue, rubric scores into the ledger, and concurrent graders."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from lms.extensions import db
from lms.models import Attempt, AttemptState, GradeEntry, Role
from lms.reviews import services
from tests.conftest import csrf_token, play_attempt

WRITTEN_PATH = [MultiDict({"q-q1": "b"}),
                MultiDict({"q-q4-best": "a", "q-q4-worst": "b", "q-q5-text": "Tôi sẽ chỉ đạo hòa giải theo quy định."})]
FULL_MARKS = {"r-q5-basis": "2", "r-q5-plan": "2", "f-q5": "Lập luận tốt."}


@pytest.fixture
def setup(make_user, make_cohort, make_case, now):
    """A learner in an instructor's cohort with a submitted attempt awaiting review."""
    learner, instructor = make_user(Role.LEARNER), make_user(Role.INSTRUCTOR)
    make_cohort(instructors=[instructor], learners=[learner])
    case = make_case()
    attempt = play_attempt(learner, case, WRITTEN_PATH, now)
    assert attempt.state == AttemptState.AWAITING_REVIEW
    return {"learner": learner, "instructor": instructor, "attempt": attempt, "case": case}


def test_queue_lists_the_attempt_for_its_instructor_only(setup, login_as):
    page = login_as(setup["instructor"]).get("/instructor/reviews/").get_data(as_text=True)
    assert setup["learner"].full_name in page
    assert '<th scope="col"></th>' not in page  # the buttons' column is named for screen readers too
    outsider = login_as(Role.INSTRUCTOR)
    assert setup["learner"].full_name not in outsider.get("/instructor/reviews/").get_data(as_text=True)
    assert outsider.get(f"/instructor/reviews/{setup['attempt'].id}").status_code == 403


def test_grading_scores_the_rubric_and_records_the_grade(setup, login_as):
    client = login_as(setup["instructor"])
    path = f"/instructor/reviews/{setup['attempt'].id}"
    response = client.post(path, data={"csrf_token": csrf_token(client, path), "version": "0", **FULL_MARKS})
    assert response.status_code == 302
    attempt = db.session.get(Attempt, setup["attempt"].id)
    assert attempt.state == AttemptState.GRADED and attempt.reviewed_by_id == setup["instructor"].id
    # q1 chose a harmful option (0/1), q4 picked best and worst right (1/1), q5 full rubric (2/2): 3 of 4.
    assert attempt.score == 7.5
    assert db.session.scalar(select(GradeEntry.score).where(GradeEntry.user_id == setup["learner"].id)) == 7.5


def test_a_written_answer_not_yet_graded_shows_no_score_of_zero(setup, login_as):
    page = login_as(setup["instructor"]).get(f"/instructor/reviews/{setup['attempt'].id}").get_data(as_text=True)
    assert "Điểm: chờ giảng viên chấm" in page and "Điểm: 0,0/4,0" not in page  # as if graded zero
    assert 'href="#grading-form"' in page and 'id="grading-form"' in page  # a tablet shows the rubric below


def test_learner_sees_the_feedback_and_is_told_on_the_dashboard(setup, login_as):
    client = login_as(setup["instructor"])
    path = f"/instructor/reviews/{setup['attempt'].id}"
    client.post(path, data={"csrf_token": csrf_token(client, path), "version": "0", **FULL_MARKS})
    learner = login_as(setup["learner"])
    assert "Bài tự luận đã được chấm" in learner.get("/progress").get_data(as_text=True)
    review = learner.get(f"/attempts/{setup['attempt'].id}/review").get_data(as_text=True)
    assert "Lập luận tốt." in review and "7,5" in review


def test_a_score_off_the_rubric_is_refused(setup, login_as):
    client = login_as(setup["instructor"])
    path = f"/instructor/reviews/{setup['attempt'].id}"
    response = client.post(path, data={"csrf_token": csrf_token(client, path), "version": "0",
                                       "r-q5-basis": "1", "r-q5-plan": "2", "f-q5": "Cần nêu căn cứ."})
    assert response.status_code == 400
    kept = response.get_data(as_text=True)  # the level picked and the feedback come back; the refused one does not
    assert kept.count(" checked>") == 1 and re.search(r'name="r-q5-plan" value="2(\.0)?" required checked>', kept)
    assert ">Cần nêu căn cứ.</textarea>" in kept
    assert db.session.get(Attempt, setup["attempt"].id).state == AttemptState.AWAITING_REVIEW


def test_second_grader_gets_a_conflict_not_an_overwrite(setup, login_as, make_user, now):
    first, second = login_as(setup["instructor"]), login_as(Role.ADMIN)
    path = f"/instructor/reviews/{setup['attempt'].id}"
    token_first, token_second = csrf_token(first, path), csrf_token(second, path)  # both opened the page
    assert first.post(path, data={"csrf_token": token_first, "version": "0", **FULL_MARKS}).status_code == 302
    late = second.post(path, data={"csrf_token": token_second, "version": "0", "r-q5-basis": "0", "r-q5-plan": "0"})
    assert late.status_code == 409
    assert db.session.get(Attempt, setup["attempt"].id).score == 7.5


def test_stale_version_is_a_conflict_in_the_service(setup, now):
    attempt = setup["attempt"]
    with pytest.raises(services.ReviewConflict):
        services.grade_written(attempt, {"q5": {"basis": 2.0, "plan": 2.0}}, {}, expected_version=7,
                               actor=setup["instructor"], now=now)


def test_feedback_past_the_limit_is_refused_whole_and_kept_for_the_grader(setup, login_as):
    client = login_as(setup["instructor"])
    path = f"/instructor/reviews/{setup['attempt'].id}"
    long_feedback = "Cần nêu rõ căn cứ pháp lý. " * 200  # 5,400 characters
    response = client.post(path, data={"csrf_token": csrf_token(client, path), "version": "0",
                                       **{**FULL_MARKS, "f-q5": long_feedback}})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "vượt giới hạn 5.000 ký tự; chưa chấm" in page
    assert long_feedback.strip() in page
    assert db.session.get(Attempt, setup["attempt"].id).state == AttemptState.AWAITING_REVIEW


@pytest.fixture
def class_of_answers(make_user, make_cohort, make_case, now):
    """Five written answers waiting in one cohort: three from Ba Đình, two from Sóc Sơn (one of those late)."""
    from lms.models import Enrolment

    instructor = make_user(Role.INSTRUCTOR)
    names = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Em"]
    learners = [make_user(Role.LEARNER, full_name=name) for name in names]
    cohort = make_cohort(instructors=[instructor], learners=learners[:3], commune="Phường Ba Đình")
    for learner in learners[3:]:
        db.session.add(Enrolment(cohort=cohort, user=learner, commune="Xã Sóc Sơn", enrolled_at=now))
    db.session.commit()
    case = make_case()
    attempts = [play_attempt(learner, case, WRITTEN_PATH, now) for learner in learners]
    attempts[4].late = True
    db.session.commit()
    return {"instructor": instructor, "learners": learners, "attempts": attempts, "cohort": cohort, "case": case}


def test_the_queue_filters_by_commune_late_and_learner(class_of_answers, login_as):
    client = login_as(class_of_answers["instructor"])
    names = class_of_answers["learners"]
    page = client.get("/instructor/reviews/?commune=X%C3%A3+S%C3%B3c+S%C6%A1n").get_data(as_text=True)
    assert names[3].full_name in page and names[4].full_name in page and names[0].full_name not in page
    late = client.get("/instructor/reviews/?late=1").get_data(as_text=True)
    assert names[4].full_name in late and names[3].full_name not in late
    found = client.get("/instructor/reviews/?q=b%C3%ACnh").get_data(as_text=True)  # "bình", any case
    assert names[1].full_name in found and names[0].full_name not in found
    module = class_of_answers["case"].module.number
    assert names[0].full_name in client.get(f"/instructor/reviews/?module={module}").get_data(as_text=True)
    assert names[0].full_name not in client.get(f"/instructor/reviews/?module={module + 1}").get_data(as_text=True)
    assert "Chưa có bài nào được chấm" in client.get("/instructor/reviews/?state=graded").get_data(as_text=True)


def test_grade_next_goes_through_the_filtered_answers_one_after_another(class_of_answers, login_as):
    client = login_as(class_of_answers["instructor"])
    attempts = class_of_answers["attempts"]
    path = f"/instructor/reviews/{attempts[0].id}?commune=Ph%C6%B0%E1%BB%9Dng+Ba+%C4%90%C3%ACnh"
    graded = []
    for _ in range(3):
        page = client.get(path).get_data(as_text=True)
        left = 2 - len(graded)
        assert f"còn {left} bài khác chờ chấm" in page
        response = client.post(path, data={"csrf_token": csrf_token(client, path), "version": "0", "then": "next",
                                           **FULL_MARKS})
        assert response.status_code == 302
        graded.append(path)
        path = response.headers["Location"]
    assert path.startswith("/instructor/reviews/?") and "commune=" in path  # none left in Ba Đình: the queue
    db.session.expire_all()
    states = [db.session.get(Attempt, a.id).state for a in attempts]
    assert states == [AttemptState.GRADED] * 3 + [AttemptState.AWAITING_REVIEW] * 2
    done = client.get("/instructor/reviews/?state=graded").get_data(as_text=True)
    assert "3 bài đã chấm" in done
    grader = class_of_answers["instructor"].full_name  # each graded answer with its score, grader and time
    assert "<th scope=\"col\">Điểm</th>" in done and done.count(f"<td>{grader}, ") == 3 and "<td>7,5</td>" in done
