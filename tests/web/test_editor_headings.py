"""The lesson and case editors are headed by the item's title, the learners' words, with its identifier (the file's
name) beneath in small text; a draft's title heads its page; in Vietnamese and in English."""
from __future__ import annotations

import re

import pytest

from lms.authoring import services
from lms.authoring.sources import lesson_file
from lms.extensions import db
from tests.conftest import csrf_token

CASE_TITLE = "Tình huống thử: tranh chấp lối đi"


def heading(page: str) -> tuple[str, str]:
    """The page's h1 and the small line beneath it naming the identifier."""
    h1 = re.search(r"<h1>(.*?)</h1>", page, re.S).group(1).strip()
    key = re.search(r'<p class="item-key">(.*?)</p>', page, re.S)
    return h1, key.group(1).strip() if key else ""


@pytest.mark.parametrize("editor, title, key_line", [
    ("lessons/01-bai-mot/edit", "Bài 1", "Sửa bài học · mã bài: 01-bai-mot"),
    ("cases/tranh-chap-loi-di/edit", CASE_TITLE, "Sửa tình huống · mã tình huống: tranh-chap-loi-di"),
    ("cases/tranh-chap-loi-di/form", CASE_TITLE, "Sửa theo biểu mẫu · mã tình huống: tranh-chap-loi-di"),
])
def test_an_editor_is_headed_by_the_title_with_the_identifier_beneath(author, lesson, base, editor, title, key_line):
    page = author.get(f"{base}/{editor}").get_data(as_text=True)
    assert heading(page) == (title, key_line)
    tab = page.split("<title>", 1)[1].split("</title>", 1)[0]
    assert tab.startswith("Sửa ") and title in tab  # the browser's tab says it is the editor of that item


def test_in_english_the_identifier_line_is_english_and_the_title_stays_as_written(author, lesson, base):
    author.post("/language", data={"lang": "en", "csrf_token": csrf_token(author, "/")})
    assert heading(author.get(f"{base}/lessons/01-bai-mot/edit").get_data(as_text=True)) == (
        "Bài 1", "Edit lesson · identifier: 01-bai-mot")
    assert heading(author.get(f"{base}/cases/tranh-chap-loi-di/edit").get_data(as_text=True)) == (
        CASE_TITLE, "Edit case · identifier: tranh-chap-loi-di")
    assert heading(author.get(f"{base}/cases/tranh-chap-loi-di/form").get_data(as_text=True)) == (
        CASE_TITLE, "Edit with the form · identifier: tranh-chap-loi-di")


def test_a_drafts_title_heads_its_editor_and_a_new_item_keeps_its_plain_heading(author, lesson, base, now):
    text = lesson_file(1, "bai-mot", "Bài 1 (đang sửa)", "Tóm tắt.", "Nội dung.")
    services.save_draft(lesson.module, "lesson", lesson.key, text, 1, author.user, now)
    db.session.commit()
    assert heading(author.get(f"{base}/lessons/01-bai-mot/edit").get_data(as_text=True))[0] == "Bài 1 (đang sửa)"
    assert heading(author.get(f"{base}/lessons/new").get_data(as_text=True)) == ("Bài học mới", "")
    assert heading(author.get(f"{base}/cases/new/form").get_data(as_text=True)) == ("Tình huống mới (biểu mẫu)", "")
