"""The case debrief as a cohort discussion: who reads it when, how the class chose, posting, moderation,
notifications, the rate limit across two app instances, and sanitising."""
from __future__ import annotations

from datetime import timedelta

import pytest
from werkzeug.datastructures import MultiDict

from lms.extensions import db
from lms.models import AuditEvent, DiscussionPost, Event, Notification, PostReport, Role
from tests.conftest import csrf_token, play_attempt

S1_GOOD, S1_POOR = MultiDict({"q-q1": "a"}), MultiDict({"q-q1": "b"})
S2A = MultiDict([("q-q2-rank-a", "1"), ("q-q2-rank-b", "2"), ("q-q2-rank-c", "3"), ("q-q3", "a"), ("q-q3", "b")])
S2B = MultiDict({"q-q4-best": "a", "q-q4-worst": "b", "q-q5-text": "Tôi sẽ mời hai bên đối thoại."})


@pytest.fixture
def world(app, make_user, make_cohort, case):
    """A cohort with an instructor and six learners, another cohort with its own learner and instructor."""
    learners = [make_user(Role.LEARNER, full_name=f"Học viên {i}") for i in range(6)]
    teacher, stranger_teacher = make_user(Role.INSTRUCTOR, full_name="Cô Giảng"), make_user(Role.INSTRUCTOR)
    cohort = make_cohort(instructors=[teacher], learners=learners)
    outsider = make_user(Role.LEARNER)
    other = make_cohort(instructors=[stranger_teacher], learners=[outsider])
    return {"learners": learners, "teacher": teacher, "cohort": cohort, "outsider": outsider, "other": other,
            "stranger_teacher": stranger_teacher, "case": case,
            "url": f"/cohorts/{cohort.id}/cases/{case.slug}/discussion"}


def submit(learner, case, now, good=True):
    """The learner plays the case to the end (the good branch or the poor one)."""
    return play_attempt(learner, case, [S1_GOOD, S2A] if good else [S1_POOR, S2B], now)


def post_form(client, path, read_from, **fields):
    """Post a form with the CSRF token of the page it is on."""
    return client.post(path, data={"csrf_token": csrf_token(client, read_from), **fields})


def start_thread(client, world, title="Vì sao tôi chọn hòa giải", body="Tôi chọn hòa giải trước.", **extra):
    return post_form(client, world["url"], world["url"], title=title, body=body, **extra)


def test_the_discussion_opens_to_a_learner_only_after_they_submit(login_as, world, now):
    learner, case = world["learners"][0], world["case"]
    client = login_as(learner)
    locked = client.get(world["url"])
    assert locked.status_code == 403 and "sau khi đồng chí nộp bài" in locked.get_data(as_text=True)
    submit(learner, case, now)
    page = client.get(world["url"]).get_data(as_text=True)
    assert "Lớp đã chọn thế nào" in page and "Mở chủ đề mới" in page
    assert start_thread(client, world).status_code == 302
    thread = db.session.query(DiscussionPost).one()
    # a learner of the cohort who has not submitted, a learner of another cohort, and an instructor of another
    # cohort never read it; the cohort's instructor does
    for who in (world["learners"][1], world["outsider"], world["stranger_teacher"]):
        assert login_as(who).get(f"/discussion/threads/{thread.id}").status_code == 403
    submit(world["outsider"], case, now)
    outsider = login_as(world["outsider"])
    assert outsider.get(f"/discussion/threads/{thread.id}").status_code == 403
    assert outsider.get(world["url"]).status_code == 403
    own = outsider.get(f"/cases/{case.slug}/discussion")  # their own cohort's discussion, without this thread
    assert own.status_code == 302 and own.headers["Location"].startswith(f"/cohorts/{world['other'].id}/")
    assert "Vì sao tôi chọn hòa giải" not in outsider.get(own.headers["Location"]).get_data(as_text=True)
    teacher = login_as(world["teacher"])
    assert "Vì sao tôi chọn hòa giải" in teacher.get(world["url"]).get_data(as_text=True)
    assert teacher.get(f"/discussion/threads/{thread.id}").status_code == 200


