"""Search text of lessons and cases (title, headings, summary, body), query words, and highlighted snippets.

Pure functions: the catalogue indexes what these return and ranks in the database's own full-text engine.
"""
from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

from lms.content.render import render_markdown
from lms.content.text import fold
from lms.domain.cases import CaseDefinition

TAG_RE = re.compile(r"<[^>]+>")
SPACE_RE = re.compile(r"\s+")
HEADING_RE = re.compile(r"<h([1-6])\b[^>]*>(.*?)</h\1>", re.S | re.I)
# A word is a run of letters and digits: quotes, '*', '-', brackets, operators and control characters are never
# part of one, so nothing typed reaches a query language except words.
WORD_RE = re.compile(r"[^\W_]+")
WORD_TAIL = r"[^\W_]*"
BACKLINK = "\u21a9"  # the footnote back-link arrow is not content
MAX_TERMS = 8
MAX_TERM_LENGTH = 40
PREFIX_FROM = 3  # letters
Segment = tuple[str, bool]  # a piece of text, and whether it matched the query


def _plain(text: str) -> str:
    """A plain text (a title, a summary) on one line, accents composed."""
    return unicodedata.normalize("NFC", SPACE_RE.sub(" ", text).strip())


def _text(fragment: str) -> str:
    """The words of an HTML fragment."""
    return _plain(html.unescape(TAG_RE.sub(" ", fragment)).replace(BACKLINK, " "))


def plain_text(markdown_source: str) -> str:
    """The readable words of a Markdown text, one space between them, for indexing."""
    return _text(render_markdown(markdown_source))


CELL_END_RE = re.compile(r"</t[dh]>", re.I)
BLOCK_END_RE = re.compile(r"</(p|li|h[1-6]|blockquote|tr|pre)>|<br\s*/?>", re.I)


def plain_excerpt(markdown_source: str, limit: int) -> str:
    """A Markdown text as plain words for a notification or an e-mail: one line per paragraph or list item, no
    markup left ('**', '-', '#'), cut at a word with '…' past `limit` characters."""
    blocks = CELL_END_RE.sub(" ", BLOCK_END_RE.sub("\n", render_markdown(markdown_source)))
    words = html.unescape(TAG_RE.sub("", blocks)).replace(BACKLINK, " ")  # inline tags join their words
    lines = [line for line in (_plain(part) for part in words.split("\n")) if line]
    text = "\n".join(lines)
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(" ,.;:") + "…"


@dataclass(frozen=True)
class SearchDocument:
    """The text of one lesson or case as the index weighs it: title above headings above summary above body."""

    title: str
    headings: str
    summary: str
    body: str


def lesson_document(title: str, summary: str, body_html: str) -> SearchDocument:
    """A lesson's search text from its rendered body: its headings apart from the rest."""
    headings = [_text(match.group(2)) for match in HEADING_RE.finditer(body_html)]
    return SearchDocument(_plain(title), "\n".join(headings), _plain(summary), _text(HEADING_RE.sub(" ", body_html)))


def case_document(case: CaseDefinition) -> SearchDocument:
    """A case's search text: stage titles as headings; scenario, stage texts and question prompts as body."""
    parts = [plain_text(case.scenario)]
    parts += [f"{plain_text(s.text)} {' '.join(plain_text(q.prompt) for q in s.questions)}" for s in case.stages]
    return SearchDocument(_plain(case.title), "\n".join(_plain(s.title) for s in case.stages), _plain(case.summary),
                          " ".join(parts).strip())


@dataclass(frozen=True)
class Term:
    """One word of a query: lower-case as typed (accents kept), folded (accents and 'đ' removed), and whether the
    words it starts count too (the last word, as it may be half typed: 'chuyen do' finds 'chuyển đổi')."""

    exact: str
    folded: str
    prefix: bool = False

    def matches(self, folded_word: str) -> bool:
        """Whether a folded word of a text is this term (or starts with it, for a prefix term)."""
        return folded_word == self.folded or (self.prefix and folded_word.startswith(self.folded))


def search_terms(query: str) -> tuple[Term, ...]:
    """The words of a query (at most eight), and nothing else typed: '"đất" OR -(*)' gives two terms, 'đất' and
    'or'; one-letter words ('ở', 'à') are too common to search for, one digit is kept ('bão số 3'). Only a last word of
    three letters or more typed without accents is a prefix: Vietnamese syllables are short ('lũ' must not find
    'luật'), and a syllable typed with its accents is whole ('giả' must not find 'gian')."""
    words = [w[:MAX_TERM_LENGTH] for w in WORD_RE.findall(unicodedata.normalize("NFC", query).lower())
             if len(w) > 1 or w.isdigit()]
    words = words[:MAX_TERMS]
    return tuple(Term(word, fold(word), index == len(words) - 1 and len(word) >= PREFIX_FROM and word == fold(word))
                 for index, word in enumerate(words))


class _FoldTable(dict):
    """str.translate's table folding one character to one character, so positions in the folded text are
    positions in the text (fold() itself may drop a lone accent or lengthen a rare letter)."""

    def __missing__(self, code: int) -> str:
        folded = fold(chr(code))
        self[code] = value = folded[0] if folded else chr(code)
        return value


_FOLD_TABLE = _FoldTable()


def _matches(text: str, terms: tuple[Term, ...]) -> list[tuple[int, int, int]]:
    """(start, end, term index) of every word of the text that matches a term, found in its folded copy."""
    if not terms:
        return []
    words = "|".join("(" + re.escape(t.folded) + (WORD_TAIL if t.prefix else "") + ")" for t in terms)
    pattern = re.compile(rf"(?<![^\W_])(?:{words})(?![^\W_])")
    return [(m.start(), m.end(), m.lastindex - 1) for m in pattern.finditer(text.translate(_FOLD_TABLE))]


def highlight(text: str, terms: tuple[Term, ...]) -> list[Segment]:
    """The text cut into segments, the words that match a term marked."""
    segments: list[Segment] = []
    position = 0
    for start, end, _term in _matches(text, terms):
        segments += [(text[position:start], False), (text[start:end], True)]
        position = end
    segments.append((text[position:], False))
    return [segment for segment in segments if segment[0]]


def snippet(text: str, terms: tuple[Term, ...], width: int = 220, before: int = 60) -> list[Segment]:
    """About `width` characters of the text around the most query words, matches marked; '…' where cut."""
    hits = _matches(text, terms)
    best, start, last = 0, 0, 0
    for index, (first, _end, _term) in enumerate(hits):  # the window opening at each match, best first
        while last < len(hits) and hits[last][0] < first + width - before:
            last += 1
        covered = len({term for _start, _end, term in hits[index:last]})
        if covered > best:
            best, start = covered, max(first - before, 0)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < start + before else start
    end = start + width
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    segments = highlight(text[start:end], terms)
    if start:
        segments.insert(0, ("…", False))
    if end < len(text):
        segments.append(("…", False))
    return segments
