"""The one configured Markdown renderer: extensions, internal links, Vietnamese call-outs, then sanitising."""
from __future__ import annotations

import re
import threading
import xml.etree.ElementTree as etree
from collections.abc import Callable

import markdown
import nh3
from markdown.extensions.admonition import AdmonitionExtension, AdmonitionProcessor
from markdown.inlinepatterns import HTML_RE, HtmlInlineProcessor
from markdown.preprocessors import HtmlBlockPreprocessor
from markdown.treeprocessors import Treeprocessor

from lms.content.links import INTERNAL_KINDS
from lms.content.schema import CALLOUT_KINDS
from lms.content.text import fold

LinkResolver = Callable[[str, str], "str | None"]
CALLOUT_TITLES = {"note": "Ghi nhớ", "tip": "Kinh nghiệm", "warning": "Lưu ý", "example": "Ví dụ",
                  "law": "Căn cứ pháp lý"}
SCHEME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:|^/|^#")
MEDIA_PREFIX = "media/"
EMPTY_P_RE = re.compile(r"<p>\s*</p>\n?")

ALLOWED_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "del", "code", "pre",
    "blockquote", "ul", "ol", "li", "a", "img", "table", "thead", "tbody", "tr", "th", "td", "sup", "sub",
    "div", "span", "abbr",
}
ALLOWED_ATTRIBUTES = {
    **{f"h{level}": {"id"} for level in range(1, 7)},
    "a": {"href", "title", "id"}, "img": {"src", "alt", "title"}, "th": {"align"}, "td": {"align"},
    "sup": {"id"}, "li": {"id"}, "ol": {"start"}, "abbr": {"title"},
}
ALLOWED_CLASSES = {
    "div": {"admonition", "footnote", "toc", *CALLOUT_KINDS},
    "p": {"admonition-title"},
    "a": {"footnote-ref", "footnote-backref"},
    "span": {"toctitle"},
}


def heading_slug(value: str, separator: str = "-") -> str:
    """An ASCII anchor for a Vietnamese heading: 'Tình huống 1' -> 'tinh-huong-1'."""
    return re.sub(r"[^a-z0-9]+", separator, fold(value)).strip(separator) or "muc"


class _VietnameseAdmonitions(AdmonitionProcessor):
    """Call-outs without an explicit title get the Vietnamese name of their kind."""

    def get_class_and_title(self, match: re.Match[str]) -> tuple[str, str | None]:
        """The call-out's class and its title, defaulting to the kind's Vietnamese name."""
        klass, title = super().get_class_and_title(match)
        if match.group(2) is None:
            title = CALLOUT_TITLES.get(klass.split(" ", 1)[0], title)
        return klass, title


class _DropHtmlBlocks(HtmlBlockPreprocessor):
    """Raw HTML blocks are removed, not passed through."""

    def run(self, lines: list[str]) -> list[str]:
        """Stash raw HTML blocks as the base class does, then empty what was stashed."""
        stash = self.md.htmlStash
        before = len(stash.rawHtmlBlocks)
        result = super().run(lines)
        for position in range(before, len(stash.rawHtmlBlocks)):
            stash.rawHtmlBlocks[position] = ""
        return result


class _DropInlineHtml(HtmlInlineProcessor):
    """Raw inline HTML tags are removed; the text between them stays."""

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[str, int, int]:  # noqa: N802 (markdown API)
        """Replace the tag with nothing."""
        return "", m.start(0), m.end(0)


class _InternalLinks(Treeprocessor):
    """lesson:, module: and case: links become URLs from the resolver, or plain text when unresolved."""

    resolver: LinkResolver | None = None

    def run(self, root: etree.Element) -> None:
        """Rewrite or unwrap every internal link and media image in the tree."""
        for parent in list(root.iter()):
            for element in list(parent):
                if element.tag == "a":
                    self._link(parent, element)
                elif element.tag == "img":
                    self._image(element)

    def _link(self, parent: etree.Element, element: etree.Element) -> None:
        href = element.get("href", "")
        if href.startswith(MEDIA_PREFIX) and self.resolver:
            element.set("href", self.resolver("media", href) or href)
            return
        kind, _, target = href.partition(":")
        if kind not in INTERNAL_KINDS or not target:
            return
        url = self.resolver(kind, target) if self.resolver else None
        if url:
            element.set("href", url)
        else:
            _unwrap(parent, element)

    def _image(self, element: etree.Element) -> None:
        source = element.get("src", "")
        if self.resolver and source and not SCHEME_RE.match(source):
            element.set("src", self.resolver("media", source) or source)


