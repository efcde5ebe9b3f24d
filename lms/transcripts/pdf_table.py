"""The transcript's module table drawn with fpdf2's primitives (rectangles and text at a point).

fpdf2's `table()` lays every cell out twice through its general line breaker, which measures the line again
for each character added: about half of a transcript's time. The cells' texts repeat from one learner to the
next (titles, headings, classifications), so each wraps once per process; a row is then a few rectangles and
strings. Same look: bordered cells, padding, the heading filled and bold and repeated on each page, the text
of a row's shorter cells centred vertically, never a heading alone at the foot of a page.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from fpdf import FPDF

from lms.transcripts.pdf_text import wrapped


@dataclass(frozen=True)
class TableStyle:
    """Sizes in millimetres; the grey of the heading's fill; the font's family and size."""

    family: str
    size: float
    line_height: float
    padding: float
    heading_fill: int


@dataclass(frozen=True)
class _Row:
    lines: list[tuple[str, ...]]
    height: float
    bold: bool


def _layout(pdf: FPDF, cells: Sequence[str], widths: list[float], style: TableStyle, bold: bool) -> _Row:
    pdf.set_font(style.family, "B" if bold else "", style.size)
    lines = [wrapped(pdf, text, width - 2 * style.padding) for text, width in zip(cells, widths, strict=True)]
    return _Row(lines, max(len(cell) for cell in lines) * style.line_height + 2 * style.padding, bold)


def _draw(pdf: FPDF, row: _Row, widths: list[float], aligns: Sequence[str], style: TableStyle) -> None:
    pdf.set_font(style.family, "B" if row.bold else "", style.size)
    if row.bold:
        pdf.set_fill_color(style.heading_fill)
    x, y = pdf.l_margin, pdf.get_y()
    baseline = 0.5 * style.line_height + 0.3 * pdf.font_size  # where fpdf2's cells put the baseline in a line
    for lines, width, align in zip(row.lines, widths, aligns, strict=True):
        pdf.rect(x, y, width, row.height, style="DF" if row.bold else "D")
        top = y + (row.height - len(lines) * style.line_height) / 2
        for index, line in enumerate(lines):
            if align == "LEFT":
                left = x + style.padding
            else:  # centred
                left = x + (width - pdf.get_string_width(line)) / 2
            pdf.text(left, top + index * style.line_height + baseline, line)
        x += width
    if row.bold:
        pdf.set_fill_color(0)
    pdf.set_y(y + row.height)


def draw_table(pdf: FPDF, rows: Sequence[Sequence[str]], widths: Sequence[float], aligns: Sequence[str],
               style: TableStyle) -> None:
    """The first row as the heading, the others below it across the page's width, breaking pages as needed."""
    scale = pdf.epw / sum(widths)
    widths = [width * scale for width in widths]
    heading = _layout(pdf, rows[0], widths, style, bold=True)
    body = [_layout(pdf, row, widths, style, bold=False) for row in rows[1:]]
    first = heading.height + (body[0].height if body else 0)
    if pdf.get_y() + first > pdf.page_break_trigger:
        pdf.add_page()
    _draw(pdf, heading, widths, aligns, style)
    for row in body:
        if pdf.get_y() + row.height > pdf.page_break_trigger:
            pdf.add_page()
            _draw(pdf, heading, widths, aligns, style)
        _draw(pdf, row, widths, aligns, style)
