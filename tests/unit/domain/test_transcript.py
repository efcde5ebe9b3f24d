"""The transcript: ordering, the plain mean of module grades, classification, completion; document codes."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from lms.domain.transcript import (
    DocumentKind,
    DocumentSettings,
    IssuedDocument,
    ModuleLine,
    NotEligible,
    Signatory,
    build_transcript,
    can_receive_certificate,
    is_document_code,
    issue_document,
    mean_grade,
    new_document_code,
)


def line(number: int, grade: float | None = 8.0, *, passed: bool | None = None, hours: float = 8) -> ModuleLine:
    """A module line; passed defaults to grade >= 5."""
    passed = grade is not None and grade >= 5 if passed is None else passed
    return ModuleLine(number, f"Mô-đun {number}", hours, grade, passed, date(2026, 5, number) if passed else None)


def transcript(*lines: ModuleLine):
    """A transcript of the given lines for a fixed learner."""
    return build_transcript("Nguyễn Thị Hồng Nhung", "nhung", "Phường Hoàn Kiếm", "K12", lines)


@pytest.mark.parametrize(
    ("grades", "average"),
    [
        ((8.0, 9.0), 8.5),
        ((7.0, 8.0, 8.0), 7.7),  # 7.666... rounds to 7.7
        ((8.1, 8.2), 8.2),  # 8.15 exactly, half-up
        ((6.5, 6.6, 6.6, 6.6), 6.6),  # 6.575 -> 6.6
        ((10.0,) * 18, 10.0),
        ((0.0, 0.1), 0.1),  # 0.05 -> 0.1
    ],
)
def test_average_is_the_plain_mean_rounded_half_up(grades, average):
    assert mean_grade(grades) == average
    assert transcript(*(line(i, g) for i, g in enumerate(grades, 1))).average == average


def test_average_ignores_hours():
    result = transcript(line(1, 10.0, hours=100), line(2, 6.0, hours=1))
    assert result.average == 8.0
    assert result.total_hours == 101


def test_no_average_until_every_module_has_a_grade():
    result = transcript(line(1, 9.0), line(2, None))
    assert result.average is None
    assert result.classification is None
    assert not result.completed


def test_empty_transcript_has_no_average_and_is_not_completed():
    result = transcript()
    assert (result.average, result.classification, result.completed, result.total_hours) == (None, None, False, 0)


@pytest.mark.parametrize(
    ("grades", "classification"),
    [((9.0, 9.0), "excellent"), ((8.5, 8.0), "good"), ((7.0, 7.0), "fair"), ((5.0, 6.0), "average"),
     ((4.0, 4.9), "fail")],
)
def test_classification_of_the_average(grades, classification):
    assert transcript(*(line(i, g) for i, g in enumerate(grades, 1))).classification == classification


def test_line_classification():
    assert line(1, 9.5).classification == "excellent"
    assert line(1, None).classification is None


def test_completed_only_when_every_module_is_passed():
    assert transcript(line(1, 8.0), line(2, 5.0)).completed
    assert not transcript(line(1, 8.0), line(2, 4.0)).completed
    assert not transcript(line(1, 8.0), line(2, 8.0, passed=False)).completed  # the caller decides passing


def test_lines_are_ordered_and_counted():
    result = transcript(line(3), line(1), line(2, 3.0))
    assert [item.number for item in result.lines] == [1, 2, 3]
    assert result.passed_count == 2
    assert result.completed_on is None


def test_completed_on_is_the_last_module_date_once_completed():
    assert transcript(line(2), line(7), line(4)).completed_on == date(2026, 5, 7)


@pytest.mark.parametrize(
    "lines",
    [(line(1), line(1)), (line(1, hours=-1),), (line(1, 10.5),), (line(1, -0.1),)],
    ids=["repeated number", "negative hours", "grade above 10", "grade below 0"],
)
def test_invalid_lines_are_refused(lines):
    with pytest.raises(ValueError):
        transcript(*lines)


def test_document_codes_are_random_url_safe_and_128_bits():
    codes = {new_document_code() for _ in range(500)}
    assert len(codes) == 500
    for code in codes:
        assert len(code) == 26 and is_document_code(code)  # 26 base32 characters carry 130 bits >= 128
    assert not is_document_code("ABC")
    assert not is_document_code(new_document_code().upper())


def test_issue_document_truncates_to_utc_seconds_and_builds_the_url():
    hanoi = timezone(timedelta(hours=7))
    now = datetime(2026, 11, 27, 3, 0, 0, 123456, tzinfo=hanoi)
    document = issue_document("transcript", transcript(line(1)), now=now, verify_url=lambda c: f"https://x/v/{c}")
    assert document.issued_at == datetime(2026, 11, 26, 20, 0, tzinfo=UTC)
    assert document.issued_at.tzinfo == UTC
    assert document.verify_url == f"https://x/v/{document.code}"
    assert document.kind is DocumentKind.TRANSCRIPT
    assert document.issued_on == date(2026, 11, 27)  # the date in Viet Nam


def test_certificates_only_for_completed_transcripts():
    now = datetime(2026, 11, 26, tzinfo=UTC)
    unfinished = transcript(line(1), line(2, None))
    assert not can_receive_certificate(unfinished)
    with pytest.raises(NotEligible):
        issue_document("certificate", unfinished, now=now, verify_url=str)
    assert issue_document("certificate", transcript(line(1)), now=now, verify_url=str).kind == "certificate"


def test_naive_times_are_refused():
    with pytest.raises(ValueError):
        issue_document("transcript", transcript(line(1)), now=datetime(2026, 11, 26), verify_url=str)
    with pytest.raises(ValueError):
        IssuedDocument("c", DocumentKind.TRANSCRIPT, "u", datetime(2026, 11, 26), transcript(line(1)))


def test_settings_from_a_config_mapping():
    settings = DocumentSettings.from_mapping({
        "institution_name": "Trường", "institution_url": "https://t.example", "course_title": "Khoá",
        "place": "Hà Nội", "signatories": [("GIÁM ĐỐC", "Lê Văn A"), {"title": "NGƯỜI LẬP", "name": "B"}],
    })
    assert settings.signatories == (Signatory("GIÁM ĐỐC", "Lê Văn A"), Signatory("NGƯỜI LẬP", "B"))


def test_bands_are_passed_in_and_do_not_change_a_transcripts_fingerprint():
    """The classification follows the bands given; the results' repr (the document fingerprint) does not."""
    from lms.domain.scoring import make_bands

    strict = make_bands({"excellent": 9.5, "good": 8.5})
    lines = [ModuleLine(1, "Một", 4.0, 9.2, True, None), ModuleLine(2, "Hai", 4.0, 9.2, True, None)]
    default = build_transcript("A", "a", "Xã X", "Lớp 1", lines)
    configured = build_transcript("A", "a", "Xã X", "Lớp 1",
                                  [ModuleLine(*astuple_of(line), bands=strict) for line in lines], strict)
    assert (default.classification, configured.classification) == ("excellent", "good")
    assert [line.classification for line in configured.lines] == ["good", "good"]
    assert repr(default.lines) == repr(configured.lines) and default.lines == configured.lines