def _unwrap(parent: etree.Element, element: etree.Element) -> None:
    """Replace an element by its text and children, keeping its tail."""
    position = list(parent).index(element)
    text = (element.text or "")
    children = list(element)
    if position == 0:
        parent.text = (parent.text or "") + text
    else:
        previous = parent[position - 1]
        previous.tail = (previous.tail or "") + text
    parent.remove(element)
    for offset, grandchild in enumerate(children):
        parent.insert(position + offset, grandchild)
    tail_holder = children[-1] if children else (parent[position - 1] if position else None)
    if tail_holder is None:
        parent.text = (parent.text or "") + (element.tail or "")
    else:
        tail_holder.tail = (tail_holder.tail or "") + (element.tail or "")


def _build() -> markdown.Markdown:
    md = markdown.Markdown(extensions=[
        "tables", "footnotes", "toc", "sane_lists", "fenced_code", AdmonitionExtension(),
    ], extension_configs={
        "tables": {"use_align_attribute": True},
        "footnotes": {"BACKLINK_TITLE": "Quay lại chỗ chú thích %d", "SUPERSCRIPT_TEXT": "{}"},
        "toc": {"slugify": heading_slug, "permalink": False},
    }, output_format="html")
    md.parser.blockprocessors.register(_VietnameseAdmonitions(md.parser), "admonition", 105)
    md.preprocessors.register(_DropHtmlBlocks(md), "html_block", 20)
    md.inlinePatterns.register(_DropInlineHtml(HTML_RE, md), "html", 90)
    md.treeprocessors.register(_InternalLinks(md), "internal_links", 15)
    return md


_local = threading.local()  # Markdown instances keep state, so one per thread


def _converter() -> markdown.Markdown:
    if not hasattr(_local, "md"):
        _local.md = _build()
    return _local.md


def sanitize(html: str) -> str:
    """HTML cut down to the tags, attributes, classes and URL schemes the renderer produces."""
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, allowed_classes=ALLOWED_CLASSES,
                     clean_content_tags={"script", "style"}, url_schemes={"http", "https"},
                     link_rel="noopener noreferrer", strip_comments=True)


def render_markdown(text: str, link_resolver: LinkResolver | None = None) -> str:
    """Safe HTML for a Markdown text; internal links go through link_resolver(kind, target) -> URL or None."""
    md = _converter()
    md.reset()
    md.treeprocessors["internal_links"].resolver = link_resolver
    try:
        html = md.convert(text)
    finally:
        md.treeprocessors["internal_links"].resolver = None
    return sanitize(EMPTY_P_RE.sub("", html))


# A line break inside a paragraph, not before a list item, a quote or another break: a post keeps it.
POST_LINE_BREAK_RE = re.compile(r"(?<=\S)[ \t]*\n(?=[ \t]*(?![-*+>]|\d+\.)\S)")


def render_post(text: str) -> str:
    """Safe HTML for what a person wrote in a discussion: the same renderer and sanitiser as the content, without
    images (nothing is loaded from elsewhere), internal links or headings above level 4 (a post is not a page).
    Lines stay lines, as in a text message (Markdown would join them into one paragraph)."""
    html = render_markdown(POST_LINE_BREAK_RE.sub("  \n", text))
    return nh3.clean(html, tags=ALLOWED_TAGS - {"img", "h1", "h2", "h3", "div"}, attributes=ALLOWED_ATTRIBUTES,
                     allowed_classes={}, url_schemes={"http", "https"}, link_rel="nofollow noopener noreferrer",
                     strip_comments=True)


def render_inline(text: str, link_resolver: LinkResolver | None = None) -> str:
    """Safe HTML for a short text such as an option, without the wrapping paragraph when there is one."""
    html = render_markdown(text, link_resolver)
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        return html[3:-4]
    return html
