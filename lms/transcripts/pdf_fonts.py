"""The documents' font, prepared once per process instead of once per PDF.

fpdf2's `add_font` parses the whole TTF for every document (cmap, widths, descriptor), and at output subsets it
from the full file, rebuilding every kept glyph to recompute bounding boxes. Here each style is parsed once; a
document gets a copy of that parsed font with its own subset map, and a lazily opened lean copy of the file (the
layout tables fpdf2 drops from every subset are already gone) to cut its subset from, glyphs kept as they are.
The embedded subset holds the same glyphs, widths and ToUnicode map as before.
"""
from __future__ import annotations

import copy
import io
from functools import cache
from pathlib import Path

from fontTools import subset as ftsubset
from fontTools import ttLib
from fpdf import FPDF
from fpdf.fonts import SubsetMap, TTFFont

# Tables fpdf2 drops from every embedded subset (fpdf/output.py): removing them once saves parsing them per PDF.
DROPPED_TABLES = ("FFTM", "GDEF", "GPOS", "GSUB", "MATH", "hdmx", "meta", "sbix", "CBDT", "CBLC", "EBDT", "EBLC",
                  "EBSC", "SVG ", "CPAL", "COLR")


@cache
def lean_font(path: Path) -> bytes:
    """The TTF file with every glyph and its glyph id, without what no embedded subset needs: the tables fpdf2
    drops anyway, and the hinting (TrueType instructions for snapping outlines to screen pixels, which PDF viewers
    scale past; dropping them makes each embedded font about 40% smaller and quicker to cut)."""
    font = ttLib.TTFont(path, recalcTimestamp=False, recalcBBoxes=False)
    options = ftsubset.Options(hinting=False, glyph_names=True, notdef_outline=True, name_IDs=["*"],
                               name_languages=["*"], layout_features=["*"], retain_gids=True)
    options.drop_tables += [*DROPPED_TABLES, "DSIG"]
    subsetter = ftsubset.Subsetter(options)
    subsetter.populate(glyphs=font.getGlyphOrder())
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def _open(path: Path) -> ttLib.TTFont:
    """A lazily parsed copy of the lean font that the document's subset may change; bounding boxes kept as stored."""
    return ttLib.TTFont(io.BytesIO(lean_font(path)), recalcTimestamp=False, recalcBBoxes=False, lazy=True)


@cache
def _parsed(family: str, styles: tuple[tuple[str, Path], ...]) -> tuple[TTFFont, ...]:
    """The family's styles parsed by fpdf2 once, in the order given (which fixes each font's resource number)."""
    scratch = FPDF()
    for style, path in styles:
        scratch.fonts[_key(family, style)] = TTFFont(scratch, path, _key(family, style), style)
    return tuple(scratch.fonts.values())


def _key(family: str, style: str) -> str:
    """fpdf2's key of a font: the family in lower case and the style letters sorted."""
    return f"{family.lower()}{''.join(sorted(style.upper()))}"


def add_fonts(pdf: FPDF, family: str, styles: dict[str, Path]) -> None:
    """What `pdf.add_font(family, style, path)` does for each style, from the fonts parsed once per process."""
    for (style, path), parsed in zip(styles.items(), _parsed(family, tuple(styles.items())), strict=True):
        font = copy.copy(parsed)  # widths, cmap and descriptor are read-only and shared; the rest is the document's
        font.i = len(pdf.fonts) + 1
        font.ttfont = _open(path)
        font.missing_glyphs = []
        font.biggest_size_pt = 0
        font.subset = SubsetMap(font)
        pdf.fonts[_key(family, style)] = font
