"""The renderer: what sanitising removes, and what the extensions produce that must survive it."""
from __future__ import annotations

import pytest

from lms.content.render import heading_slug, render_inline, render_markdown, render_post


def resolver(kind: str, target: str) -> str | None:
    """URLs for the internal links the tests know; None for the rest."""
    known = {("lesson", "02-hai"): "/m/01/lessons/02", ("case", "hai-ho"): "/cases/hai-ho",
             ("media", "media/so-do.png"): "/media/01/so-do.png"}
    return known.get((kind, target))


DANGEROUS = [
    ("<script>alert(1)</script>\n\nSau.", "<script", "alert"),
    ("Trước <script>alert(1)</script> sau.", "<script", None),
    ("<img src=x onerror=\"alert(1)\">", "onerror", None),
    ("[bấm](javascript:alert(1))", "javascript:", None),
    ("[bấm](JaVaScRiPt:alert(1))", "alert", None),
    ("<a href=\"javascript:alert(1)\">x</a>", "javascript", None),
    ("<iframe src=\"https://evil.example\"></iframe>", "iframe", "evil"),
    ("<div onclick=\"steal()\">khối</div>", "onclick", "khối"),
    ("<style>body{display:none}</style>", "style", "display"),
    ("Chữ <b style=\"color:red\">đậm</b> thô.", "<b", None),
    ("<!-- ghi chú ẩn -->", "ghi chú", None),
    ("![x](data:image/png;base64,AAAA)", "data:", None),
]


@pytest.mark.parametrize(("source", "absent", "also_absent"), DANGEROUS, ids=[d[1] for d in DANGEROUS])
def test_dangerous_markup_is_removed(source: str, absent: str, also_absent: str | None) -> None:
    html = render_markdown(source)
    assert absent not in html.lower()
    if also_absent:
        assert also_absent not in html


def test_tables_footnotes_callouts_and_anchors_survive() -> None:
    html = render_markdown(
        "## Xử lý tình huống\n\n| Cột | Số |\n|:--|--:|\n| a | 1 |\n\nCăn cứ[^1].\n\n[^1]: Luật Đất đai 2024.\n\n"
        "!!! law \"Căn cứ pháp lý\"\n    Điều 236.\n\n!!! tip\n    Hỏi dân trước.\n")
    assert '<h2 id="xu-ly-tinh-huong">Xử lý tình huống</h2>' in html
    assert '<th align="left">Cột</th>' in html and '<td align="right">1</td>' in html
    assert '<sup id="fnref:1"><a class="footnote-ref" href="#fn:1"' in html
    assert '<li id="fn:1">' in html and 'class="footnote-backref" href="#fnref:1"' in html
    assert '<div class="admonition law">\n<p class="admonition-title">Căn cứ pháp lý</p>' in html
    assert '<div class="admonition tip">\n<p class="admonition-title">Kinh nghiệm</p>' in html


def test_unknown_callout_kinds_lose_their_class() -> None:
    assert 'class="admonition"' in render_markdown("!!! danger\n    x\n")


def test_links_get_rel_and_keep_safe_targets() -> None:
    html = render_markdown("[a](https://thuvienphapluat.vn) [b](#muc-1) [c](../tai-lieu)")
    assert '<a href="https://thuvienphapluat.vn" rel="noopener noreferrer">a</a>' in html
    assert 'href="#muc-1"' in html and 'href="../tai-lieu"' in html


def test_internal_links_go_through_the_resolver() -> None:
    html = render_markdown("[bài 2](lesson:02-hai), [ca](case:hai-ho), [mất](case:khong-co), ![sơ đồ](media/so-do.png)",
                           resolver)
    assert '<a href="/m/01/lessons/02" rel="noopener noreferrer">bài 2</a>' in html
    assert '<a href="/cases/hai-ho"' in html
    assert ", mất," in html and "khong-co" not in html
    assert '<img alt="sơ đồ" src="/media/01/so-do.png">' in html


def test_internal_links_without_resolver_become_text_keeping_markup() -> None:
    assert render_markdown("Xem [**bài** 2](lesson:02-hai) nhé.") == "<p>Xem <strong>bài</strong> 2 nhé.</p>"


def test_code_is_escaped_not_executed() -> None:
    assert "&lt;script&gt;" in render_markdown("```\n<script>x</script>\n```")


def test_heading_slugs_are_ascii_and_unique() -> None:
    html = render_markdown("## Đảng bộ xã\n\n## Đảng bộ xã\n")
    assert 'id="dang-bo-xa"' in html and 'id="dang-bo-xa_1"' in html
    assert heading_slug("Căn cứ: Luật (2024)!") == "can-cu-luat-2024"


def test_render_inline_drops_the_paragraph() -> None:
    assert render_inline("Chỉ đạo **hòa giải**") == "Chỉ đạo <strong>hòa giải</strong>"
    assert render_inline("a\n\nb").count("<p>") == 2


def test_a_post_keeps_its_lines_as_a_text_message_does():
    html = render_post("Ý thứ nhất\nÝ thứ hai\n2 người đến\n\n1. một\n2. hai\n\n- ba\n- bốn\n\n> trích\n<script>x()</script>")
    assert "<p>Ý thứ nhất<br>\nÝ thứ hai<br>\n2 người đến</p>" in html  # Markdown alone joined them into one line
    assert "<ol>\n<li>một</li>\n<li>hai</li>\n</ol>" in html and "<li>ba</li>" in html  # lists stay lists
    assert "<blockquote>" in html and "<script>" not in html
