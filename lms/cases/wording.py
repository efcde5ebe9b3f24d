"""How the case pages put codes into words: what an answer still needs, why an action was refused, ratings."""
from __future__ import annotations

from flask_babel import gettext as _

from lms.cases.questions import ui_for
from lms.cases.questions.base import MAX_TEXT
from lms.i18n import fmt_date, fmt_number


def answer_error(code: str) -> str:
    """Explain to the learner what a question still needs."""
    messages = {
        "unanswered": lambda: _("Vui lòng trả lời câu hỏi này."),
        "rank_incomplete": lambda: _("Hãy xếp hạng đủ tất cả phương án, mỗi thứ hạng chỉ dùng một lần."),
        "missing_option": lambda: _("Hãy trả lời cho đủ tất cả phương án."),
        "duplicate_option": lambda: _("Mỗi thứ hạng chỉ dùng một lần."),
        "same_option": lambda: _("Phương án hiệu quả nhất và kém hiệu quả nhất phải khác nhau."),
        "missing_field": lambda: _("Vui lòng trả lời đầy đủ các phần của câu hỏi."),
        "empty_text": lambda: _("Vui lòng viết phần lập luận của đồng chí."),
        "too_long": lambda: _("Phần lập luận dài quá %(max)s ký tự.", max=fmt_number(MAX_TEXT)),
    }
    return messages.get(code, lambda: _("Câu trả lời chưa hợp lệ."))()


def too_long_message(length: int) -> str:
    """Why a written answer was refused: its length and the limit; nothing was cut or saved."""
    return _("Phần lập luận dài %(n)s ký tự, vượt giới hạn %(max)s ký tự, nên các câu trả lời trên trang này chưa "
             "được lưu. Hãy rút gọn rồi lưu lại; nội dung đồng chí viết vẫn còn trong ô.",
             n=fmt_number(length), max=fmt_number(MAX_TEXT))


def attempt_error(code: str) -> str:
    """Explain why an attempt action was refused."""
    messages = {
        "no_attempts_left": lambda: _("Đồng chí đã dùng hết số lần làm bài cho tình huống này."),
        "not_open": lambda: _("Bài làm này đã nộp; không thể sửa nữa."),
        "time_up": lambda: _("Đã hết thời gian làm bài. Bài đã được nộp với các câu trả lời đã lưu."),
        "module_not_open": lambda: _("Chuyên đề này chưa mở: đồng chí có thể đọc bài học, tình huống mở theo lịch của lớp."),
        "module_closed": lambda: _("Chuyên đề này đã đóng theo lịch của lớp: không thể bắt đầu bài làm mới."),
        "module_closed_submitted": lambda: _("Chuyên đề đã đóng theo lịch của lớp. Bài đã được nộp với các câu trả lời đã lưu."),
        "stale_stage": lambda: _("Trang này đã cũ: bài làm đã sang giai đoạn khác (có thể ở một thẻ khác). "
                                 "Câu trả lời đã lưu không bị thay đổi; trang đã được tải lại."),
    }
    return messages.get(code, lambda: _("Không thực hiện được thao tác."))()


def question_type_label(kind: str) -> str:
    """How to answer a question of this type, shown above it (its plugin's instruction)."""
    try:
        return ui_for(kind).instruction()
    except ValueError:
        return ""


def effectiveness_label(value: int) -> str:
    """The expert's rating in words."""
    return {4: _("Tốt nhất"), 3: _("Chấp nhận được"), 2: _("Kém hiệu quả"), 1: _("Sai, có hại")}.get(value, str(value))


PART_NAMES = {"score": lambda: _("điểm"), "path": lambda: _("con đường đã đi qua các giai đoạn"),
              "credit": lambda: _("điểm của từng câu"), "key": lambda: _("đáp án của chuyên gia"),
              "rationale": lambda: _("lý giải, căn cứ và phần tổng kết")}


def parts_text(parts) -> str:
    """The review parts in words, in their canonical order."""
    return ", ".join(PART_NAMES[p]() for p in PART_NAMES if p in parts)


def review_timing_text(review, attempts_allowed: int, key_date) -> str:
    """When the learner sees what of a submitted attempt, in one or two plain sentences."""
    now = parts_text(review.after_attempt)
    later = parts_text(review.after_last - review.after_attempt)
    sentence = _("Sau mỗi lần nộp, đồng chí xem được: %(parts)s.", parts=now) if now else ""
    if not later:
        return sentence
    if attempts_allowed and key_date:
        when = _("sau lần làm thứ %(n)s hoặc từ ngày %(d)s", n=attempts_allowed, d=fmt_date(key_date))
    elif attempts_allowed:
        when = _("sau lần làm thứ %(n)s (lần cuối)", n=attempts_allowed)
    elif key_date:
        when = _("từ ngày %(d)s", d=fmt_date(key_date))
    else:
        when = _("khi giảng viên công bố đáp án")
    return f"{sentence} " + _("Còn %(parts)s hiện %(when)s.", parts=later, when=when)
