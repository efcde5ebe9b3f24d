"""Posting to a cohort that has no learners yet (an announcement, an instructor's discussion note): the form warns
that it will reach no one, posting is still allowed (ahead of enrolment), and the answer does not say "0 learners"."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from lms.extensions import db
from lms.models import Announcement, Discussion, Role
from tests.conftest import csrf_token

NO_ONE = "Lớp này chưa có học viên nào: thông báo sẽ chưa đến ai."
NO_ONE_NOTE = "Lớp này chưa có học viên nào: ghi chú sẽ chưa được báo cho ai."


@pytest.fixture
def teacher(make_user):
    return make_user(Role.INSTRUCTOR, full_name="Cô Giảng")


@pytest.mark.parametrize("who", ["teacher", "admin"])
def test_an_announcement_to_a_cohort_without_learners_is_warned_of_and_still_posted(login_as, make_cohort, teacher,
                                                                                      who):
    cohort = make_cohort(instructors=[teacher])
    client = login_as(teacher if who == "teacher" else Role.ADMIN)
    path = f"/cohorts/{cohort.id}/announcements/new"
    assert NO_ONE in client.get(path).get_data(as_text=True)
    response = client.post(path, data={"csrf_token": csrf_token(client, path), "title": "Khai giảng",
                                       "body": "Lớp khai giảng thứ Hai."}, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Đã đăng thông báo; lớp chưa có học viên nào nên chưa ai được báo." in html
    assert "0 học viên" not in html
    announcement = db.session.scalars(select(Announcement)).one()
    assert NO_ONE in client.get(f"/cohorts/{cohort.id}/announcements/{announcement.id}/edit").get_data(as_text=True)


def test_a_cohort_with_learners_is_not_warned_and_hears_how_many_were_told(login_as, make_cohort, make_user,
                                                                            teacher):
    cohort = make_cohort(instructors=[teacher], learners=[make_user(Role.LEARNER), make_user(Role.LEARNER)])
    client = login_as(teacher)
    path = f"/cohorts/{cohort.id}/announcements/new"
    assert NO_ONE not in client.get(path).get_data(as_text=True)
    response = client.post(path, data={"csrf_token": csrf_token(client, path), "title": "Khai giảng",
                                       "body": "Lớp khai giảng thứ Hai."}, follow_redirects=True)
    assert "Đã đăng thông báo và báo cho 2 học viên." in response.get_data(as_text=True)


def test_a_discussion_note_in_a_cohort_without_learners_is_warned_of_and_still_pinned(login_as, make_cohort, teacher,
                                                                                      case):
    cohort = make_cohort(instructors=[teacher])
    client = login_as(teacher)
    url = f"/cohorts/{cohort.id}/cases/{case.slug}/discussion"
    assert NO_ONE_NOTE in client.get(url).get_data(as_text=True)
    response = client.post(f"{url}/note", data={"csrf_token": csrf_token(client, url), "note": "Đọc kỹ Điều 5."},
                           follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "chưa học viên nào của lớp được đọc thảo luận này nên chưa ai được báo" in html
    assert "0 học viên" not in html
    assert db.session.scalars(select(Discussion)).one().note_md == "Đọc kỹ Điều 5."


def test_a_discussion_in_a_cohort_with_learners_shows_no_such_warning(login_as, make_cohort, make_user, teacher,
                                                                      case):
    cohort = make_cohort(instructors=[teacher], learners=[make_user(Role.LEARNER)])
    html = login_as(teacher).get(f"/cohorts/{cohort.id}/cases/{case.slug}/discussion").get_data(as_text=True)
    assert NO_ONE_NOTE not in html and "Lưu ghi chú" in html
