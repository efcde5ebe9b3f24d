"""The parts that make a PDF fast: fonts parsed once per process, the table's own line breaking, the QR code."""
from __future__ import annotations

import dataclasses
import io

import pytest
import segno
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from lms.domain.transcript import build_transcript
from lms.transcripts.pdf import draw_qr, render_certificate_pdf, render_transcript_pdf
from lms.transcripts.pdf_text import wrap_words

from .conftest import module_title


def text_of(pdf: bytes) -> str:
    """All pages' text, whitespace collapsed."""
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages)


def embedded_letters(pdf: bytes) -> dict[str, set[str]]:
    """The characters each embedded font program of the first page maps, by font name."""
    letters = {}
    for font in PdfReader(io.BytesIO(pdf)).pages[0]["/Resources"]["/Font"].values():
        font = font.get_object()
        program = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]["/FontFile2"].get_object().get_data()
        letters[str(font["/BaseFont"]).split("+")[-1]] = {chr(c) for c in TTFont(io.BytesIO(program)).getBestCmap()}
    return letters


def test_documents_rendered_one_after_another_each_embed_their_own_letters(make_document, make_transcript, settings):
    """The parsed fonts are shared between documents: each document's subset holds its own text's letters."""
    holders = ["Nguyễn Thị Hồng Nhung", "Đặng Quỳnh Ỷ Wý Zẵ", "Phó Đức Khải", "Nguyễn Thị Hồng Nhung"]
    for holder in holders:
        base = make_transcript(holder=holder)
        for document, render in ((make_document(transcript=base), render_transcript_pdf),
                                 (make_document("certificate", transcript=base), render_certificate_pdf)):
            pdf = render(document, settings)
            assert holder in text_of(pdf)
            bold = embedded_letters(pdf)["BeVietnamProBold"]
            assert set(holder.replace(" ", "")) <= bold  # the name is set in bold
            assert not {"Ỷ", "W", "Z", "ẵ"} <= bold or "Ỷ" in holder  # and nothing of another document's name


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