def test_a_module_may_open_the_discussion_only_once_the_key_is_released(login_as, make_case, world, now):
    case = make_case(slug="sau-dap-an", discussion_opens="after_key", attempts_allowed=2)
    learner = world["learners"][0]
    client, url = login_as(learner), f"/cohorts/{world['cohort'].id}/cases/{case.slug}/discussion"
    submit(learner, case, now)  # one attempt of two: the key is not released yet
    locked = client.get(url)
    assert locked.status_code == 403 and "khi đáp án được công bố" in locked.get_data(as_text=True)
    submit(learner, case, now)  # the last attempt: the key is released
    assert client.get(url).status_code == 200
    dated = make_case(slug="co-ngay-cong-bo", discussion_opens="after_key", key_visible_from=(now - timedelta(days=1)).date())
    dated_url = f"/cohorts/{world['cohort'].id}/cases/{dated.slug}/discussion"
    assert login_as(world["learners"][1]).get(dated_url).status_code == 200  # the key date has passed


def test_the_class_choices_show_from_the_threshold_beside_the_key_once_released(login_as, world, now, app):
    case, learners = world["case"], world["learners"]
    for learner in learners[:4]:
        submit(learner, case, now, good=learner is not learners[3])
    client = login_as(learners[0])
    page = client.get(world["url"]).get_data(as_text=True)
    assert "khi đã có ít nhất 5 học viên nộp bài (hiện có 4)" in page and "Chỉ đạo hòa giải" not in page
    submit(learners[4], case, now, good=False)
    page = client.get(world["url"]).get_data(as_text=True)
    assert "Theo lần nộp gần nhất của 5 học viên" in page
    assert "<span class=\"prose\">Chỉ đạo hòa giải đúng quy định</span>" in page and "{&#39;text" not in page
    assert "<strong>60%</strong> <span class=\"muted\">(3)</span>" in page  # three of five chose a at stage 1
    assert "Hòa giải — <strong>60%</strong>" in page and "Căng thẳng — <strong>40%</strong>" in page
    assert "rating-4" not in page  # 2 of 3 attempts left: the expert ratings wait for the key
    app.config["DISCUSSION_MIN_CLASS"] = 6
    assert "hiện có 5" in client.get(world["url"]).get_data(as_text=True)


def test_posting_replying_quoting_editing_and_following(login_as, world, now):
    author, replier = world["learners"][0], world["learners"][1]
    for learner in (author, replier):
        submit(learner, world["case"], now, good=learner is author)
    client = login_as(author)
    start_thread(client, world, show_choice="1")
    thread = db.session.query(DiscussionPost).one()
    other = login_as(replier)
    page = other.get(f"/discussion/threads/{thread.id}").get_data(as_text=True)
    assert "Chọn khác đồng chí ở giai đoạn 1" in page  # the author allowed it; the reader chose b, the author a
    assert "<h1>Vì sao tôi chọn hòa giải</h1>" in page
    quoted = other.get(f"/discussion/threads/{thread.id}?quote={thread.id}").get_data(as_text=True)
    assert "&gt; **Người dùng" not in quoted and "&gt; Tôi chọn hòa giải trước." in quoted
    reply = post_form(other, f"/discussion/threads/{thread.id}", f"/discussion/threads/{thread.id}",
                      body="> Tôi chọn hòa giải trước.\n\nTôi thấy nên đối thoại.")
    assert reply.status_code == 302 and "#post-" in reply.headers["Location"]
    db.session.expire_all()
    assert db.session.get(DiscussionPost, thread.id).reply_count == 1
    told = db.session.query(Notification).filter_by(user_id=author.id, event=Event.DISCUSSION_REPLY).one()
    assert "#post-" in told.url
    assert db.session.query(Notification).filter_by(user_id=replier.id).count() == 0  # no word of one's own reply
    mine = db.session.query(DiscussionPost).filter(DiscussionPost.thread_id == thread.id).one()
    edited = post_form(other, f"/discussion/posts/{mine.id}/edit", f"/discussion/posts/{mine.id}/edit",
                       body="Tôi thấy nên đối thoại trước.")
    assert edited.status_code == 302
    assert "đã sửa lúc" in other.get(f"/discussion/threads/{thread.id}").get_data(as_text=True)
    assert client.get(f"/discussion/posts/{mine.id}/edit").status_code == 403  # not the author
    mine.created_at = now - timedelta(hours=2)
    db.session.commit()
    late = post_form(other, f"/discussion/posts/{mine.id}/edit", f"/discussion/threads/{thread.id}", body="Sửa muộn")
    assert late.status_code == 409 and "Chỉ sửa được bài trong 30 phút" in late.get_data(as_text=True)
    # the author stops following: a second reply tells no one
    post_form(client, f"/discussion/threads/{thread.id}/follow", f"/discussion/threads/{thread.id}", follow="0")
    post_form(other, f"/discussion/threads/{thread.id}", f"/discussion/threads/{thread.id}", body="Thêm một ý.")
    assert db.session.query(Notification).filter_by(user_id=author.id, event=Event.DISCUSSION_REPLY).count() == 1


