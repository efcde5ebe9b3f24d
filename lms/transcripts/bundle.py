"""A cohort's documents as one streamed ZIP: a PDF per learner and a CSV summary, in flat memory.

The ZIP is written to an unseekable buffer that is emptied after every entry, so at most one entry
(plus headers) is held at a time; an entry given as a callable is only built when its turn comes.
"""
from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime

from flask_babel import format_decimal
from flask_babel import gettext as _

from lms.domain.transcript import DocumentKind, IssuedDocument
from lms.i18n import fmt_score
from lms.spreadsheets import safe_cell
from lms.template_labels import classification_name

Entry = tuple[str, bytes | Callable[[], bytes]]
SUMMARY_NAME = "tong-hop.csv"


def summary_header() -> tuple[str, ...]:
    """The CSV summary's heading row, in the current language (the job sets the language of whoever asked)."""
    return (_("Mã văn bản"), _("Loại"), _("Họ và tên"), _("Tên đăng nhập"), _("Xã/phường"), _("Lớp"),
            _("Số chuyên đề đạt"), _("Số chuyên đề"), _("Tổng số giờ"), _("Điểm trung bình"), _("Xếp loại"),
            _("Hoàn thành"), _("Ngày cấp"), _("Đường dẫn xác thực"), _("Tệp"))
BOM = "\ufeff"


class _DrainableBuffer(io.RawIOBase):
    """A write-only, unseekable sink whose bytes are taken out with drain()."""

    def __init__(self) -> None:
        """An empty buffer."""
        super().__init__()
        self._chunks: list[bytes] = []
        self.size = 0  # bytes currently held
        self.peak = 0  # the most bytes ever held at once

    def writable(self) -> bool:
        """Only writing is supported."""
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        """Hold a copy of the data until the next drain()."""
        self._chunks.append(bytes(data))
        self.size += len(data)
        self.peak = max(self.peak, self.size)
        return len(data)

    def drain(self) -> bytes:
        """Everything written since the last drain."""
        data = b"".join(self._chunks)
        self._chunks.clear()
        self.size = 0
        return data


def stream_zip(entries: Iterable[Entry], *, modified: datetime | None = None) -> Iterator[bytes]:
    """The bytes of a deflated ZIP of the entries, one chunk per entry and one for the central directory."""
    stamp = (modified or datetime.now()).timetuple()[:6]
    buffer = _DrainableBuffer()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, content() if callable(content) else content)
            yield buffer.drain()
    yield buffer.drain()


def ascii_slug(text: str) -> str:
    """Lowercase ASCII words joined by hyphens, Vietnamese marks dropped: "Nguyễn Thị Đào" -> "nguyen-thi-dao"."""
    plain = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    plain = "".join(char for char in plain if not unicodedata.combining(char))
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")


def document_filename(document: IssuedDocument) -> str:
    """A portable, unique PDF file name: kind, holder's name and user name, and the code's start."""
    transcript = document.transcript
    prefix = "chung-nhan" if document.kind is DocumentKind.CERTIFICATE else "bang-diem"
    parts = (prefix, ascii_slug(transcript.holder_name), ascii_slug(transcript.holder_username), document.code[:8])
    return "-".join(part for part in parts if part) + ".pdf"


def summary_row(document: IssuedDocument, filename: str = "") -> tuple[str, ...]:
    """The CSV summary's row for one document, in the current language: labels in words, numbers with the
    language's decimal sign (8,8 in Vietnamese); the issue date in Viet Nam, ISO."""
    transcript = document.transcript
    kind = _("Giấy chứng nhận") if document.kind is DocumentKind.CERTIFICATE else _("Bảng điểm")
    return (
        document.code, kind, transcript.holder_name, transcript.holder_username, transcript.commune,
        transcript.cohort_name, str(transcript.passed_count), str(len(transcript.lines)),
        format_decimal(transcript.total_hours, format="0.#"),
        "" if transcript.average is None else fmt_score(transcript.average),
        classification_name(transcript.classification) if transcript.classification else "",
        _("Có") if transcript.completed else _("Không"), document.issued_on.isoformat(), document.verify_url, filename,
    )


def _csv_line(values: Iterable[str]) -> str:
    """One CSV record, NFC-normalised, formula-safe (names, communes, cohorts are typed by people), ended by CRLF."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow([safe_cell(unicodedata.normalize("NFC", v)) for v in values])
    return out.getvalue()


def csv_summary_rows(rows: Iterable[Iterable[str]], header: Iterable[str] | None = None) -> Iterator[str]:
    """CSV text line by line, the first starting with a BOM: their UTF-8 joined opens cleanly in Excel."""
    yield BOM + _csv_line(summary_header() if header is None else header)
    for row in rows:
        yield _csv_line(row)


def cohort_entries(
    documents: Iterable[IssuedDocument], render: Callable[[IssuedDocument], bytes]
) -> Iterator[Entry]:
    """ZIP entries: each document's PDF (rendered when its turn comes), then the CSV summary."""
    rows: list[tuple[str, ...]] = []  # one short row per learner: the only state that grows
    for document in documents:
        name = document_filename(document)
        rows.append(summary_row(document, name))
        yield name, (lambda document=document: render(document))
    yield SUMMARY_NAME, "".join(csv_summary_rows(rows)).encode("utf-8")


def stream_cohort_zip(
    documents: Iterable[IssuedDocument], render: Callable[[IssuedDocument], bytes], *, modified: datetime | None = None
) -> Iterator[bytes]:
    """The streamed ZIP of a cohort's PDFs and its CSV summary, ready for a streaming response."""
    return stream_zip(cohort_entries(documents, render), modified=modified)
