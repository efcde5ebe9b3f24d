"""Case pages over HTTP: the attempt journey without JavaScript, tampering, review and preview."""
from __future__ import annotations

import re

from sqlalchemy import func, select

from lms.extensions import db
from lms.models import Attempt, AttemptAnswer, Role
from tests.conftest import CASE_FIXTURE, csrf_token


def start(client, case) -> str:
    """Start (or resume) an attempt and return its page's path."""
    response = client.post(f"/cases/{case.slug}/start", data={"csrf_token": csrf_token(client, f"/cases/{case.slug}")})
    assert response.status_code == 302
    return response.headers["Location"]


def post(client, path, action="save", **fields):
    return client.post(path, data={"csrf_token": csrf_token(client, path), "action": action, **fields})


def test_case_page_shows_the_scenario_and_a_start_button(learner, case):
    page = learner.get(f"/cases/{case.slug}").get_data(as_text=True)
    assert "Hai hộ ở thôn Đông" in page and "Bắt đầu làm bài" in page


def test_full_journey_without_javascript(learner, make_case):
    case = make_case(attempts_allowed=1)  # the last allowed attempt: the review shows the key (issue #12's policy)
    path = start(learner, case)
    assert "Việc đầu tiên?" in learner.get(path).get_data(as_text=True)
    assert post(learner, path, "continue", **{"q-q1": "a"}).status_code == 302
    page = learner.get(path).get_data(as_text=True)
    assert "Hòa giải" in page and "Nộp bài" in page
    fields = {"q-q2-rank-a": "1", "q-q2-rank-b": "2", "q-q2-rank-c": "3", "q-q3": ["a", "b"]}
    response = post(learner, path, "submit", **fields)
    assert response.status_code == 302
    review = learner.get(response.headers["Location"], follow_redirects=True).get_data(as_text=True)
    assert "10,0" in review and "Xuất sắc" in review
    assert "Chuyên gia: 4/4" in review and "Hòa giải đúng quy định là cách làm tốt nhất." in review


def test_continuing_with_an_unanswered_question_keeps_the_answers_and_explains(learner, case):
    path = start(learner, case)
    post(learner, path, "continue", **{"q-q1": "a"})
    response = post(learner, path, "continue", **{"q-q2-rank-a": "1", "q-q2-rank-b": "1"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "mỗi thứ hạng chỉ dùng một lần" in page and "Vui lòng trả lời câu hỏi này." in page
    assert re.search(r'<option value="1" selected>1</option>', page)


def test_tampered_option_gets_400_and_nothing_changes(learner, case):
    path = start(learner, case)
    post(learner, path, **{"q-q1": "a"})
    response = post(learner, path, **{"q-q1": "zzz"})
    assert response.status_code == 400
    assert db.session.scalar(select(AttemptAnswer.state)) == {"choice": "a"}


def test_rank_out_of_range_gets_400(learner, case):
    path = start(learner, case)
    post(learner, path, "continue", **{"q-q1": "a"})
    assert post(learner, path, **{"q-q2-rank-a": "9"}).status_code == 400


def test_the_last_stage_asks_before_handing_in_and_works_without_javascript(learner, case):
    path = start(learner, case)
    post(learner, path, "continue", **{"q-q1": "a"})
    html = learner.get(path).get_data(as_text=True)
    # the page's script asks on the first press (the journeys press twice); without it the button hands in at once
    assert '<div id="confirm-submit" class="flash flash-warning" role="alert" hidden>' in html
    assert 'data-confirm-label="Xác nhận nộp bài"' in html
    response = post(learner, path, "submit", **{"q-q2-rank-a": "1", "q-q2-rank-b": "2", "q-q2-rank-c": "3",
                                                 "q-q3": ["a", "b"]})
    assert response.status_code == 302 and db.session.scalar(select(Attempt.state)) != "in_progress"


def test_each_rank_menu_is_named_by_its_option(learner, case):
    """A screen reader hears "Thứ hạng" and the option's text for each menu, not the same name four times."""
    path = start(learner, case)
    post(learner, path, "continue", **{"q-q1": "a"})
    html = learner.get(path).get_data(as_text=True)
    menus = re.findall(r'<select name="q-q2-rank-[^"]+" aria-labelledby="([^"]+)"', html)
    assert len(menus) == 3
    names = []
    for labelled_by in menus:
        parts = [re.search(rf'id="{ident}"[^>]*>(.*?)</span>', html, re.S) for ident in labelled_by.split()]
        assert all(parts), labelled_by
        names.append(" ".join(re.sub(r"<[^>]+>", "", part.group(1)).strip() for part in parts))
    assert all(name.startswith("Thứ hạng ") for name in names) and len(set(names)) == 3


def test_another_learners_attempt_is_forbidden(learner, case, login_as):
    path = start(learner, case)
    other = login_as(Role.LEARNER)
    assert other.get(path).status_code == 403
    assert post(other, path, **{"q-q1": "b"}).status_code == 403
    assert other.get(path + "/review").status_code == 403


def test_replayed_submit_produces_one_graded_attempt(learner, case):
    path = start(learner, case)
    post(learner, path, "continue", **{"q-q1": "a"})
    data = {"q-q2-rank-a": "1", "q-q2-rank-b": "2", "q-q2-rank-c": "3", "q-q3": ["a"], "action": "submit",
            "csrf_token": csrf_token(learner, path)}
    first, replay = learner.post(path, data=data), learner.post(path, data=data)
    assert first.status_code == 302 and replay.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Attempt)) == 1
    assert "Bài làm này đã nộp" in learner.get(path, follow_redirects=True).get_data(as_text=True)