def test_bad_posts_get_a_clear_message_and_keep_what_was_typed(login_as, world, now):
    learner = world["learners"][0]
    submit(learner, world["case"], now)
    client = login_as(learner)
    empty = start_thread(client, world, title="", body="Nội dung")
    assert empty.status_code == 400 and "Cần có tiêu đề" in empty.get_data(as_text=True)
    long = start_thread(client, world, title="Dài", body="x" * 5001)
    text = long.get_data(as_text=True)
    assert long.status_code == 400 and "quá giới hạn 5000 ký tự" in text and "x" * 5001 in text
    assert db.session.query(DiscussionPost).count() == 0


def test_report_queue_hide_restore_are_audited_and_the_author_told(login_as, world, now):
    author, reporter = world["learners"][0], world["learners"][1]
    for learner in (author, reporter):
        submit(learner, world["case"], now)
    start_thread(login_as(author), world, body="Số điện thoại của ông X là 0912...")
    post = db.session.query(DiscussionPost).one()
    reporting = login_as(reporter)
    assert post_form(reporting, f"/discussion/posts/{post.id}/report", f"/discussion/posts/{post.id}/report",
                     reason="").status_code == 400
    assert post_form(reporting, f"/discussion/posts/{post.id}/report", f"/discussion/posts/{post.id}/report",
                     reason="Lộ thông tin cá nhân").status_code == 302
    teacher = login_as(world["teacher"])
    assert "1 bài thảo luận bị báo cáo" in teacher.get("/instructor/").get_data(as_text=True)
    queue = teacher.get("/instructor/discussions/reports").get_data(as_text=True)
    assert "Lộ thông tin cá nhân" in queue and "0912" in queue
    assert "Lộ thông tin cá nhân" not in login_as(world["stranger_teacher"]).get(
        "/instructor/discussions/reports").get_data(as_text=True)
    moderate = f"/discussion/posts/{post.id}/moderate"
    assert post_form(login_as(world["stranger_teacher"]), moderate, "/instructor/", action="hide",
                     reason="x").status_code == 403
    no_reason = post_form(teacher, moderate, "/instructor/discussions/reports", action="hide", reason="")
    assert no_reason.status_code == 302 and db.session.get(DiscussionPost, post.id).hidden_at is None
    post_form(teacher, moderate, "/instructor/discussions/reports", action="hide", reason="Có số điện thoại riêng")
    db.session.expire_all()
    assert db.session.get(DiscussionPost, post.id).hidden_at is not None
    assert db.session.query(PostReport).one().resolved_at is not None
    page = login_as(reporter).get(f"/discussion/threads/{post.id}").get_data(as_text=True)
    assert "0912" not in page and "đã bị giảng viên ẩn" in page
    listing = login_as(reporter).get(world["url"]).get_data(as_text=True)
    assert "Vì sao tôi chọn hòa giải" not in listing and "(chủ đề đã bị giảng viên ẩn)" in listing  # title hidden too
    told = db.session.query(Notification).filter_by(user_id=author.id, event=Event.POST_MODERATED).one()
    assert told.params["reason"] == "Có số điện thoại riêng"
    post_form(teacher, moderate, f"/discussion/threads/{post.id}", action="restore", reason="Đã xem lại")
    db.session.expire_all()
    assert db.session.get(DiscussionPost, post.id).hidden_at is None
    actions = [e.action for e in db.session.query(AuditEvent).order_by(AuditEvent.id)]
    assert ["post.reported", "post.hidden", "post.restored"] == [a for a in actions if a.startswith("post.")]


