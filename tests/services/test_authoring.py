"""Authoring services: who may author, drafts, publishing, restoring, copying, pinning and the audit trail."""
from __future__ import annotations

import pytest
from flask import current_app
from sqlalchemy import select

from lms.admin.services import assign_module_author, remove_module_author
from lms.auth import policy
from lms.authoring import queries, services, sources
from lms.authoring.editors import EDITORS
from lms.cases.services import start_attempt
from lms.catalog.store import case_definition
from lms.catalog.urls import resolver_factory
from lms.content.schema import LessonDoc
from lms.content.validate_case import parse_case_text
from lms.extensions import db
from lms.models import Attempt, AuditEvent, ContentDraft, Lesson, Role


@pytest.fixture
def author(make_user):
    return make_user(Role.INSTRUCTOR)


def resolve(module):
    return resolver_factory(current_app)(module.key)


def actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_only_admins_and_assigned_instructors_may_author(module, author, make_user, now):
    admin, other, learner = make_user(Role.ADMIN), make_user(Role.INSTRUCTOR), make_user(Role.LEARNER)
    assert assign_module_author(module, author, admin, now) is True
    assert assign_module_author(module, author, admin, now) is False
    db.session.commit()
    assert [policy.can_author(u, module) for u in (admin, author, other, learner)] == [True, True, False, False]
    assert queries.list_authored_modules(author) == [module] and queries.list_authored_modules(other) == []
    with pytest.raises(ValueError):
        assign_module_author(module, learner, admin, now)
    remove_module_author(module, author, admin, now)
    assert not policy.can_author(author, module)
    assert actions()[-2:] == ["module.author_assigned", "module.author_removed"]


def test_publishing_a_lesson_adds_a_browser_version_and_clears_the_draft(module, lesson, author, now):
    services.save_draft(module, "lesson", lesson.key, "bản nháp dở dang", 1, author, now)
    doc = LessonDoc(1, "bai-mot", "Bài 1 (sửa)", "Tóm tắt mới.", "## Mở đầu\n\nĐã sửa.")
    version = services.publish_lesson(module, lesson, doc, resolve(module), author, now)
    assert (version.version, version.source, version.created_by_id) == (2, "browser", author.id)
    assert lesson.current is version and "Đã sửa." in version.body_html
    assert queries.get_draft(module, "lesson", lesson.key) is None
    assert services.publish_lesson(module, lesson, doc, resolve(module), author, now) is None  # nothing changed
    assert actions() == ["draft.saved", "lesson.published", "lesson.published"]
    details = db.session.scalars(select(AuditEvent.details).order_by(AuditEvent.id)).all()
    assert details[1] == {"version": 2, "unchanged": False, "module": module.key, "key": lesson.key}
    assert details[2]["unchanged"] is True


def test_a_new_lesson_is_created_once_and_its_slug_and_number_are_guarded(module, lesson, author, now):
    assert queries.next_lesson_number(module) == 2
    doc = LessonDoc(2, "bai-hai", "Bài 2", "Tóm tắt.", "Nội dung.")
    version = services.publish_lesson(module, None, doc, resolve(module), author, now)
    db.session.expire(module)
    assert version.version == 1 and [item.key for item in module.lessons] == ["01-bai-mot", "02-bai-hai"]
    with pytest.raises(services.AuthoringError, match="lesson_slug_taken"):
        services.publish_lesson(module, None, LessonDoc(3, "bai-hai", "x", "y", "z"), resolve(module), author, now)
    with pytest.raises(services.AuthoringError, match="lesson_number_taken"):
        services.publish_lesson(module, None, LessonDoc(2, "bai-ba", "x", "y", "z"), resolve(module), author, now)
    db.session.add(Lesson(module=module, number=-1, slug="bai-cu"))  # a retired lesson keeps its slug
    db.session.flush()
    assert "bai-cu" in queries.taken_lesson_slugs(module)
    with pytest.raises(services.AuthoringError, match="lesson_slug_taken"):
        services.publish_lesson(module, None, LessonDoc(3, "bai-cu", "x", "y", "z"), resolve(module), author, now)


def test_a_draft_is_kept_even_when_invalid_and_replaced_in_place(module, author, now):
    services.save_draft(module, "case", "moi", "---\nkhông hợp lệ", None, author, now)
    services.save_draft(module, "case", "moi", "---\nvẫn chưa xong", None, author, now)
    drafts = db.session.scalars(select(ContentDraft)).all()
    assert [(d.key, d.text) for d in drafts] == [("moi", "---\nvẫn chưa xong")]
    assert services.discard_draft(module, "case", "moi", author, now) is True
    assert services.discard_draft(module, "case", "moi", author, now) is False
    assert actions() == ["draft.saved", "draft.saved", "draft.discarded"]


