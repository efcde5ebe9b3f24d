"""PDFs of issued documents: the transcript (A4 portrait) and the certificate of completion (A4 landscape).

Text is drawn in Be Vietnam Pro (SIL OFL 1.1, from the `fontpkg-be-vietnam-pro` package), embedded as a
subset with a ToUnicode map so the text can be copied and searched. Every string is NFC-normalised
before it is measured or drawn. The QR code of the verify URL is drawn as vector squares.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import fontpkg_be_vietnam_pro
import segno
from fpdf import FPDF
from fpdf.enums import Align

from lms.domain.transcript import (
    DocumentKind,
    DocumentSettings,
    IssuedDocument,
    Transcript,
)
from lms.transcripts.pdf_fonts import LATIN, add_fonts
from lms.transcripts.pdf_table import TableStyle, draw_table
from lms.transcripts.pdf_text import paragraph

FONT = "BeVietnamPro"
FONT_FILES = {"": "BeVietnamPro-Regular.ttf", "B": "BeVietnamPro-Bold.ttf", "I": "BeVietnamPro-Italic.ttf"}
# Italic sets only the institution's fixed lines, the place, dates and the verify address: whatever Vietnamese
# letters it needs are the same in every document, so its shared cut needs no more than Latin besides them.
FONT_REPERTOIRES = {"I": LATIN}
NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
NATIONAL_MOTTO = "Độc lập - Tự do - Hạnh phúc"
TRANSCRIPT_TITLE = "BẢNG ĐIỂM KẾT QUẢ HỌC TẬP"
CERTIFICATE_TITLE = "GIẤY CHỨNG NHẬN"
CLASSIFICATION_LABELS = {
    "excellent": "Xuất sắc", "good": "Giỏi", "fair": "Khá", "average": "Trung bình", "fail": "Không đạt",
}
DASH = "—"
ACCENT = (150, 20, 20)
TABLE_STYLE = TableStyle(FONT, size=9.5, line_height=4.8, padding=1.2, heading_fill=235)
TABLE_COLUMNS = (("TT", 10, "CENTER"), ("Chuyên đề", 84, "LEFT"), ("Số giờ", 16, "CENTER"),
                 ("Điểm", 16, "CENTER"), ("Xếp loại", 25, "CENTER"), ("Ngày hoàn thành", 29, "CENTER"))


def font_path(style: str = "") -> Path:
    """The TTF file of the embedded font for a style: "" regular, "B" bold, "I" italic."""
    return Path(fontpkg_be_vietnam_pro.__file__).parent / "files" / FONT_FILES[style]


def nfc(text: object) -> str:
    """The text in Unicode normal form C (precomposed Vietnamese letters)."""
    return unicodedata.normalize("NFC", str(text))


def format_number(value: float | None, places: int = 1) -> str:
    """A number with a Vietnamese decimal comma ("8,5"), or a dash for None."""
    return DASH if value is None else f"{value:.{places}f}".replace(".", ",")


def format_hours(value: float) -> str:
    """Hours without a needless decimal: "8", "7,5"."""
    return str(int(value)) if float(value).is_integer() else format_number(value)


def format_date(value: date | None) -> str:
    """A date as dd/mm/yyyy, or a dash."""
    return DASH if value is None else value.strftime("%d/%m/%Y")


def place_and_date(place: str, day: date) -> str:
    """ "Hà Nội, ngày 05 tháng 3 năm 2026": a zero before days under 10 and months 1 and 2."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def classification_label(code: str | None) -> str:
    """The Vietnamese name of a classification code, or a dash."""
    return DASH if code is None else CLASSIFICATION_LABELS[code]


