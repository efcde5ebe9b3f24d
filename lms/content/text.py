"""Text folding for accent-insensitive matching and sorting."""
from __future__ import annotations

import re
import unicodedata


def slugify(text: str, limit: int = 60) -> str:
    """An address-safe name from a title: slugify('Đối thoại với dân cư') == 'doi-thoai-voi-dan-cu'."""
    words = re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
    return words[:limit].rstrip("-")


def fold(text: str) -> str:
    """Lower-case text without Vietnamese diacritics: fold('Xử lý tình huống') == 'xu ly tinh huong'."""
    text = text.replace("đ", "d").replace("Đ", "D")
    stripped = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", stripped).lower()