def test_autosave_answers_json_and_keeps_the_answer(learner, case):
    path = start(learner, case)
    response = learner.post(path + "/autosave", data={"csrf_token": csrf_token(learner, path), "q-q1": "c"})
    assert response.status_code == 200 and response.json["saved"] is True
    assert 'value="c" checked' in learner.get(path).get_data(as_text=True)


def test_staff_preview_shows_every_stage_and_the_key_without_an_attempt(login_as, case):
    staff = login_as(Role.INSTRUCTOR)
    page = staff.get(f"/cases/{case.slug}/preview").get_data(as_text=True)
    assert "Hòa giải" in page and "Căng thẳng" in page and "Vượt thẩm quyền." in page and "Thang chấm" in page
    assert db.session.scalar(select(func.count()).select_from(Attempt)) == 0


def test_key_hidden_until_the_module_date(make_case, login_as):
    from datetime import date

    case = make_case(key_visible_from=date(2099, 1, 1))
    learner = login_as(Role.LEARNER)
    path = start(learner, case)
    post(learner, path, "continue", **{"q-q1": "a"})
    response = post(learner, path, "submit", **{"q-q2-rank-a": "1", "q-q2-rank-b": "2", "q-q2-rank-c": "3",
                                                "q-q3": ["a"]})
    review = learner.get(response.headers["Location"], follow_redirects=True).get_data(as_text=True)
    assert "Chuyên gia:" not in review and "theo lịch của chuyên đề" in review


def test_english_mode_translates_case_pages(learner, case):
    learner.post("/language", data={"lang": "en", "csrf_token": csrf_token(learner, "/")})
    page = learner.get(start(learner, case)).get_data(as_text=True)
    assert "Save draft" in page


# --- shuffled options ----------------------------------------------------------------------------------------

SHUFFLED_CASE = re.sub(r"\n *shuffle: false", "", CASE_FIXTURE.read_text(encoding="utf-8"))
VALUE_RE = re.compile(r'name="q-q1" value="([^"]+)"[^>]*>\s*<span>([^<]+)</span>')


def shown_options(client, path) -> list[tuple[str, str]]:
    """(posted value, option text) of the first question's radios, in the order the page shows them."""
    return VALUE_RE.findall(client.get(path).get_data(as_text=True))


def test_a_shuffled_question_posts_positions_keeps_its_order_and_maps_back(learner, make_case):
    case = make_case(slug="xao-tron", text=SHUFFLED_CASE)
    path = start(learner, case)
    shown = shown_options(learner, path)
    assert [value for value, _text in shown] == ["1", "2", "3"]  # positions, never the authored ids a, b, c
    assert shown_options(learner, path) == shown  # a reload shows the same order
    attempt = db.session.scalar(select(Attempt).where(Attempt.case_id == case.id))
    best_text = "Chỉ đạo hòa giải đúng quy định"
    best_position = next(value for value, text in shown if text.strip() == best_text)
    assert post(learner, path, **{"q-q1": best_position}).status_code == 302
    assert db.session.scalar(select(AttemptAnswer.state).where(AttemptAnswer.attempt_id == attempt.id)) == {
        "choice": "a"}  # mapped back to the authored option on the server
    assert post(learner, path, **{"q-q1": "a"}).status_code == 400  # an authored id is not a value of this page


