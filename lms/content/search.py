"""Plain-text extraction of rendered Markdown, for accent-insensitive search."""
from __future__ import annotations

import html
import re

from lms.content.render import render_markdown

TAG_RE = re.compile(r"<[^>]+>")
SPACE_RE = re.compile(r"\s+")
BACKLINK = "\u21a9"  # the footnote back-link arrow is not content


def plain_text(markdown_source: str) -> str:
    """The readable words of a Markdown text, one space between them, for indexing."""
    text = html.unescape(TAG_RE.sub(" ", render_markdown(markdown_source)))
    return SPACE_RE.sub(" ", text.replace(BACKLINK, " ")).strip()