def test_restoring_a_case_version_adds_a_new_version_with_the_old_text(module, case, author, now):
    v1 = case.current
    changed = v1.source_md.replace("Việc đầu tiên?", "Việc cần làm trước tiên?")
    definition, problems = parse_case_text(changed, case.slug)
    assert not problems
    services.publish_case(module, case, definition, resolve(module), author, now)
    restored = services.restore_case_version(case, v1, resolve(module), author, now)
    assert restored.version == 3 and restored.source_md == v1.source_md and case.current is restored
    assert actions() == ["case.published", "case.restored"]


def test_an_attempt_stays_on_the_version_it_started_on(module, case, author, make_user, now):
    learner = make_user(Role.LEARNER)
    attempt = start_attempt(learner, case, now)
    definition, _ = parse_case_text(case.current.source_md.replace("Buổi sáng", "Buổi chiều"), case.slug)
    services.publish_case(module, case, definition, resolve(module), author, now)
    db.session.commit()
    attempt = db.session.get(Attempt, attempt.id)
    assert case.current.version == 2 and attempt.case_version.version == 1
    assert "Buổi sáng" in attempt.case_version.source_md


def test_duplicating_a_case_makes_a_draft_copy_under_a_new_slug(module, case, author, now):
    draft = services.duplicate_case(module, case, "ban-sao", author, now)
    copy, problems = parse_case_text(draft.text, "ban-sao")
    assert not problems and copy.title == "Bản sao — " + case.current.title
    assert copy.stages == case_definition(case.current, case.slug).stages
    for taken in ("ban-sao", case.slug):
        with pytest.raises(services.AuthoringError):
            services.duplicate_case(module, case, taken, author, now)
    assert actions() == ["case.duplicated"]


def test_the_new_case_template_is_valid_and_shows_every_question_type():
    case, problems = parse_case_text(sources.case_template(), "mau")
    assert problems == []
    kinds = {question.type for stage in case.stages for question in stage.questions}
    assert kinds == {"best_action", "best_worst", "rank", "rate", "multi", "written"}
    assert any(option.next for option in case.stages[0].questions[0].options)


def test_lesson_fields_survive_the_file_round_trip():
    text = sources.lesson_file(3, "ba", " Bài 3: mở đầu ", "Tóm tắt.", "Dòng một\r\n\r\nDòng hai\r\n")
    assert sources.lesson_fields(text) == ("Bài 3: mở đầu", "Tóm tắt.", "Dòng một\n\nDòng hai")
    assert sources.lesson_fields("không có phần đầu") == ("", "", "không có phần đầu")


def test_diff_lines_mark_added_and_removed_lines():
    lines = sources.diff_lines("a\nb\nc\n", "a\nB\nc\n", "v1", "v2")
    assert ("diff-del", "-b") in lines and ("diff-add", "+B") in lines and ("", " a") in lines
    assert [cls for cls, _ in lines[:3]] == ["diff-meta", "diff-meta", "diff-hunk"]


def test_the_link_index_comes_from_the_database_plus_the_item_being_written(module, lesson):
    index = queries.get_link_index(lesson=(module.key, "02-moi"), case="moi")
    assert index.lessons[module.key] == {"01-bai-mot", "02-moi"}
    assert {"tranh-chap-loi-di", "moi"} <= index.cases and module.key in index.modules


@pytest.mark.parametrize("kind", sorted(EDITORS))
def test_each_kind_goes_through_the_same_editor_steps(kind, module, lesson, case, author, now):
    editor = EDITORS[kind]
    item = editor.find(module, lesson.key if kind == "lesson" else case.slug)
    key, first = editor.key_of(item), item.current
    assert editor.check(module, key, "---\ntitle: [\n---\n").problems  # unreadable: problems, no content
    checked = editor.check(module, key, editor.version_text(item, first) + "\nMột đoạn mới.\n")
    assert checked.problems == [] and editor.key_of_doc(checked.doc) == key
    assert editor.publish(module, item, checked.doc, resolve(module), author, now).version == 2
    assert ("diff-add", "+Một đoạn mới.") in editor.diff(item, editor.get_version(item, 2))
    text, name = editor.download(item)
    assert name == f"{key}.md" and "Một đoạn mới." in text
    restored = editor.restore(item, first, resolve(module), author, now)
    assert editor.version_text(item, restored) == editor.version_text(item, first)
    assert [version.version for version, _ in editor.list_versions(item)] == [3, 2, 1]
