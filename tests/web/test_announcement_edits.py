"""Correcting and withdrawing a class announcement: who may, the form's validation, what learners see afterwards
(class page, home page, inbox), telling them again only when asked, the confirmation and the audit log."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from lms.extensions import db
from lms.models import Announcement, AuditEvent, Delivery, Event, Notification, Role
from lms.notifications import services
from tests.conftest import csrf_token

OLD_TITLE, OLD_BODY = "Lịch học tuần 3", "Thứ Năm học **chuyên đề 8**."
NEW_TITLE, NEW_BODY = "Lịch học tuần 3 (sửa)", "Thứ Năm học **chuyên đề 3**."


@pytest.fixture
def klass(make_user, make_cohort, case):
    """A cohort with two instructors and two learners with e-mail, an instructor of another cohort, an administrator;
    and a chuyên đề (`case`), so that learners' home pages are kept between visits as in production."""
    people = {"author": make_user(Role.INSTRUCTOR), "colleague": make_user(Role.INSTRUCTOR),
              "lan": make_user(Role.LEARNER, full_name="Nguyễn Thị Lan", email="lan@example.vn"),
              "binh": make_user(Role.LEARNER, full_name="Trần Văn Bình", email="binh@example.vn"),
              "stranger": make_user(Role.INSTRUCTOR), "admin": make_user(Role.ADMIN)}
    cohort = make_cohort(instructors=[people["author"], people["colleague"]], learners=[people["lan"], people["binh"]])
    make_cohort(instructors=[people["stranger"]])
    return cohort, people


@pytest.fixture
def posted(klass, login_as, outbox):
    """OLD_TITLE posted by the author through the page (both learners told, by e-mail too); its URLs and clients."""
    cohort, people = klass
    author = login_as(people["author"])
    path = f"/cohorts/{cohort.id}/announcements/new"
    assert author.post(path, data={"csrf_token": csrf_token(author, path), "title": OLD_TITLE,
                                   "body": OLD_BODY}).status_code == 302
    announcement = db.session.scalars(select(Announcement)).one()
    base = f"/cohorts/{cohort.id}/announcements"
    return {"announcement": announcement, "list": f"{base}/", "edit": f"{base}/{announcement.id}/edit",
            "withdraw": f"{base}/{announcement.id}/withdraw", "author": author, "cohort": cohort, "people": people}


def _edit(client, posted, title=NEW_TITLE, body=NEW_BODY, **more):
    return client.post(posted["edit"], data={"csrf_token": csrf_token(client, posted["edit"]), "title": title,
                                             "body": body, **more})


def _notifications() -> int:
    return db.session.scalar(select(func.count()).select_from(Notification))


