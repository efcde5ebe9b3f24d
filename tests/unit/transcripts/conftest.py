"""Fixtures for documents: 18 Vietnamese modules, the institution's settings and issued documents."""
from __future__ import annotations

import unicodedata
from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest

from lms.domain.transcript import (
    DocumentKind,
    DocumentSettings,
    IssuedDocument,
    ModuleLine,
    Signatory,
    Transcript,
    build_transcript,
    issue_document,
)

HOLDER = "Nguyễn Thị Hồng Nhung"
HOT_SPOT_TITLE = "Kỹ năng giải quyết “điểm nóng” và xử lý tình huống khẩn cấp"
TITLES = (
    "Chủ nghĩa Mác - Lênin, tư tưởng Hồ Chí Minh và sự vận dụng ở cơ sở",
    "Xây dựng Đảng ở xã, phường, thị trấn trong tình hình mới",
    HOT_SPOT_TITLE,
    "Quản lý nhà nước về đất đai, tài nguyên và môi trường trên địa bàn cấp xã trong bối cảnh chuyển đổi số",
    "Công tác dân vận và phát huy quyền làm chủ của Nhân dân",
    "Tiếp công dân, giải quyết khiếu nại, tố cáo",
)
NOW = datetime(2026, 11, 26, 20, 30, tzinfo=UTC)  # 27/11/2026 in Viet Nam


def module_title(number: int) -> str:
    """A distinct Vietnamese title per module."""
    return f"{TITLES[(number - 1) % len(TITLES)]} (phần {number})"


def nfd(text: str) -> str:
    """The text decomposed: base letters followed by combining marks."""
    return unicodedata.normalize("NFD", text)


@pytest.fixture(scope="session")
def settings() -> DocumentSettings:
    """A Hanoi institution with two signatories."""
    return DocumentSettings(
        institution_name="Trường Đào tạo cán bộ Lê Hồng Phong thành phố Hà Nội",
        institution_url="https://lms.example.vn",
        course_title="Bồi dưỡng kiến thức, kỹ năng lãnh đạo, quản lý cho cán bộ chủ chốt cấp xã",
        place="Hà Nội",
        signatories=(Signatory("NGƯỜI LẬP BẢNG", "Trần Văn Bình"), Signatory("HIỆU TRƯỞNG", "Lê Thị Thu Hà")),
        parent_body="THÀNH ỦY HÀ NỘI",
    )


@pytest.fixture(scope="session")
def make_transcript() -> Callable[..., Transcript]:
    """Build a transcript of `count` modules; `normalise` maps every string (e.g. to NFD)."""

    def make(count: int = 18, *, ungraded: int = 0, normalise: Callable[[str], str] = str,
             holder: str = HOLDER) -> Transcript:
        lines = []
        for number in range(1, count + 1):
            graded = number <= count - ungraded
            grade = round(5 + (number * 7 % 50) / 10, 1) if graded else None
            lines.append(ModuleLine(number, normalise(module_title(number)), 7.5 if number % 3 == 0 else 8,
                                    grade, graded, date(2026, 5, number % 28 + 1) if graded else None))
        return build_transcript(normalise(holder), "nhung.nth", normalise("Phường Hoàn Kiếm"),
                                normalise("Lớp K12 – Hà Nội"), lines)

    return make


@pytest.fixture(scope="session")
def make_document(make_transcript) -> Callable[..., IssuedDocument]:
    """Issue a document of the kind for a transcript (by default the full 18 passed modules)."""

    def make(kind: DocumentKind | str = DocumentKind.TRANSCRIPT, transcript: Transcript | None = None,
             **options) -> IssuedDocument:
        return issue_document(kind, transcript or make_transcript(**options), now=NOW,
                              verify_url=lambda code: f"https://lms.example.vn/xac-thuc/{code}")

    return make
