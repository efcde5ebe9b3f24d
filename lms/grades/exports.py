"""Gradebook exports: CSV in UTF-8 with BOM (spreadsheets show Vietnamese right) and XLSX."""
from __future__ import annotations

import csv
import io

from flask_babel import gettext as _
from openpyxl import Workbook

from lms.domain.progress import ModuleStatus
from lms.grades.queries import GradebookRow
from lms.spreadsheets import safe_cell
from lms.template_labels import classification_label, item_flag_label, status_label


def _header(modules) -> list[str]:
    return [_("Họ và tên"), _("Tên đăng nhập"), _("Xã, phường")] + \
        [_("CĐ %(n)s", n=m.number) for m in modules] + [_("Trung bình"), _("Xếp loại"), _("Tiến độ (%)")]


class _Labels(dict):
    """Translated words looked up once per export, not once per cell (a cohort of 10,000 has 180,000 cells)."""

    def __init__(self) -> None:
        super().__init__({status: status_label(status) for status in ModuleStatus})
        self.classes: dict[float | None, str] = {}

    def classification(self, average: float | None) -> str:
        """The classification of an average, computed once per distinct average."""
        if average not in self.classes:
            self.classes[average] = classification_label(average)
        return self.classes[average]


def _cells(row: GradebookRow, labels: _Labels) -> list:
    grades = [m.grade if m.grade is not None else labels[m.status] for m in row.modules]
    user, average = row.enrolment.user, row.average
    return [safe_cell(user.full_name), safe_cell(user.username), safe_cell(row.enrolment.commune), *grades,
            average if average is not None else "", labels.classification(average), row.percent]


def gradebook_csv(rows: list[GradebookRow], modules) -> bytes:
    """The gradebook as CSV with a byte-order mark and a comma decimal separator for Vietnamese spreadsheets."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(_header(modules))
    labels = _Labels()
    for row in rows:
        writer.writerow([str(c).replace(".", ",") if isinstance(c, float) else c for c in _cells(row, labels)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def gradebook_xlsx(rows: list[GradebookRow], modules) -> bytes:
    """The gradebook as an Excel workbook, grades as numbers."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Bảng điểm"))
    sheet.append(_header(modules))
    labels = _Labels()
    for row in rows:
        sheet.append(_cells(row, labels))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _item_header() -> list[str]:
    return [_("Chuyên đề"), _("Tình huống"), _("Giai đoạn"), _("Câu hỏi"), _("Biến thể"), _("Loại"), _("Số bài"), _("Độ dễ"),
            _("Độ phân biệt"), _("Chỉ số nhóm trên – nhóm dưới"), _("Cảnh báo")]


def _item_cells(row) -> list:
    s = row.stats
    return [row.module_number, safe_cell(row.case_title), row.stage_number, safe_cell(row.question.prompt),
            row.question.variant, str(row.question.type), s.attempts, _round(s.facility), _round(s.discrimination), _round(s.upper_lower),
            "; ".join(item_flag_label(f) for f in s.flags)]


def _round(value: float | None):
    return "" if value is None else round(value, 2)


def items_csv(rows) -> bytes:
    """The item analysis as CSV with a byte-order mark and decimal commas."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(_item_header())
    for row in rows:
        writer.writerow([str(c).replace(".", ",") if isinstance(c, float) else c for c in _item_cells(row)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def items_xlsx(rows) -> bytes:
    """The item analysis as an Excel workbook, figures as numbers."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Phân tích câu hỏi"))
    sheet.append(_item_header())
    for row in rows:
        sheet.append(_item_cells(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
