"""Accent-insensitive folding and plain text for the search index."""
from __future__ import annotations

import pytest

from lms.content.search import plain_text
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