def test_two_attempts_at_a_shuffled_case_get_their_own_orders(make_user, make_case, login_as):
    case = make_case(slug="xao-tron", text=SHUFFLED_CASE)
    orders = set()
    for _ in range(6):
        client = login_as(Role.LEARNER)
        orders.add(tuple(text for _value, text in shown_options(client, start(client, case))))
    assert len(orders) > 1


def test_the_default_review_shows_score_and_path_and_keeps_the_key_until_the_last_attempt(make_case, login_as):
    case = make_case(attempts_allowed=2)
    learner = login_as(Role.LEARNER)
    info = learner.get(f"/cases/{case.slug}").get_data(as_text=True)
    assert "Trước khi làm bài" in info and "Số lần làm: 2; đồng chí đã nộp 0." in info
    assert "sau lần làm thứ 2 (lần cuối)" in info
    reviews, urls = [], []
    for _ in range(2):
        path = start(learner, case)
        post(learner, path, "continue", **{"q-q1": "a"})
        response = post(learner, path, "submit", **{"q-q2-rank-a": "1", "q-q2-rank-b": "2", "q-q2-rank-c": "3",
                                                    "q-q3": ["a", "b"]})
        urls.append(response.headers["Location"])
        reviews.append(learner.get(urls[-1], follow_redirects=True).get_data(as_text=True))
    first, last = reviews
    assert "10,0" in first and "Con đường đồng chí đã đi" in first
    assert "Chuyên gia:" not in first and "Tổng kết của chuyên gia" not in first
    assert "Chuyên gia: 4/4" in last and "Tổng kết của chuyên gia" in last
    first_again = learner.get(urls[0], follow_redirects=True).get_data(as_text=True)
    assert "Chuyên gia: 4/4" in first_again  # once no attempt remains, every review shows the key


def test_attempts_draw_question_variants_and_grade_the_one_drawn(make_case, login_as, counted_seeds):
    """A retake is not the same paper: each attempt answers the version of q3 its seed drew."""
    from tests.unit.content.test_variants import with_variant

    case = make_case(slug="bien-the", text=with_variant(CASE_FIXTURE.read_text(encoding="utf-8")))
    prompts = set()
    for _ in range(8):
        client = login_as(Role.LEARNER)
        path = start(client, case)
        post(client, path, "continue", **{"q-q1": "a"})
        page = client.get(path).get_data(as_text=True)
        prompts.update(p for p in ("Chọn các việc nên làm", "Nên làm gì trước tiên?") if p in page)
        attempt = db.session.scalar(select(Attempt).where(Attempt.user_id == client.user.id))
        q3 = next(q for s in services_definition(attempt).stages for q in s.questions if q.id == "q3")
        right = "x" if q3.variant else "a"
        fields = {"q-q2-rank-a": "1", "q-q2-rank-b": "2", "q-q2-rank-c": "3", "q-q3": [right]}
        assert post(client, path, "submit", **fields).status_code == 302
    assert prompts == {"Chọn các việc nên làm", "Nên làm gì trước tiên?"}


def services_definition(attempt):
    """The attempt's own paper."""
    from lms.cases.services import definition_of

    return definition_of(attempt)


def test_a_stale_stage_form_changes_nothing_and_gets_409(learner, case):
    """A second tab left on stage 1 posts stage 1's fields after stage 2 began: 409, nothing overwritten."""
    path = start(learner, case)
    stage_one = {"stage": "s1", "path_length": "1", "q-q1-shown": "1"}
    assert post(learner, path, "continue", **stage_one, **{"q-q1": "a"}).status_code == 302
    stage_two = {"stage": "s2a", "path_length": "2", "q-q2-shown": "1", "q-q3-shown": "1"}
    saved = post(learner, path, "save", **stage_two, **{"q-q2-rank-a": "1", "q-q2-rank-b": "2",
                                                         "q-q2-rank-c": "3", "q-q3": ["a"]})
    assert saved.status_code == 302
    before = sorted((a.question_id, a.state) for a in db.session.scalars(select(AttemptAnswer)))
    stale = post(learner, path, "continue", **stage_one, **{"q-q1": "b"})
    assert stale.status_code == 409 and "Trang này đã cũ" in stale.get_data(as_text=True)
    autosave = learner.post(f"{path}/autosave", data={"csrf_token": csrf_token(learner, path), **stage_one,
                                                      "q-q1": "b"})
    assert autosave.status_code == 409 and autosave.get_json()["error"] == "stale_stage"
    db.session.rollback()
    assert sorted((a.question_id, a.state) for a in db.session.scalars(select(AttemptAnswer))) == before


