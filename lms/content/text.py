"""Text folding for accent-insensitive matching and sorting."""
from __future__ import annotations

import re

from lms.domain.text import fold  # noqa: F401 - the content layer's name for it


def slugify(text: str, limit: int = 60) -> str:
    """An address-safe name from a title: slugify('Đối thoại với dân cư') == 'doi-thoai-voi-dan-cu'."""
    words = re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
    return words[:limit].rstrip("-")