def test_the_instructors_note_exemplary_posts_and_closing(login_as, world, now):
    learner = world["learners"][0]
    submit(learner, world["case"], now)
    teacher = login_as(world["teacher"])
    index = world["url"]
    post_form(teacher, f"{world['url']}/note", index,
              note="**Bài học:** hòa giải ở cơ sở trước, đúng thẩm quyền.")
    page = login_as(learner).get(world["url"]).get_data(as_text=True)
    assert "Ghi chú của giảng viên" in page and "<strong>Bài học:</strong>" in page
    assert db.session.query(Notification).filter_by(user_id=learner.id, event=Event.DISCUSSION_NOTE).count() == 1
    assert db.session.query(Notification).filter_by(user_id=world["learners"][1].id).count() == 0  # not submitted
    start_thread(login_as(learner), world)
    post = db.session.query(DiscussionPost).one()
    post_form(teacher, f"/discussion/posts/{post.id}/moderate", index, action="exemplary")
    assert "Bài tiêu biểu" in login_as(learner).get(world["url"]).get_data(as_text=True)
    post_form(teacher, f"{world['url']}/close", index, closed="1")
    closed = start_thread(login_as(learner), world, title="Sau khi đóng")
    assert closed.status_code == 409 and "đã đóng" in closed.get_data(as_text=True)
    assert post_form(login_as(world["stranger_teacher"]), f"{world['url']}/close", "/instructor/",
                     closed="0").status_code == 403


def test_administrators_export_a_discussion_as_csv(login_as, world, now):
    learner = world["learners"][0]
    submit(learner, world["case"], now)
    start_thread(login_as(learner), world, body="Nội dung có dấu phẩy, và \"ngoặc\"")
    discussion_id = db.session.query(DiscussionPost).one().discussion_id
    assert login_as(world["teacher"]).get(f"/admin/discussions/{discussion_id}.csv").status_code == 403
    response = login_as(Role.ADMIN).get(f"/admin/discussions/{discussion_id}.csv")
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and text.lstrip("\ufeff").startswith("Mã bài,Thuộc chủ đề,Tiêu đề,Tên đăng nhập")
    assert '"Nội dung có dấu phẩy, và ""ngoặc"""' in text and learner.username in text


PAYLOADS = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[bấm](javascript:alert(1))",
    "<a href=\"javascript:alert(1)\">x</a>", "<svg onload=alert(1)>", "![ảnh](https://evil.example/x.png)",
    "<iframe src=\"https://evil.example\"></iframe>", "<div style=\"background:url(javascript:alert(1))\">x</div>",
    "[x](JaVaScRiPt:alert(1))", "<a href=\"data:text/html,<script>alert(1)</script>\">x</a>",
    "<p onclick=\"alert(1)\">x</p>", "[x](vbscript:msgbox(1))",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_posts_render_inert(login_as, world, now, payload):
    learner = world["learners"][0]
    submit(learner, world["case"], now)
    start_thread(login_as(learner), world, body=f"Trước {payload} sau")
    html = db.session.query(DiscussionPost).one().body_html.lower()
    for bad in ("<script", "onerror", "onload", "onclick", "javascript:", "vbscript:", "<iframe", "<img", "<svg",
                "style=", "data:text"):
        assert bad not in html, (payload, html)
    assert "trước" in html and "sau" in html


def test_the_posting_rate_limit_holds_across_two_app_instances(login_as, world, now, app):
    """Two servers (two app instances, each its own engine and pool) share one count in the database."""
    from config import TestConfig
    from lms import create_app
    from tests.conftest import FreshContextClient, sign_in

    learner = world["learners"][0]
    submit(learner, world["case"], now)
    second = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                                     "DISCUSSION_RATE_LIMIT": 3})
    second.test_client_class = FreshContextClient
    app.config["DISCUSSION_RATE_LIMIT"] = 3
    first_client, second_client, username = login_as(learner), second.test_client(), learner.username
    db.session.commit()  # the test's own session holds no read lock while the two servers write
    with second.app_context():
        assert sign_in(second_client, username).status_code == 302
    statuses = []
    for index in range(4):
        client, instance = (first_client, app) if index % 2 == 0 else (second_client, second)
        with instance.app_context():
            statuses.append(start_thread(client, world, title=f"Chủ đề {index}").status_code)
    try:
        assert statuses == [302, 302, 302, 429]
        with second.app_context():
            refused = start_thread(second_client, world, title="Chủ đề cuối", body="Nội dung giữ lại")
            text = refused.get_data(as_text=True)
        assert refused.status_code == 429 and "đăng nhiều bài quá nhanh" in text and "Nội dung giữ lại" in text
        assert db.session.query(DiscussionPost).count() == 3
    finally:
        with second.app_context():
            db.session.remove()
            db.engine.dispose()