def _audit(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


@pytest.mark.parametrize("who, status", [("author", 200), ("colleague", 200), ("admin", 200), ("lan", 403),
                                         ("stranger", 403)])
def test_the_author_the_cohorts_instructors_and_administrators_may_correct_and_withdraw(posted, login_as, who,
                                                                                        status):
    client = login_as(posted["people"][who])
    assert client.get(posted["edit"]).status_code == status
    assert client.get(posted["withdraw"]).status_code == status
    assert _edit(client, posted).status_code == (302 if status == 200 else 403)
    assert client.post(posted["withdraw"], data={"csrf_token": csrf_token(client, "/notifications")}).status_code \
        == (302 if status == 200 else 403)
    db.session.expire_all()
    assert (posted["announcement"].withdrawn_at is not None) == (status == 200)


def test_the_buttons_show_for_those_allowed_and_not_for_learners(posted, login_as):
    for who, shown in [("author", True), ("colleague", True), ("admin", True), ("lan", False)]:
        page = login_as(posted["people"][who]).get(posted["list"]).get_data(as_text=True)
        assert (posted["edit"] in page and posted["withdraw"] in page and "Gỡ thông báo" in page) == shown, who


def test_a_bad_correction_says_why_keeps_what_was_typed_and_changes_nothing(posted):
    response = _edit(posted["author"], posted, title="", body="Nội dung đang gõ dở", notify_again="1")
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Cần có tiêu đề." in page
    assert ">Nội dung đang gõ dở</textarea>" in page and 'name="notify_again" value="1" checked' in page
    too_long = _edit(posted["author"], posted, title="Tiêu đề mới", body="x" * 10_001)
    assert too_long.status_code == 400 and "quá giới hạn 10000 ký tự" in too_long.get_data(as_text=True)
    assert 'value="Tiêu đề mới"' in too_long.get_data(as_text=True)
    db.session.expire_all()
    assert posted["announcement"].title == OLD_TITLE and posted["announcement"].edited_at is None


def test_the_edit_page_starts_from_the_current_text_and_says_e_mails_cannot_be_recalled(posted):
    page = posted["author"].get(posted["edit"]).get_data(as_text=True)
    assert f'value="{OLD_TITLE}"' in page and f">{OLD_BODY}</textarea>" in page
    assert "Email đã gửi đi thì không thu hồi được" in page and "Báo lại cho học viên" in page
    assert 'name="notify_again" value="1" >' in page  # not ticked: correcting tells no one by default


def test_a_correction_shows_learners_the_new_text_marked_edited_and_tells_no_one(posted, login_as, outbox):
    told, mailed = _notifications(), len(outbox)
    assert mailed == 2  # the posting's e-mails
    lan = login_as(posted["people"]["lan"])
    assert "chuyên đề 8" in lan.get("/").get_data(as_text=True)  # the home page is now kept for her
    assert _edit(posted["author"], posted).status_code == 302
    for page in (lan.get(posted["list"]).get_data(as_text=True), lan.get("/").get_data(as_text=True)):
        assert "<strong>chuyên đề 3</strong>" in page and "chuyên đề 8" not in page and NEW_TITLE in page
        assert "Đã sửa lúc" in page
    inbox = lan.get("/notifications").get_data(as_text=True)
    assert f"Thông báo của lớp (đã sửa): {NEW_TITLE}" in inbox and "Thứ Năm học chuyên đề 3." in inbox
    assert "chuyên đề 8" not in inbox
    assert _notifications() == told and len(outbox) == mailed  # nobody told again
    [entry] = _audit("announcement.edited")
    assert entry.details["old_title"] == OLD_TITLE and entry.details["title"] == NEW_TITLE
    assert entry.actor_id == posted["people"]["author"].id and entry.details["notified_again"] is False


def test_notify_again_tells_every_learner_through_the_posting_path_once_per_correction(posted, outbox):
    told = _notifications()
    response = _edit(posted["author"], posted, notify_again="1")
    assert response.status_code == 302
    assert _notifications() == told + 2
    assert sorted(m.to[0] for m in outbox[2:]) == ["binh@example.vn", "lan@example.vn"]
    assert {m.subject for m in outbox[2:]} == {f"Thông báo của lớp (đã sửa): {NEW_TITLE}"}
    assert _edit(posted["author"], posted, title="Lần sửa thứ hai", notify_again="1").status_code == 302
    assert _notifications() == told + 4 and len(outbox) == 6  # a second correction can be told again too
    unread = db.session.scalar(select(func.count()).select_from(Notification).where(Notification.read_at.is_(None)))
    assert unread == 2  # one unread notice per learner: the copies sent before are marked read


def test_saving_an_unchanged_announcement_records_no_correction(posted, login_as):
    response = _edit(posted["author"], posted, title=OLD_TITLE, body=posted["announcement"].body_md)
    assert response.status_code == 302
    assert "Không có gì thay đổi." in posted["author"].get(posted["list"]).get_data(as_text=True)
    assert _audit("announcement.edited") == []
    assert "Đã sửa lúc" not in login_as(posted["people"]["lan"]).get(posted["list"]).get_data(as_text=True)


def test_withdrawing_asks_first_saying_how_many_were_told_and_that_e_mails_stay(posted, login_as):
    page = posted["author"].get(posted["withdraw"]).get_data(as_text=True)
    assert "Xác nhận" in page and "đã báo cho 2 học viên" in page and "2 email đã gửi đi thì không thu hồi được" in page
    db.session.expire_all()
    assert posted["announcement"].withdrawn_at is None  # GET only asks
    assert OLD_TITLE in login_as(posted["people"]["lan"]).get(posted["list"]).get_data(as_text=True)


def test_a_withdrawn_announcement_is_gone_for_learners_and_their_inbox_leads_nowhere(posted, login_as):
    author, lan = posted["author"], login_as(posted["people"]["lan"])
    assert OLD_TITLE in lan.get("/").get_data(as_text=True)  # the home page is now kept for her
    assert author.post(posted["withdraw"], data={"csrf_token": csrf_token(author, posted["withdraw"])}) \
        .status_code == 302
    listing = lan.get(posted["list"]).get_data(as_text=True)
    assert OLD_TITLE not in listing and "Lớp chưa có thông báo nào." in listing
    assert OLD_TITLE not in lan.get("/").get_data(as_text=True)
    inbox = lan.get("/notifications").get_data(as_text=True)
    assert "Một thông báo của lớp đã được gỡ" in inbox and OLD_TITLE not in inbox and "chuyên đề 8" not in inbox
    assert 'class="notification unread"' not in inbox and ">Xem</button>" not in inbox
    [row] = db.session.scalars(select(Notification).filter_by(user_id=posted["people"]["lan"].id))
    followed = lan.post("/notifications/read", data={"csrf_token": csrf_token(lan, "/notifications"), "id": row.id})
    assert followed.status_code == 302 and followed.headers["Location"] == "/notifications"
    assert author.get(posted["edit"]).status_code == 404  # nothing left to correct or withdraw
    db.session.expire_all()
    announcement = posted["announcement"]
    assert announcement.withdrawn_by_id == posted["people"]["author"].id and announcement.body_md == OLD_BODY
    [entry] = _audit("announcement.withdrawn")
    assert entry.details["old_title"] == OLD_TITLE and entry.target_id == str(announcement.id)


def test_an_e_mail_not_yet_sent_about_a_withdrawn_announcement_never_goes(klass, login_as, outbox, app):
    from lms.jobs.runner import run_periodic

    cohort, people = klass
    services.set_preference(people["lan"].id, Event.ANNOUNCEMENT.value, Delivery.DIGEST)
    db.session.commit()
    author = login_as(people["author"])
    path = f"/cohorts/{cohort.id}/announcements/new"
    author.post(path, data={"csrf_token": csrf_token(author, path), "title": OLD_TITLE, "body": OLD_BODY})
    announcement = db.session.scalars(select(Announcement)).one()
    withdraw = f"/cohorts/{cohort.id}/announcements/{announcement.id}/withdraw"
    assert author.post(withdraw, data={"csrf_token": csrf_token(author, withdraw)}).status_code == 302
    run_periodic(app)  # the daily digest: Lan's one item is withdrawn
    assert [m.to[0] for m in outbox] == ["binh@example.vn"]  # Bình's went at posting; Lan gets nothing


def test_an_author_who_no_longer_teaches_the_cohort_cannot_correct_or_notify_it(posted):
    from lms.cohorts.services import unassign_instructor

    cohort, author = posted["cohort"], posted["people"]["author"]
    unassign_instructor(cohort, author, None, posted["announcement"].created_at)
    db.session.commit()
    assert posted["author"].get(posted["edit"]).status_code == 403  # "notify again" would message a class not theirs