def astuple_of(line: ModuleLine) -> tuple:
    """The results of a line, without its bands."""
    return (line.number, line.title, line.hours, line.grade, line.passed, line.completed_on)


def test_a_graded_essay_counts_for_its_weight_and_a_transcript_without_one_keeps_its_fingerprint():
    lines = [ModuleLine(1, "Một", 4.0, 8.0, True, None), ModuleLine(2, "Hai", 4.0, 6.0, True, None)]
    without = build_transcript("A", "a", "Xã X", "Lớp 1", lines)
    with_essay = build_transcript("A", "a", "Xã X", "Lớp 1", lines, essay=9.0, essay_weight=0.3)
    assert (without.average, with_essay.average) == (7.0, 7.6)  # 0.7 * 7.0 + 0.3 * 9.0
    assert (with_essay.essay, with_essay.essay_weight) == (9.0, 0.3)
    assert "essay" not in repr(without)  # fingerprints of transcripts without an essay are unchanged


@pytest.mark.parametrize(("essay", "completed"), [(None, False), (4.9, False), (5.0, True), (9.0, True)])
def test_a_required_essay_must_reach_the_pass_mark_to_complete_the_course(essay, completed):
    lines = [ModuleLine(1, "Một", 4.0, 8.0, True, date(2026, 10, 1)), ModuleLine(2, "Hai", 4.0, 6.0, True, None)]
    transcript = build_transcript("A", "a", "Xã X", "Lớp 1", lines, essay=essay, essay_weight=0.3,
                                  essay_required=True, essay_pass_mark=5.0, essay_on=date(2026, 11, 20))
    assert transcript.modules_completed and transcript.completed is completed
    assert transcript.essay_passed is completed
    assert transcript.completed_on == (date(2026, 11, 20) if completed else None)  # the essay came last
    optional = build_transcript("A", "a", "Xã X", "Lớp 1", lines, essay=essay, essay_weight=0.3)
    assert optional.completed  # without the rule, passing every module is enough


def test_a_required_essay_does_not_complete_a_course_with_a_module_not_passed():
    lines = [ModuleLine(1, "Một", 4.0, 8.0, True, None), ModuleLine(2, "Hai", 4.0, 4.0, False, None)]
    transcript = build_transcript("A", "a", "Xã X", "Lớp 1", lines, essay=9.0, essay_weight=0.3, essay_required=True)
    assert not transcript.completed and not transcript.modules_completed and transcript.essay_passed