def test_a_question_the_form_did_not_show_keeps_its_saved_answer(learner, case):
    path = start(learner, case)
    post(learner, path, "continue", **{"stage": "s1", "path_length": "1", "q-q1-shown": "1", "q-q1": "a"})
    both = {"stage": "s2a", "path_length": "2", "q-q2-shown": "1", "q-q3-shown": "1"}
    post(learner, path, "save", **both, **{"q-q3": ["a", "b"], "q-q2-rank-a": "1"})
    only_q2 = {"stage": "s2a", "path_length": "2", "q-q2-shown": "1"}
    post(learner, path, "save", **only_q2, **{"q-q2-rank-a": "2"})  # a late save of a form without q3
    states = {a.question_id: a.state for a in db.session.scalars(select(AttemptAnswer))}
    assert states["q3"] == {"choices": ["a", "b"]} and states["q2"]["positions"]["a"] == 2


def test_a_too_long_written_answer_is_refused_with_its_length_and_kept_in_the_box(learner, case):
    """Never cut silently: the whole save is refused with a message, the text comes back, the saved answer stays."""
    path = start(learner, case)
    post(learner, path, "continue", **{"q-q1": "b"})  # the route with the written question q5
    assert post(learner, path, **{"q-q4-best": "a", "q-q4-worst": "b", "q-q5-text": "Bản nháp đã lưu."}
                ).status_code == 302
    long_text = "Phương án xử lý. " * 1300  # 22,100 characters
    response = post(learner, path, **{"q-q4-best": "b", "q-q4-worst": "a", "q-q5-text": long_text})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Phần lập luận dài 22.100 ký tự, vượt giới hạn 20.000 ký tự" in page
    assert long_text.strip() in page  # the learner's text is back in the box, whole
    assert "Câu trả lời đã được lưu" not in page and "chưa được lưu" in page  # no banner says it was saved
    assert 'action="' + path + '#stage"' in page  # the page opens at the stage and its message
    saved = {a.question_id: a.state for a in db.session.scalars(select(AttemptAnswer))}
    assert saved["q5"]["text"] == "Bản nháp đã lưu." and saved["q4"]["best"] == "a"
    autosave = learner.post(f"{path}/autosave", data={"csrf_token": csrf_token(learner, path), "q-q5-text": long_text})
    assert autosave.status_code == 422 and autosave.get_json()["error"] == "too_long"


def test_a_step_reads_the_cohort_with_the_attempt_for_its_records_and_an_autosave_never_reads_it(
        make_user, make_cohort, case, login_as, count_queries):
    user = make_user(Role.LEARNER)
    make_cohort(learners=[user])
    client = login_as(user)
    path = start(client, case)
    token = csrf_token(client, path)
    saved, stepped = [], []
    with count_queries(saved):
        assert client.post(path + "/autosave", data={"csrf_token": token, "q-q1": "a"}).status_code == 200
    with count_queries(stepped):
        assert client.post(path, data={"csrf_token": token, "action": "continue", "q-q1": "a"}).status_code == 302
    naming = re.compile(r"\b(FROM|JOIN) cohorts\b")
    assert [s for s in saved if naming.search(s)] == []
    reading = [s for s in stepped if naming.search(s)]  # the "answered" statement names the cohort: one read
    assert len(reading) == 1 and reading[0].startswith("SELECT attempts.id")


def test_the_module_page_shows_where_the_learner_stands_on_each_case(learner, case, login_as):
    """Lessons had their 'studied' tick; cases said nothing until opened one by one."""
    url = f"/modules/{case.module.key}"
    assert "Đang làm dở" not in learner.get(url).get_data(as_text=True)
    path = start(learner, case)
    assert "Đang làm dở" in learner.get(url).get_data(as_text=True)
    post(learner, path, "continue", **{"q-q1": "a"})
    post(learner, path, "submit", **{"q-q2-rank-a": "1", "q-q2-rank-b": "2", "q-q2-rank-c": "3", "q-q3": ["a", "b"]})
    html = learner.get(url).get_data(as_text=True)
    assert "Đang làm dở" not in html and re.search(r"✓ Đã chấm: \d+,\d điểm", html)
    other = login_as(Role.LEARNER).get(url).get_data(as_text=True)  # the kept page carries no one else's standing
    assert "Đã chấm" not in other and "Đang làm dở" not in other
