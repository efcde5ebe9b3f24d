"""Editing a module's header in the browser, checked by the same validator as module.md files."""
from __future__ import annotations

import pytest

from lms.extensions import db
from lms.models import AuditEvent, Module, Role
from tests.conftest import csrf_token


def form_values(**overrides) -> dict:
    values = {"title": "Kỹ năng tiếp công dân", "summary": "Tóm tắt mới.", "group": "3", "hours": "7,5",
              "objectives": "Trình bày được quy trình tiếp dân.\nVận dụng được kỹ năng đối thoại.",
              "references": "11-QĐi/TW | Quy định về trách nhiệm tiếp dân | 2019-02-18 | đã đối chiếu\n"
                            "Luật Tiếp công dân 2013 | Luật Tiếp công dân |  | chưa",
              "pass_mark": "6", "attempts_allowed": "2", "grading_policy": "last", "time_limit_minutes": "45",
              "key_visible": "", "intro": "## Giới thiệu\n\nChuyên đề về tiếp dân."}
    return {**values, **overrides}


def post(client, module, **overrides):
    path = f"/instructor/modules/{module.key}/settings"
    return client.post(path, data={"csrf_token": csrf_token(client, path), **form_values(**overrides)})


def test_author_edits_title_objectives_references_and_policy(author, module):
    client = author
    assert client.get(f"/instructor/modules/{module.key}/settings").status_code == 200
    assert post(client, module).status_code == 302
    saved = db.session.get(Module, module.id)
    assert saved.title == "Kỹ năng tiếp công dân" and saved.hours == 7.5 and len(saved.objectives) == 2
    assert saved.references[0] == {"number": "11-QĐi/TW", "title": "Quy định về trách nhiệm tiếp dân",
                                   "date": "2019-02-18", "verified": True}
    assert saved.references[1]["verified"] is False and saved.references[1]["date"] is None
    assert (saved.pass_mark, saved.attempts_allowed, saved.grading_policy, saved.time_limit_minutes) == \
        (6, 2, "last", 45)
    assert saved.discussion_opens == "after_submit"
    assert post(client, module, discussion="after_key").status_code == 302
    db.session.expire_all()
    saved = db.session.get(Module, module.id)
    assert saved.discussion_opens == "after_key"
    assert 'value="after_key" selected' in client.get(f"/instructor/modules/{module.key}/settings").get_data(as_text=True)
    assert saved.edited_in_browser and "<h2" in saved.intro_html
    assert db.session.query(AuditEvent).filter_by(action="module.header_edited").count() == 2  # two edits
    page = client.get(f"/modules/{module.key}").get_data(as_text=True)
    assert "Kỹ năng tiếp công dân" in page and "Vận dụng được kỹ năng đối thoại." in page


@pytest.mark.parametrize("overrides, fragment", [
    ({"hours": "0"}, "hours"),
    ({"objectives": "Chỉ một mục tiêu."}, "objectives"),
    ({"group": "4"}, "group"),
    ({"references": "11-QĐi/TW | Quy định | 18/02/2019 | đã đối chiếu"}, "date"),
])
def test_invalid_header_shows_the_problem_and_saves_nothing(author, module, overrides, fragment):
    before = db.session.get(Module, module.id).title
    response = post(author, module, **overrides)
    assert response.status_code == 422 and fragment in response.get_data(as_text=True)
    db.session.rollback()
    assert db.session.get(Module, module.id).title == before


def test_only_authors_edit_the_header(login_as, module):
    assert login_as(Role.INSTRUCTOR).get(f"/instructor/modules/{module.key}/settings").status_code == 403
    assert login_as(Role.LEARNER).get(f"/instructor/modules/{module.key}/settings").status_code == 403
    assert login_as(Role.ADMIN).get(f"/instructor/modules/{module.key}/settings").status_code == 200


def test_the_review_policy_and_reference_facts_survive_an_edit_in_the_browser(author, module):
    """What the form shows is what it saves: review checkboxes, and a reference's issuer, check date and source."""
    from lms.catalog.store import review_policy_of

    references = ("296-QĐ/TW | Quy định về công tác kiểm tra, giám sát và kỷ luật của Đảng | 2025-05-30 | "
                  "đã đối chiếu | Ban Chấp hành Trung ương | 2026-12-07 | https://www.quanlynhanuoc.vn/?p=51516")
    path = f"/instructor/modules/{module.key}/settings"
    data = {"csrf_token": csrf_token(author, path), **form_values(references=references), "review_form": "1",
            "review_after_attempt": ["score"], "review_after_last": ["score", "path", "key", "rationale"]}
    assert author.post(path, data=data).status_code == 302
    saved = db.session.get(Module, module.id)
    assert review_policy_of(saved).after_attempt == {"score"}
    assert review_policy_of(saved).after_last == {"score", "path", "key", "rationale"}
    assert saved.references[0]["issuer"] == "Ban Chấp hành Trung ương"
    assert saved.references[0]["source"] == "https://www.quanlynhanuoc.vn/?p=51516"
    form = author.get(path).get_data(as_text=True)
    assert "Ban Chấp hành Trung ương | 2026-12-07 | https://www.quanlynhanuoc.vn/?p=51516" in form
    assert author.post(path, data={"csrf_token": csrf_token(author, path),
                                   **form_values(references=references)}).status_code == 302
    assert review_policy_of(db.session.get(Module, module.id)).after_attempt == {"score"}  # no checkboxes: kept
