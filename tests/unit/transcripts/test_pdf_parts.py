"""The parts that make a PDF fast: fonts parsed once per process, the table's own line breaking, the QR code."""
from __future__ import annotations

import dataclasses
import io

import pytest
import segno
from fontTools import subset as ftsubset
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from lms.domain.transcript import build_transcript
from lms.transcripts.pdf import draw_qr, render_certificate_pdf, render_transcript_pdf
from lms.transcripts.pdf_fonts import KEPT_CUTS, LATIN, REPERTOIRE, LeanFont
from lms.transcripts.pdf_text import wrap_words

from .conftest import module_title


def text_of(pdf: bytes) -> str:
    """All pages' text, whitespace collapsed."""
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages)


def font_programs(pdf: bytes) -> dict[str, bytes]:
    """The embedded font programs of the first page, by font name."""
    programs = {}
    for font in PdfReader(io.BytesIO(pdf)).pages[0]["/Resources"]["/Font"].values():
        font = font.get_object()
        program = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]["/FontFile2"].get_object().get_data()
        programs[str(font["/BaseFont"]).split("+")[-1]] = program
    return programs


def embedded_letters(pdf: bytes) -> dict[str, set[str]]:
    """The characters each embedded font program of the first page maps, by font name."""
    return {name: {chr(c) for c in TTFont(io.BytesIO(program)).getBestCmap()}
            for name, program in font_programs(pdf).items()}


def test_documents_share_one_cut_of_each_font_and_a_rarer_letter_gets_its_own(make_document, make_transcript,
                                                                                settings, monkeypatch):
    """Documents within the Vietnamese alphabet embed the same cut of each style, made once per process; a name
    with another letter gets a cut of its own, and the next document's cut is the shared one again. Italic sets
    only fixed lines, dates and the address, so its cut holds Latin besides them (one cut per kind of document)."""
    KEPT_CUTS.clear()
    cuts = []
    real_subset = ftsubset.Subsetter.subset
    monkeypatch.setattr(ftsubset.Subsetter, "subset",
                        lambda self, font: (isinstance(font, LeanFont) and cuts.append(font)) or real_subset(self, font))

    def render(kind: str, holder: str) -> bytes:
        document = make_document(kind, transcript=make_transcript(holder=holder))
        pdf = (render_certificate_pdf if kind == "certificate" else render_transcript_pdf)(document, settings)
        assert holder in text_of(pdf)
        assert set(holder.replace(" ", "")) <= embedded_letters(pdf)["BeVietnamProBold"]  # the name is in bold
        return pdf

    def upright(pdf: bytes) -> dict[str, bytes]:
        return {name: program for name, program in font_programs(pdf).items() if not name.endswith("Italic")}

    first = render("certificate", "Nguyễn Thị Hồng Nhung")
    assert len(cuts) == 3  # regular, bold, italic
    assert font_programs(render("certificate", "Phó Đức Khải")) == font_programs(first) and len(cuts) == 3
    assert set(REPERTOIRE) - {" "} <= embedded_letters(first)["BeVietnamPro"]
    italic = embedded_letters(first)["BeVietnamProItalic"]
    assert set(LATIN) - {" "} <= italic and "ỹ" not in italic

    transcripts = [render("transcript", "Đặng Quỳnh Ỷ Wý Zẵ"), render("transcript", "Lê Văn Tám")]
    assert len(cuts) == 4  # the transcript's own italic lines: one more italic cut, then shared
    assert all(upright(pdf) == upright(first) for pdf in transcripts)

    rare = render("certificate", "Hồ Thị Müller")
    assert len(cuts) == 5 and "ü" in embedded_letters(rare)["BeVietnamProBold"]  # the bold style, cut again
    after = render("certificate", "Lê Văn Tám")
    assert len(cuts) == 5 and font_programs(after) == font_programs(first)
    assert "ü" not in embedded_letters(after)["BeVietnamProBold"]