class DocumentPDF(FPDF):
    """An A4 page set in the embedded font, with the footer (code, generated date, page x/y) on every page."""

    def __init__(self, document: IssuedDocument, *, orientation: str = "portrait", bordered: bool = False):
        """A PDF for the document, its fonts loaded and metadata set."""
        super().__init__(orientation=orientation, unit="mm", format="A4")
        self.document = document
        self.bordered = bordered
        add_fonts(self, FONT, {style: font_path(style) for style in FONT_FILES}, FONT_REPERTOIRES)
        self.set_margins(18, 16, 18)
        self.set_auto_page_break(True, margin=22)
        self.set_creation_date(document.issued_at)
        self.set_lang("vi")
        self.set_creator("LMS")
        self.alias_nb_pages()

    def normalize_text(self, text: str) -> str:
        """NFC before fpdf2's own checks, so decomposed input prints as precomposed glyphs."""
        return super().normalize_text(nfc(text))

    def header(self) -> None:
        """The double frame of a certificate."""
        if self.bordered:
            self.set_draw_color(*ACCENT)
            self.set_line_width(1.2)
            self.rect(8, 8, self.w - 16, self.h - 16)
            self.set_line_width(0.3)
            self.rect(10.5, 10.5, self.w - 21, self.h - 21)
            self.set_draw_color(0)

    def footer(self) -> None:
        """Document code and generated date on the left, "Trang x/y" on the right."""
        self.set_y(-17)
        self.set_font(FONT, "", 8)
        self.set_text_color(80)
        generated = format_date(self.document.issued_on)
        left = f"Mã văn bản: {self.document.code}   ·   Ngày tạo: {generated}"
        self.cell(self.epw * 0.8, 5, left, align=Align.L)
        self.cell(self.epw * 0.2, 5, f"Trang {self.page_no()}/{{nb}}", align=Align.R)
        self.set_text_color(0)


def _line(pdf: FPDF, text: str, size: float, style: str = "", align: str = "C", height: float | None = None) -> None:
    """A wrapped paragraph across the full width, then the next line."""
    pdf.set_font(FONT, style, size)
    paragraph(pdf, nfc(text), 0, height or size * 0.5, align)


def _draw_header(pdf: FPDF, settings: DocumentSettings) -> None:
    """The institution on the left and the national name and motto on the right, each underlined."""
    top, left_w = pdf.get_y(), pdf.epw * 0.42
    right_x, right_w = pdf.l_margin + left_w, pdf.epw - left_w
    pdf.set_font(FONT, "", 10)
    if settings.parent_body:
        paragraph(pdf, nfc(settings.parent_body), left_w, 5)
    pdf.set_font(FONT, "B", 10)
    paragraph(pdf, nfc(settings.institution_name), left_w, 5)
    left_end = pdf.get_y()
    pdf.line(pdf.l_margin + left_w * 0.35, left_end + 1, pdf.l_margin + left_w * 0.65, left_end + 1)
    pdf.set_xy(right_x, top)
    paragraph(pdf, NATIONAL_NAME, right_w, 5, back_to_margin=False)
    pdf.set_font(FONT, "B", 11)
    paragraph(pdf, NATIONAL_MOTTO, right_w, 5.5, back_to_margin=False)
    motto_w = pdf.get_string_width(NATIONAL_MOTTO)
    pdf.line(right_x + (right_w - motto_w) / 2, pdf.get_y() + 0.5, right_x + (right_w + motto_w) / 2, pdf.get_y() + 0.5)
    pdf.set_xy(pdf.l_margin, max(left_end, pdf.get_y()) + 7)


def draw_qr(pdf: FPDF, url: str, x: float, y: float, size: float) -> None:
    """The QR code of the URL as filled squares in a size×size box, quiet zone included."""
    matrix = segno.make(nfc(url), error="m").matrix
    unit = size / (len(matrix) + 8)
    pdf.set_fill_color(0)
    for row_index, row in enumerate(matrix):
        column = 0
        while column < len(row):
            if not row[column]:
                column += 1
                continue
            start = column
            while column < len(row) and row[column]:
                column += 1
            top = y + (row_index + 4) * unit
            pdf.rect(x + (start + 4) * unit, top, (column - start) * unit, unit + 0.02, style="F")


