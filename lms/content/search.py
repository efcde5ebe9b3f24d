"""Text folding and plain-text extraction for accent-insensitive search."""
from __future__ import annotations

import html
import re
import unicodedata

TAG_RE = re.compile(r"<[^>]+>")
SPACE_RE = re.compile(r"\s+")
BACKLINK = "\u21a9"  # the footnote back-link arrow is not content


def fold(text: str) -> str:
    """Lower-case text without Vietnamese diacritics: fold('Xử lý tình huống') == 'xu ly tinh huong'."""
    text = text.replace("đ", "d").replace("Đ", "D")
    stripped = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", stripped).lower()


def plain_text(markdown_source: str) -> str:
    """The readable words of a Markdown text, one space between them, for indexing."""
    from lms.content.render import render_markdown  # deferred: render imports fold from here

    text = html.unescape(TAG_RE.sub(" ", render_markdown(markdown_source)))
    return SPACE_RE.sub(" ", text.replace(BACKLINK, " ")).strip()
