"""Item analysis pages: statistics per question for the cohorts an instructor teaches, filters, exports."""
from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict

from lms.cases import services as attempts
from lms.extensions import db
from lms.models import Role
from tests.conftest import play_attempt

S1 = MultiDict({"q-q1": "a"})
GOOD = [S1, MultiDict([("q-q2-rank-a", "1"), ("q-q2-rank-b", "2"), ("q-q2-rank-c", "3"), ("q-q3", "a"),
                       ("q-q3", "b")])]
POOR = [S1, MultiDict([("q-q2-rank-a", "3"), ("q-q2-rank-b", "2"), ("q-q2-rank-c", "1"), ("q-q3", "c")])]




@pytest.fixture
def analysed(make_user, make_cohort, case, now):
    """An instructor's cohort of six learners: three played the expert path, three a poor one."""
    instructor = make_user(Role.INSTRUCTOR)
    learners = [make_user(Role.LEARNER) for _ in range(6)]
    cohort = make_cohort(instructors=[instructor], learners=learners)
    for index, learner in enumerate(learners):
        play_attempt(learner, case, GOOD if index % 2 == 0 else POOR, now)
    return {"instructor": instructor, "cohort": cohort, "case": case}


def test_the_cohorts_instructor_sees_each_questions_statistics(login_as, analysed):
    client = login_as(analysed["instructor"])
    html = client.get(f"/instructor/items?cohort={analysed['cohort'].id}").get_data(as_text=True)
    assert "Phân tích câu hỏi" in html and "Việc đầu tiên?" in html
    assert "6 bài" in html and "Độ dễ 1,00" in html  # everyone chose the best first step
    assert "Quá dễ: gần như ai cũng đạt" in html  # and the page says so in plain words


def test_filters_and_the_instructor_of_another_cohort(login_as, analysed, make_cohort):
    other = login_as(Role.INSTRUCTOR)
    assert other.get(f"/instructor/items?cohort={analysed['cohort'].id}").status_code == 403
    client = login_as(analysed["instructor"])
    module = analysed["case"].module.number
    assert "Việc đầu tiên?" not in client.get(
        f"/instructor/items?cohort={analysed['cohort'].id}&module={module + 1}").get_data(as_text=True)
    assert "Chưa có bài làm đã chấm" in client.get(
        f"/instructor/items?cohort={analysed['cohort'].id}&module={module + 1}").get_data(as_text=True)


def test_exports_hold_every_question(login_as, analysed):
    client = login_as(analysed["instructor"])
    csv = client.get(f"/instructor/items/export.csv?cohort={analysed['cohort'].id}")
    assert csv.status_code == 200 and csv.data.startswith("\ufeff".encode())
    text = csv.data.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Chuyên đề,Tình huống,Giai đoạn,Câu hỏi")
    assert "Việc đầu tiên?" in text and "1,0" in text
    xlsx = client.get(f"/instructor/items/export.xlsx?cohort={analysed['cohort'].id}")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"
    assert client.get(f"/instructor/items/export.pdf?cohort={analysed['cohort'].id}").status_code == 404


def test_each_variant_of_a_question_is_analysed_on_its_own(make_user, make_cohort, make_case, now, counted_seeds):
    """A question's variants have their own wording and options: their answers are not pooled."""
    from lms.cases.services import definition_of
    from lms.grades.item_queries import ItemFilters, item_rows
    from lms.models import Attempt
    from tests.conftest import CASE_FIXTURE
    from tests.unit.content.test_variants import with_variant

    case = make_case(slug="bien-the", text=with_variant(CASE_FIXTURE.read_text(encoding="utf-8")))
    learners = [make_user(Role.LEARNER) for _ in range(8)]
    make_cohort(learners=learners)
    drawn = []
    for learner in learners:
        attempt = attempts.start_attempt(learner, case, now)
        q3 = next(q for s in definition_of(attempt).stages for q in s.questions if q.id == "q3")
        drawn.append(q3.variant)
        pick = "x" if q3.variant else "a"
        forms = [S1, MultiDict([("q-q2-rank-a", "1"), ("q-q2-rank-b", "2"), ("q-q2-rank-c", "3"), ("q-q3", pick)])]
        play_attempt(learner, case, forms, now, attempt=attempt)
    assert set(drawn) == {0, 1}, "eight attempts should draw both versions"
    rows = [r for r in item_rows(ItemFilters()) if r.question.id == "q3"]
    assert sorted(r.question.variant for r in rows) == [0, 1]
    counts = {r.question.variant: r.stats.attempts for r in rows}
    assert counts == {0: drawn.count(0), 1: drawn.count(1)}
    assert db.session.query(Attempt).count() == 8


def test_rank_and_rate_questions_get_no_option_counts_nor_flags_read_from_them(analysed):
    """Every option of a rank or rate question is positioned or rated, never 'chosen': counting choices made each
    of them a distractor nobody picks."""
    from lms.grades.item_queries import ItemFilters, item_rows

    rows = {row.question.id: row for row in item_rows(ItemFilters(cohort_id=analysed["cohort"].id))}
    ranked = rows["q2"]
    assert ranked.question.type == "rank" and ranked.stats.attempts == 6
    assert ranked.stats.options == () and "unpicked_distractor" not in ranked.stats.flags
    assert "key_possibly_wrong" not in ranked.stats.flags
    assert rows["q1"].stats.options  # a question that picks keeps its option table
