"""The streamed cohort ZIP: valid archive, lazy entries, bounded chunks; the CSV summary."""
from __future__ import annotations

import csv
import io
import os
import zipfile
from datetime import datetime

import pytest

from lms.domain.transcript import DocumentKind
from lms.transcripts.bundle import (
    SUMMARY_NAME,
    ascii_slug,
    csv_summary_rows,
    document_filename,
    stream_cohort_zip,
    stream_zip,
)

from .conftest import HOLDER

MODIFIED = datetime(2026, 11, 27, 9, 0)


def test_stream_zip_opens_with_zipfile_and_holds_every_entry():
    entries = [("a.txt", b"alpha"), ("thư mục/bảng điểm.pdf", lambda: b"%PDF-1.4 fake"), ("empty", b"")]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(stream_zip(entries, modified=MODIFIED))))
    assert archive.testzip() is None
    assert archive.namelist() == ["a.txt", "thư mục/bảng điểm.pdf", "empty"]
    assert archive.read("thư mục/bảng điểm.pdf") == b"%PDF-1.4 fake"
    assert archive.getinfo("a.txt").date_time == (2026, 11, 27, 9, 0, 0)


def test_entries_are_built_one_at_a_time():
    built: list[int] = []

    def entry(number: int):
        return f"{number}.bin", lambda: built.append(number) or os.urandom(100)

    stream = stream_zip((entry(number) for number in range(5)), modified=MODIFIED)
    next(stream)
    assert built == [0]
    next(stream)
    assert built == [0, 1]
    assert b"".join(stream)
    assert built == [0, 1, 2, 3, 4]


def test_memory_stays_flat_for_200_entries():
    largest = 20_000
    sizes = [largest if number % 50 == 0 else 5_000 + number for number in range(200)]
    entries = ((f"{n:03d}.pdf", lambda size=size: os.urandom(size)) for n, size in enumerate(sizes))
    chunks = [len(chunk) for chunk in stream_zip(entries, modified=MODIFIED)]
    assert len(chunks) == 201  # one per entry, then the central directory
    assert max(chunks[:-1]) < 2 * largest
    assert chunks[-1] < 200 * 100  # the central directory: a short record per entry
    assert sum(chunks) > sum(sizes)  # random data does not shrink: nothing was skipped


def test_a_closed_stream_stops_without_error():
    stream = stream_zip(((f"{n}", b"x" * 10) for n in range(3)), modified=MODIFIED)
    next(stream)
    stream.close()


def test_csv_summary_is_utf8_with_bom_and_quotes_commas():
    rows = [("abc", "Nguyễn Văn A, con", "8.5")]
    data = "".join(csv_summary_rows(rows, header=("Mã", "Họ và tên", "Điểm"))).encode("utf-8")
    assert data.startswith(b"\xef\xbb\xbf")
    parsed = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert parsed == [["Mã", "Họ và tên", "Điểm"], ["abc", "Nguyễn Văn A, con", "8.5"]]


@pytest.mark.parametrize(
    ("text", "slug"),
    [("Nguyễn Thị Hồng Nhung", "nguyen-thi-hong-nhung"), ("Đặng Đình Đức", "dang-dinh-duc"),
     ("  Lớp K12 – Hà Nội ", "lop-k12-ha-noi"), ("nhung.nth", "nhung-nth")],
)
def test_ascii_slug(text, slug):
    assert ascii_slug(text) == slug


def test_cohort_zip_has_a_pdf_per_document_and_a_summary(app, make_document, make_transcript):
    """The summary speaks the language of whoever asked: Vietnamese labels and decimal commas by default."""
    documents = [make_document(DocumentKind.CERTIFICATE) for _ in range(3)]
    documents.append(make_document(DocumentKind.TRANSCRIPT, transcript=make_transcript(ungraded=1)))
    rendered: list[str] = []

    def render(document):
        rendered.append(document.code)
        return b"%PDF-" + document.code.encode()

    data = b"".join(stream_cohort_zip(iter(documents), render, modified=MODIFIED))
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = archive.namelist()
    assert names[-1] == SUMMARY_NAME and len(names) == 5
    assert names[0] == document_filename(documents[0])
    assert names[0].startswith("chung-nhan-nguyen-thi-hong-nhung-nhung-nth-") and names[0].endswith(".pdf")
    assert names[3].startswith("bang-diem-")
    assert rendered == [document.code for document in documents]
    rows = list(csv.DictReader(io.StringIO(archive.read(SUMMARY_NAME).decode("utf-8-sig"))))
    assert list(rows[0])[:3] == ["Mã văn bản", "Loại", "Họ và tên"]
    assert [row["Mã văn bản"] for row in rows] == [document.code for document in documents]
    assert rows[0]["Họ và tên"] == HOLDER and rows[0]["Hoàn thành"] == "Có" and rows[0]["Tệp"] == names[0]
    assert rows[0]["Loại"] == "Giấy chứng nhận" and rows[3]["Loại"] == "Bảng điểm"
    assert rows[0]["Điểm trung bình"] == f"{documents[0].transcript.average:.1f}".replace(".", ",")
    assert rows[0]["Xếp loại"] in ("Xuất sắc", "Giỏi", "Khá", "Trung bình", "Không đạt")
    assert rows[3]["Hoàn thành"] == "Không" and rows[3]["Điểm trung bình"] == ""
    assert rows[0]["Ngày cấp"] == "2026-11-27"  # issued 20:30 UTC on the 26th
    from flask_babel import force_locale

    with force_locale("en"):
        english = zipfile.ZipFile(io.BytesIO(b"".join(stream_cohort_zip(iter(documents), render, modified=MODIFIED))))
    first = next(csv.DictReader(io.StringIO(english.read(SUMMARY_NAME).decode("utf-8-sig"))))
    assert first["Type"] == "Certificate" and first["Completed"] == "Yes"
    assert first["Average grade"] == f"{documents[0].transcript.average:.1f}"
