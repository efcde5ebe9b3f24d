"""A cohort's feedback report as CSV: the same aggregates as the page (never one response), in the current
language."""
from __future__ import annotations

from collections.abc import Iterator

from flask_babel import gettext as _

from lms.domain.feedback import MIN_RESPONSES_SHOWN, SCALE
from lms.feedback.queries import CohortReport
from lms.feedback.wording import subject_label
from lms.i18n import fmt_score
from lms.spreadsheets import csv_text


def _rows(report: CohortReport) -> Iterator[list]:
    for subject in report.subjects:
        start = [subject_label(subject.module), subject.responses, report.learners]
        if not subject.summary.shown:
            withheld = _("Chưa đủ %(n)s phiếu để hiển thị, nhằm giữ ẩn danh.", n=MIN_RESPONSES_SHOWN)
            yield [*start, withheld, "", "", *([""] * len(SCALE))]
            continue
        for item in subject.summary.items:
            yield [*start, _(item.text), item.answered, fmt_score(item.mean) if item.mean is not None else "",
                   *item.counts]


def report_csv(report: CohortReport) -> str:
    """One row per chuyên đề (and the course) and item: responses, learners, the item, how many answered it, the
    mean to one decimal and the count of each score 1-5; a subject below the threshold has one row, counts only."""
    header = [_("Chuyên đề"), _("Số phiếu"), _("Số học viên của lớp"), _("Câu hỏi"), _("Số người trả lời câu này"),
              _("Điểm trung bình (1–5)"), *(_("Số người chọn %(n)s", n=score) for score in SCALE)]
    return csv_text(header, _rows(report))
