"""The documents' font, prepared once per process instead of once per PDF.

fpdf2's `add_font` parses the whole TTF for every document (cmap, widths, descriptor), and at output subsets it
from the full file, rebuilding every kept glyph to recompute bounding boxes. Here each style is parsed once; a
document gets a copy of that parsed font with its own subset map, and a lazily opened lean copy of the file (the
layout tables fpdf2 drops from every subset are already gone) to cut its subset from, glyphs kept as they are.

The cut itself (fontTools' subsetter, about 3 ms a font whatever its size) is kept too. Each cut holds the
Vietnamese alphabet, the digits and the common punctuation (REPERTOIRE) besides the document's own glyphs, so
documents whose text stays within it (nearly all) share one cut per style, made once per process; a document
with another letter (a name with "ü") gets a cut of its own. The PDF's text still maps only the document's
characters (its ToUnicode map and widths are fpdf2's, unchanged); the extra glyphs are outlines nothing draws,
about 6 KB more per style once compressed. A style whose varying text is Latin only (the documents' italic) is
given the smaller LATIN repertoire.
"""
from __future__ import annotations

import copy
import io
import string
import threading
import unicodedata
from functools import cache
from pathlib import Path
from types import SimpleNamespace

import fpdf.output
from cachetools import LRUCache
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


def _vietnamese_letters() -> str:
    """Every letter of the Vietnamese alphabet, lower and upper case, precomposed (NFC)."""
    marks = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")  # ngang, huyền, sắc, hỏi, ngã, nặng
    lower = {unicodedata.normalize("NFC", vowel + mark) for vowel in "aăâeêioôơuưy" for mark in marks} | {"đ"}
    return "".join(sorted(lower | {letter.upper() for letter in lower}))


LATIN = string.ascii_letters + string.digits + string.punctuation + " "
REPERTOIRE = LATIN + _vietnamese_letters() + "–—“”‘’…·"
KEPT_CUTS = LRUCache(maxsize=32)  # (font file, glyph names) -> (the cut's bytes, its glyph ids by name)
_kept_cuts_lock = threading.Lock()


class LeanFont(ttLib.TTFont):
    """A document's lazily parsed copy of the lean font, whose subset may be served from KEPT_CUTS.

    fpdf2 asks three things of it at output: to be subset, the new glyph id of each glyph it drew, and its bytes;
    once a kept cut is served, the last two come from the cut."""

    def __init__(self, path: Path, repertoire: str = REPERTOIRE):
        super().__init__(io.BytesIO(lean_font(path)), recalcTimestamp=False, recalcBBoxes=False, lazy=True)
        self.source, self.repertoire = path, repertoire
        self.cut: tuple[bytes, dict[str, int]] | None = None

    def getGlyphID(self, glyphName):  # noqa: N802, N803 - fontTools' names
        return self.cut[1][glyphName] if self.cut else super().getGlyphID(glyphName)

    def save(self, file, reorderTables=True):  # noqa: N803
        if self.cut is None:
            return super().save(file, reorderTables)
        file.write(self.cut[0])


@cache
def _repertoire_glyphs(path: Path, repertoire: str) -> frozenset[str]:
    """The names of the font's glyphs for the characters of a repertoire."""
    cmap = ttLib.TTFont(io.BytesIO(lean_font(path)), lazy=True).getBestCmap()
    return frozenset(cmap[ord(char)] for char in repertoire if ord(char) in cmap)


class KeptCutSubsetter(ftsubset.Subsetter):
    """fontTools' subsetter, which cuts a LeanFont with its repertoire added and keeps the cut for the next
    document."""

    def subset(self, font):
        if not isinstance(font, LeanFont):
            return super().subset(font)
        wanted = frozenset(self.glyph_names_requested) | _repertoire_glyphs(font.source, font.repertoire)
        key = (font.source, wanted)
        with _kept_cuts_lock:
            cut = KEPT_CUTS.get(key)
        if cut is None:
            self.populate(glyphs=wanted)
            super().subset(font)
            out = io.BytesIO()
            font.save(out)
            cut = (out.getvalue(), {name: gid for gid, name in enumerate(font.getGlyphOrder())})
            with _kept_cuts_lock:
                KEPT_CUTS[key] = cut
        font.cut = cut


# fpdf2 (2.8) subsets every embedded TrueType font through the module it imported as `ftsubset`; fonts other than
# LeanFont go through fontTools' own subsetter unchanged.
fpdf.output.ftsubset = SimpleNamespace(Options=ftsubset.Options, Subsetter=KeptCutSubsetter)


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


def add_fonts(pdf: FPDF, family: str, styles: dict[str, Path], repertoires: dict[str, str] | None = None) -> None:
    """What `pdf.add_font(family, style, path)` does for each style, from the fonts parsed once per process; each
    style's cut holds its repertoire (REPERTOIRE unless `repertoires` names a smaller one: what the documents set
    in that style beyond it is the same in every document, so the cut is still shared)."""
    for (style, path), parsed in zip(styles.items(), _parsed(family, tuple(styles.items())), strict=True):
        font = copy.copy(parsed)  # widths, cmap and descriptor are read-only and shared; the rest is the document's
        font.i = len(pdf.fonts) + 1
        font.ttfont = LeanFont(path, (repertoires or {}).get(style, REPERTOIRE))
        font.missing_glyphs = []
        font.biggest_size_pt = 0
        font.subset = SubsetMap(font)
        pdf.fonts[_key(family, style)] = font
