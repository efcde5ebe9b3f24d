"""Vietnamese text folded for accent-insensitive matching: pure, shared by the content index, the database's
search function (lms_fold on SQLite) and the name searches."""
from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Lower-case text without Vietnamese diacritics: fold('Xử lý tình huống') == 'xu ly tinh huong'."""
    text = text.replace("đ", "d").replace("Đ", "D")
    stripped = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", stripped).lower()