def test_a_long_title_wraps_in_its_column_and_reads_whole(make_document, make_transcript, settings):
    base = make_transcript(count=3)
    long = "Quản lý nhà nước về đất đai, tài nguyên và môi trường " * 6 + "Siêudàikhôngcókhoảngtrắng" * 8
    lines = [dataclasses.replace(line, title=long) if line.number == 2 else line for line in base.lines]
    transcript = build_transcript(base.holder_name, base.holder_username, base.commune, base.cohort_name, lines)
    text = text_of(render_transcript_pdf(make_document(transcript=transcript), settings))
    assert " ".join(long.split()[:-1]) in text
    assert module_title(3) in text


@pytest.mark.parametrize("text", ["", "Một", "Quản lý nhà nước về đất đai, tài nguyên và môi trường",
                                  "a" * 50, "ngắn " + "x" * 40 + " cuối", "  nhiều   khoảng   trắng  "])
@pytest.mark.parametrize("width", [5, 12, 30])
def test_wrapped_lines_fit_the_width_and_keep_every_word(text, width):
    lines = wrap_words(text, width, len)
    assert lines
    assert all(len(line) <= width for line in lines)
    assert "".join("".join(lines).split()) == "".join(text.split())
    assert all(len(line) <= width or " " not in line for line in lines)
    if text.split() and max(len(word) for word in text.split()) <= width:
        assert [word for line in lines for word in line.split()] == text.split()  # words are never cut


class RecordingPDF:
    """Just enough of FPDF to record the filled squares of a QR code."""

    def __init__(self) -> None:
        self.rects: list[tuple[float, float, float, float]] = []

    def set_fill_color(self, *args) -> None:
        """Colours do not matter here."""

    def rect(self, x: float, y: float, w: float, h: float, style: str = "") -> None:
        """Remember a filled rectangle."""
        assert style == "F"
        self.rects.append((x, y, w, h))


@pytest.mark.parametrize("url", ["https://lms.example.vn/verify/k6ou3mei2kurcdk2joyjfyfi6a",
                                 "http://127.0.0.1:5000/verify/" + "7" * 26])
def test_the_qr_code_drawn_is_the_verify_address_code(url):
    pdf, size, left, top = RecordingPDF(), 28.0, 18.0, 200.0
    draw_qr(pdf, url, left, top, size)
    expected = segno.make(url, error="m").matrix
    modules = len(expected)
    unit = size / (modules + 8)  # a quiet zone of 4 modules on each side
    drawn = [[False] * modules for _ in range(modules)]
    for x, y, w, h in pdf.rects:
        row, first = round((y - top) / unit) - 4, round((x - left) / unit) - 4
        assert h >= unit and 0 <= row < modules and 0 <= first < modules
        for column in range(first, first + round(w / unit)):
            drawn[row][column] = True
    assert drawn == [[bool(cell) for cell in row] for row in expected]


def test_the_embedded_fonts_keep_every_outline_without_the_hinting(make_document, settings):
    """Hinting snaps outlines to screen pixels and a PDF viewer scales past it: dropped, the glyphs are the font's."""
    from lms.transcripts.pdf import font_path

    pdf = render_certificate_pdf(make_document("certificate"), settings)
    original = TTFont(font_path("B"))
    for font in PdfReader(io.BytesIO(pdf)).pages[0]["/Resources"]["/Font"].values():
        font = font.get_object()
        program = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]["/FontFile2"].get_object().get_data()
        embedded = TTFont(io.BytesIO(program))
        assert not {"fpgm", "prep", "cvt "} & set(embedded.keys())
        if str(font["/BaseFont"]).endswith("BeVietnamProBold"):
            for char in "Nguyễn":
                name = embedded.getBestCmap()[ord(char)]
                ours, theirs = embedded["glyf"][name], original["glyf"][original.getBestCmap()[ord(char)]]
                assert ours.getCoordinates(embedded["glyf"])[0] == theirs.getCoordinates(original["glyf"])[0]
                assert not getattr(ours, "program", None) or not ours.program.getBytecode()
