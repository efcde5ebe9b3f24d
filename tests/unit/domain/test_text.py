"""Vietnamese text: folding for matching, dictionary order for sorting."""
from __future__ import annotations

import pytest

from lms.domain.text import fold, sort_key


def test_fold_drops_case_and_accents_and_reads_dj_as_d():
    assert fold("Vũ Quang ĐĂNG") == "vu quang dang" and fold("Xử lý tình huống") == "xu ly tinh huong"


@pytest.mark.parametrize("ordered", [
    # communes and wards: code-point order put every Đ and Ô after Y
    ["Phường Ba Đình", "Phường Đống Đa", "Phường Hà Đông", "Phường Hai Bà Trưng", "Phường Hoàng Mai",
     "Phường Ô Chợ Dừa", "Xã Đa Phúc"],
    ["Nga", "Ngà", "Ngả", "Ngã", "Ngá", "Ngạ", "Ngọc", "Ngô", "Nguyễn"],  # tones after letters; ô before u
    ["an", "ăn", "ân", "dung", "đức", "ê", "fa", "ga", "ơi", "u", "ưa", "văn", "zê"],  # ă â đ ơ ư letters of their own
    ["Lê 10", "Lê 2", "Lê An"],  # digits before letters
])
def test_vietnamese_dictionary_order(ordered):
    assert sorted(reversed(ordered), key=sort_key) == ordered
    assert sorted(ordered[::2] + ordered[1::2], key=sort_key) == ordered
