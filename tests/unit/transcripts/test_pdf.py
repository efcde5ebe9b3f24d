"""The transcript and certificate PDFs: Vietnamese text survives a round trip through pypdf, pages number."""
from __future__ import annotations

import io
import re
from datetime import date

import pytest
from pypdf import PdfReader

from lms.domain.transcript import DocumentKind, build_transcript
from lms.transcripts.pdf import (
    classification_label,
    font_path,
    format_hours,
    format_number,
    place_and_date,
    render_certificate_pdf,
    render_document_pdf,
    render_transcript_pdf,
)

from .conftest import HOLDER, HOT_SPOT_TITLE, module_title, nfd

A4_POINTS = (595.28, 841.89)


def pages_text(pdf: bytes) -> list[str]:
    """The text of each page, whitespace collapsed so wrapped titles read as one line."""
    reader = PdfReader(io.BytesIO(pdf))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    """Each page's (width, height) in points, rounded."""
    return [(round(float(p.mediabox.width), 2), round(float(p.mediabox.height), 2))
            for p in PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture(scope="module", params=["nfc", "nfd"])
def normalise(request):
    """Strings as given (NFC) or decomposed (NFD): the PDF must read the same."""
    return nfd if request.param == "nfd" else str


@pytest.fixture(scope="module")
def transcript_pdf(make_document, settings, normalise):
    """A rendered 18-module transcript, its document and its pages' text."""
    document = make_document(normalise=normalise)
    pdf = render_transcript_pdf(document, settings)
    return document, pdf, pages_text(pdf)


def test_transcript_text_is_intact(transcript_pdf, settings):
    document, pdf, pages = transcript_pdf
    assert pdf.startswith(b"%PDF-")
    text = " ".join(pages)
    assert HOLDER in text
    assert "BẢNG ĐIỂM KẾT QUẢ HỌC TẬP" in text
    assert settings.course_title in text
    assert HOT_SPOT_TITLE in text
    for number in range(1, 19):
        assert module_title(number) in text
    assert document.code in text
    assert "Trang 1/" in pages[0]
    assert "Ngày tạo: 27/11/2026" in text  # issued 20:30 UTC, already the 27th in Viet Nam
    assert "Hà Nội, ngày 27 tháng 11 năm 2026" in text
    assert "Trần Văn Bình" in text and "HIỆU TRƯỞNG" in text
    assert "Xuất sắc" in text and "Trung bình" in text
    assert "Đã hoàn thành khoá học" in text


def test_no_decomposed_marks_reach_the_pdf(transcript_pdf):
    _, _, pages = transcript_pdf
    assert not re.search("[\u0300-\u036f]", " ".join(pages))


def test_transcript_paginates_with_numbered_a4_pages(transcript_pdf):
    _, pdf, pages = transcript_pdf
    assert all(size == A4_POINTS for size in page_sizes(pdf))
    assert [re.search(r"Trang (\d+)/(\d+)", page).groups() for page in pages] == [
        (str(number), str(len(pages))) for number in range(1, len(pages) + 1)
    ]
    assert sum(page.count("Ngày hoàn thành") for page in pages) == len(pages)  # heading repeated per page


def test_long_transcript_spreads_over_more_pages(make_document, settings):
    document = make_document(transcript=None, count=60)
    pages = pages_text(render_transcript_pdf(document, settings))
    assert len(pages) >= 3
    assert pages[-1].count("Trang") == 1 and f"Trang {len(pages)}/{len(pages)}" in pages[-1]
    text = " ".join(pages)
    assert all(module_title(number) in text for number in range(1, 61))


def test_incomplete_transcript_states_progress(make_document, settings):
    text = " ".join(pages_text(render_transcript_pdf(make_document(ungraded=2), settings)))
    assert "Chưa hoàn thành (đã đạt 16/18 chuyên đề)" in text
    assert "chưa đủ điểm các chuyên đề" in text


def test_certificate_text_is_intact(make_document, settings, normalise):
    document = make_document(DocumentKind.CERTIFICATE, normalise=normalise)
    pdf = render_certificate_pdf(document, settings)
    pages = pages_text(pdf)
    assert len(pages) == 1
    assert page_sizes(pdf) == [A4_POINTS[::-1]]  # A4 landscape
    text = pages[0]
    for expected in ("GIẤY CHỨNG NHẬN", HOLDER, settings.course_title, document.code, "Trang 1/1",
                     "gồm 18 chuyên đề", "Lê Thị Thu Hà", settings.institution_name):
        assert expected in text


def test_certificate_refuses_a_transcript_document(make_document, settings):
    with pytest.raises(ValueError):
        render_certificate_pdf(make_document(DocumentKind.TRANSCRIPT), settings)


def test_render_document_dispatches_on_kind(make_document, settings):
    assert "GIẤY CHỨNG NHẬN" in pages_text(render_document_pdf(make_document("certificate"), settings))[0]
    assert "BẢNG ĐIỂM" in pages_text(render_document_pdf(make_document("transcript"), settings))[0]


def test_font_is_embedded(make_document, settings):
    reader = PdfReader(io.BytesIO(render_transcript_pdf(make_document(), settings)))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    descriptors = [font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"] for font in fonts.values()]
    assert descriptors and all("/FontFile2" in descriptor for descriptor in descriptors)
    assert font_path("B").is_file() and (font_path().parent.parent / "LICENSE").is_file()


@pytest.mark.parametrize(
    ("value", "text"), [(8.5, "8,5"), (10.0, "10,0"), (0.0, "0,0"), (None, "—")]
)
def test_grades_use_a_decimal_comma(value, text):
    assert format_number(value) == text


def test_small_formats():
    assert (format_hours(8.0), format_hours(7.5)) == ("8", "7,5")
    assert place_and_date("Hà Nội", date(2026, 1, 5)) == "Hà Nội, ngày 05 tháng 01 năm 2026"
    assert place_and_date("Huế", date(2026, 11, 26)) == "Huế, ngày 26 tháng 11 năm 2026"
    assert [classification_label(c) for c in ("excellent", "good", "fair", "average", "fail", None)] == [
        "Xuất sắc", "Giỏi", "Khá", "Trung bình", "Không đạt", "—"]


def test_the_transcript_and_the_certificate_show_the_final_essay(make_document, make_transcript, settings):
    base = make_transcript()
    with_essay = build_transcript(base.holder_name, base.holder_username, base.commune, base.cohort_name,
                                  base.lines, essay=9.0, essay_weight=0.3)
    transcript_text = " ".join(pages_text(render_transcript_pdf(make_document(transcript=with_essay), settings)))
    assert "Bài thu hoạch cuối khóa: 9,0 (chiếm 30% điểm trung bình chung)" in transcript_text
    certificate = make_document(DocumentKind.CERTIFICATE, transcript=with_essay)
    assert "bài thu hoạch cuối khóa đạt 9,0 điểm" in pages_text(render_certificate_pdf(certificate, settings))[0]
