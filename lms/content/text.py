"""Text folding for accent-insensitive matching and sorting."""
from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Lower-case text without Vietnamese diacritics: fold('Xử lý tình huống') == 'xu ly tinh huong'."""
    text = text.replace("đ", "d").replace("Đ", "D")
    stripped = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", stripped).lower()
