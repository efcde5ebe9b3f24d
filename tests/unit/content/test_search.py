"""Accent-insensitive folding, the search text of lessons, query words and highlighted snippets."""
from __future__ import annotations

import pytest

from lms.content.search import (
    MAX_TERM_LENGTH,
    MAX_TERMS,
    SearchDocument,
    highlight,
    lesson_document,
    plain_excerpt,
    plain_text,
    search_terms,
    snippet,
)
from lms.content.text import fold


@pytest.mark.parametrize(("text", "folded"), [
    ("Xử lý tình huống", "xu ly tinh huong"),
    ("ĐẢNG ỦY Đắk Lắk", "dang uy dak lak"),
    ("Quốc phòng, an ninh", "quoc phong, an ninh"),
    ("x\u0301a", "xa"),  # a decomposed accent on a consonant is still removed
    ("plain ASCII 123", "plain ascii 123"),
])
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_plain_text_keeps_words_and_drops_markup() -> None:
    source = "## Tiêu đề\n\n**Đậm** và [liên kết](https://a.vn) & <b>thô</b>.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nX[^1].\n\n[^1]: Chú thích."
    assert plain_text(source) == "Tiêu đề Đậm và liên kết & thô. a b 1 2 X 1 . Chú thích."


def test_an_excerpt_keeps_paragraphs_and_items_on_their_own_lines_and_cuts_at_a_word() -> None:
    source = "# Họp\n\n**Thứ Năm**, 14 giờ.\n\n- Mang sổ tay\n- Đến sớm\n\n<script>x()</script>"
    assert plain_excerpt(source, 100) == "Họp\nThứ Năm, 14 giờ.\nMang sổ tay\nĐến sớm"
    assert plain_excerpt(source, 20) == "Họp\nThứ Năm, 14…"


# --- search text, query words and snippets ----------------------------------------------------------


def test_a_lesson_document_keeps_headings_apart_from_the_body() -> None:
    html = '<h2 id="a">Kỹ năng &amp; phương pháp</h2><p>Đối thoại với <em>dân</em>.</p><h3>Bước 1</h3><p>Nghe.</p>'
    document = lesson_document(" Bài 1 ", "Tóm tắt.", html)
    assert document == SearchDocument("Bài 1", "Kỹ năng & phương pháp\nBước 1", "Tóm tắt.", "Đối thoại với dân . Nghe.")


@pytest.mark.parametrize(("query", "words"), [
    ("Đất  ĐAI", [("đất", "dat"), ("đai", "dai")]),
    ('"xử lý" OR -(tình*) NEAR/2', [("xử", "xu"), ("lý", "ly"), ("or", "or"), ("tình", "tinh"), ("near", "near"),
                                   ("2", "2")]),
    ("ở a b", []),  # one-letter words only
    ("bão số 3", [("bão", "bao"), ("số", "so"), ("3", "3")]),  # but a digit is kept
    ("*** \"\" () --- ;;", []),
    ("bão\x00lũ\x1b[31m", [("bão", "bao"), ("lũ", "lu"), ("31m", "31m")]),
    ("ho\u0302\u0323i nghi\u0323", [("hội", "hoi"), ("nghị", "nghi")]),  # decomposed accents are composed first
])
def test_search_terms_keep_only_words(query: str, words: list) -> None:
    assert [(t.exact, t.folded) for t in search_terms(query)] == words


def test_search_terms_are_bounded() -> None:
    terms = search_terms("từ " * 300 + "x" * 500)
    assert len(terms) == MAX_TERMS and all(len(t.exact) <= MAX_TERM_LENGTH for t in terms)
    assert len(search_terms("x" * 500)[0].exact) == MAX_TERM_LENGTH


def test_only_a_last_word_of_three_letters_or_more_finds_the_words_it_starts() -> None:
    assert [t.prefix for t in search_terms("tinh huong")] == [False, True]
    assert [t.prefix for t in search_terms("tin giả")] == [False, False]  # typed with its accents: whole
    assert [t.prefix for t in search_terms("bão lũ")] == [False, False]
    lu, tinh = search_terms("lũ")[0], search_terms("tinh")[0]
    assert lu.matches("lu") and not lu.matches("luat") and tinh.matches("tinhhuong")


def test_highlight_marks_whole_words_that_start_with_a_term_with_or_without_accents() -> None:
    segments = highlight("Quản lý đất đai, đại hội và đạt chuẩn", search_terms("dat"))
    assert [text for text, marked in segments if marked] == ["đất", "đạt"]
    assert "".join(text for text, _ in segments) == "Quản lý đất đai, đại hội và đạt chuẩn"


def test_highlight_keeps_markup_as_text_for_the_template_to_escape() -> None:
    segments = highlight("<script>alert(1)</script> xử lý", search_terms("script xu"))
    assert segments == [("<", False), ("script", True), (">alert(1)</", False), ("script", True), ("> ", False),
                        ("xử", True), (" lý", False)]


def test_a_snippet_is_cut_around_the_most_query_words() -> None:
    text = " ".join(["mở đầu"] * 60) + " lũ lụt rồi bão lớn " + " ".join(["kết thúc"] * 60)
    segments = snippet(text, search_terms("bão lũ"), width=80)
    joined = "".join(t for t, _ in segments)
    assert joined.startswith("…") and joined.endswith("…") and len(joined) <= 84
    assert [t for t, marked in segments if marked] == ["lũ", "bão"]


def test_a_snippet_without_a_match_is_the_start_of_the_text() -> None:
    assert snippet("Ngắn gọn.", search_terms("bão")) == [("Ngắn gọn.", False)]