def _draw_signatures(pdf: FPDF, document: IssuedDocument, settings: DocumentSettings, qr_size: float) -> None:
    """The QR code with its caption on the left; the place, date and each signatory on the right."""
    if pdf.get_y() + qr_size + 20 > pdf.page_break_trigger:
        pdf.add_page()
    top = pdf.get_y()
    draw_qr(pdf, document.verify_url, pdf.l_margin, top, qr_size)
    pdf.set_xy(pdf.l_margin, top + qr_size)
    pdf.set_font(FONT, "I", 7.5)
    paragraph(pdf, f"Quét mã để xác thực: {document.verify_url}", qr_size + 14, 3.5, "L")
    bottom = pdf.get_y()
    area_x = pdf.l_margin + qr_size + 18
    area_w = pdf.l_margin + pdf.epw - area_x
    signatories = settings.signatories or ()
    column_w = area_w / max(len(signatories), 1)
    last_x = area_x + column_w * (max(len(signatories), 1) - 1)
    pdf.set_xy(last_x, top)
    pdf.set_font(FONT, "I", 10.5)
    paragraph(pdf, place_and_date(nfc(settings.place), document.issued_on), column_w, 5.5, back_to_margin=False)
    titles_y = pdf.get_y() + 1
    for index, signatory in enumerate(signatories):
        pdf.set_xy(area_x + column_w * index, titles_y)
        pdf.set_font(FONT, "B", 10.5)
        paragraph(pdf, nfc(signatory.title), column_w, 5.5, back_to_margin=False)
        pdf.set_xy(area_x + column_w * index, titles_y + 30)
        paragraph(pdf, nfc(signatory.name), column_w, 5.5, back_to_margin=False)
        bottom = max(bottom, pdf.get_y())
    pdf.set_xy(pdf.l_margin, max(bottom, pdf.get_y()) + 2)


def _summary_lines(transcript: Transcript) -> list[str]:
    """Total hours, the average with its classification, and the completion status."""
    if transcript.average is None:
        average = "Điểm trung bình chung: chưa đủ điểm các chuyên đề"
    else:
        average = (f"Điểm trung bình chung: {format_number(transcript.average)}"
                   f"   —   Xếp loại: {classification_label(transcript.classification)}")
    if transcript.completed:
        status = "Tình trạng: Đã hoàn thành khoá học"
        if transcript.completed_on is not None:
            status += f" (ngày {format_date(transcript.completed_on)})"
    elif transcript.modules_completed and transcript.essay_required:
        status = "Tình trạng: Chưa hoàn thành (đã đạt đủ các chuyên đề, còn bài thu hoạch cuối khóa)"
    else:
        status = f"Tình trạng: Chưa hoàn thành (đã đạt {transcript.passed_count}/{len(transcript.lines)} chuyên đề)"
    lines = [f"Tổng số giờ học: {format_hours(transcript.total_hours)} giờ", average, status]
    if transcript.essay is not None:
        share = format_number(transcript.essay_weight * 100).removesuffix(",0")
        lines.insert(1, f"Bài thu hoạch cuối khóa: {format_number(transcript.essay)} (chiếm {share}% điểm trung bình chung)")
    return lines


def _table_rows(transcript: Transcript) -> list[Sequence[str]]:
    """The heading and one row per module."""
    rows: list[Sequence[str]] = [[heading for heading, _, _ in TABLE_COLUMNS]]
    for line in transcript.lines:
        rows.append([str(line.number), nfc(line.title), format_hours(line.hours), format_number(line.grade),
                     classification_label(line.classification), format_date(line.completed_on)])
    return rows


def _draw_holder(pdf: FPDF, transcript: Transcript) -> None:
    """Name, user name, commune and cohort in two columns."""
    half = pdf.epw / 2
    pairs = [(("Họ và tên: ", transcript.holder_name), ("Tên đăng nhập: ", transcript.holder_username)),
             (("Xã/phường: ", transcript.commune or DASH), ("Lớp: ", transcript.cohort_name or DASH))]
    for row in pairs:
        for index, (label, value) in enumerate(row):
            pdf.set_x(pdf.l_margin + half * index)
            pdf.set_font(FONT, "", 10.5)
            pdf.cell(pdf.get_string_width(label), 6.5, label)
            pdf.set_font(FONT, "B", 10.5)
            pdf.cell(half - pdf.get_string_width(label) - 2, 6.5, nfc(value))
        pdf.ln(6.5)


