"""Text set line by line with fpdf2's `text()`: lines wrapped once per process, never through `multi_cell`.

fpdf2's `multi_cell` measures the whole line again for each character it adds, so a paragraph costs the square of
its length; the documents' lines repeat from one learner to the next (headings, titles, labels), so each is
wrapped once and drawn as strings at a point, where `multi_cell` would put them (the same cell margin, baseline
and alignment, and a new page when a line would cross the bottom margin).
"""
from __future__ import annotations

from collections.abc import Callable

from fpdf import FPDF

WRAP_CACHE_LIMIT = 4096
_wraps: dict[tuple, tuple[str, ...]] = {}


def wrap_words(text: str, width: float, measure: Callable[[str], float]) -> tuple[str, ...]:
    """The text broken into lines no wider than `width` at spaces (a word wider than a line at characters), at
    each line break too; spaces inside a line are kept as typed ("a   ·   b")."""
    lines: list[str] = []
    for part in text.split("\n"):
        line = None
        for word in part.strip(" ").split(" "):
            candidate = word if line is None else f"{line} {word}"
            if measure(candidate) <= width or (line is None and not word):
                line = candidate
                continue
            if line:
                lines.append(line.strip(" "))
            line = ""
            for char in word:  # only a word wider than the whole line gets here character by character
                if line and measure(line + char) > width:
                    lines.append(line)
                    line = ""
                line += char
        lines.append((line or "").strip(" "))
    return tuple(lines)


def wrapped(pdf: FPDF, text: str, width: float) -> tuple[str, ...]:
    """The text's lines in the current font and size, remembered for the process (fonts never change in it)."""
    key = (pdf.current_font.fontkey, pdf.font_size_pt, round(width, 3), text)
    lines = _wraps.get(key)
    if lines is None:
        if len(_wraps) >= WRAP_CACHE_LIMIT:
            _wraps.clear()
        lines = _wraps[key] = wrap_words(text, width, pdf.get_string_width)
    return lines


def paragraph(pdf: FPDF, text: str, width: float, height: float, align: str = "C", *,
              back_to_margin: bool = True) -> None:
    """What `multi_cell(width, height, text, align, new_y=NEXT)` draws, `width` 0 meaning up to the right margin;
    the cursor goes below it, to the left margin or (back_to_margin=False) to where the paragraph started."""
    left = pdf.get_x()
    width = width or pdf.w - pdf.r_margin - left
    inner = width - 2 * pdf.c_margin
    for line in wrapped(pdf, text, inner):
        if pdf.get_y() + height > pdf.page_break_trigger and pdf.auto_page_break:
            pdf.add_page()
        top = pdf.get_y()
        if align == "C":
            x = left + (width - pdf.get_string_width(line)) / 2
        else:
            x = left + pdf.c_margin
        pdf.text(x, top + 0.5 * height + 0.3 * pdf.font_size, line)
        pdf.set_y(top + height)
    pdf.set_x(pdf.l_margin if back_to_margin else left)