def render_transcript_pdf(document: IssuedDocument, settings: DocumentSettings) -> bytes:
    """The transcript PDF: A4 portrait, the module table repeating its heading on each page."""
    pdf = DocumentPDF(document)
    transcript = document.transcript
    pdf.set_title(nfc(f"{TRANSCRIPT_TITLE} - {transcript.holder_name}"))
    pdf.set_author(nfc(settings.institution_name))
    pdf.add_page()
    _draw_header(pdf, settings)
    _line(pdf, TRANSCRIPT_TITLE, 16, "B", height=8)
    _line(pdf, settings.course_title, 11, "I", height=5.5)
    pdf.ln(4)
    _draw_holder(pdf, transcript)
    pdf.ln(3)
    draw_table(pdf, _table_rows(transcript), [width for _, width, _ in TABLE_COLUMNS],
               [align for _, _, align in TABLE_COLUMNS], TABLE_STYLE)
    pdf.ln(4)
    for text in _summary_lines(transcript):
        _line(pdf, text, 10.5, "B" if text.startswith("Tình trạng") else "", align="L", height=6)
    pdf.ln(6)
    _draw_signatures(pdf, document, settings, qr_size=28)
    return bytes(pdf.output())


def render_certificate_pdf(document: IssuedDocument, settings: DocumentSettings) -> bytes:
    """The certificate of completion (Giấy chứng nhận): A4 landscape on one page, framed."""
    if document.kind is not DocumentKind.CERTIFICATE:
        raise ValueError(f"document {document.code} is a {document.kind}, not a certificate")
    transcript = document.transcript
    pdf = DocumentPDF(document, orientation="landscape", bordered=True)
    pdf.set_margins(22, 18, 22)
    pdf.set_title(nfc(f"{CERTIFICATE_TITLE} - {transcript.holder_name}"))
    pdf.set_author(nfc(settings.institution_name))
    pdf.add_page()
    _draw_header(pdf, settings)
    pdf.set_text_color(*ACCENT)
    _line(pdf, CERTIFICATE_TITLE, 30, "B", height=13)
    _line(pdf, "HOÀN THÀNH KHOÁ HỌC", 14, "B", height=8)
    pdf.set_text_color(0)
    pdf.ln(2)
    _line(pdf, f"{settings.institution_name} chứng nhận Ông/Bà:", 12, "I", height=7)
    _line(pdf, transcript.holder_name, 22, "B", height=11)
    details = [f"Tên đăng nhập: {transcript.holder_username}"]
    details += [f"{label}: {value}" for label, value in (("Xã/phường", transcript.commune),
                                                         ("Lớp", transcript.cohort_name)) if value]
    _line(pdf, "   ·   ".join(details), 11.5, height=6.5)
    _line(pdf, "Đã hoàn thành chương trình", 12, height=7)
    _line(pdf, settings.course_title, 15, "B", height=7.5)
    essay = ("" if transcript.essay is None
             else f"bài thu hoạch cuối khóa đạt {format_number(transcript.essay)} điểm; ")
    result = (f"gồm {len(transcript.lines)} chuyên đề, tổng số {format_hours(transcript.total_hours)} giờ học; "
              f"{essay}điểm trung bình chung {format_number(transcript.average)}, "
              f"xếp loại {classification_label(transcript.classification)}.")
    _line(pdf, result, 12, height=7)
    if transcript.completed_on is not None:
        _line(pdf, f"Ngày hoàn thành: {format_date(transcript.completed_on)}", 11, "I", height=6.5)
    pdf.ln(5)
    _draw_signatures(pdf, document, settings, qr_size=30)
    return bytes(pdf.output())


def render_document_pdf(document: IssuedDocument, settings: DocumentSettings) -> bytes:
    """The PDF of a document of either kind."""
    if document.kind is DocumentKind.CERTIFICATE:
        return render_certificate_pdf(document, settings)
    return render_transcript_pdf(document, settings)
