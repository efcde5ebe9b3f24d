"""The questionnaire and what can go wrong with it, in the current language."""
from __future__ import annotations

from flask_babel import gettext as _

from lms.domain.feedback import ITEMS, SCALE_LABELS, SUGGESTION_MAX_CHARS, Problem


def item_text(key: str) -> str:
    """An item's statement, translated."""
    return next((_(item.text) for item in ITEMS if item.key == key), key)


def scale() -> list[tuple[int, str]]:
    """The 1-5 scale with its words, translated."""
    return [(score, _(label)) for score, label in SCALE_LABELS.items()]


def subject_label(module) -> str:
    """"Chuyên đề 3. Title", or the course as a whole when module is None."""
    if module is None:
        return _("Toàn khóa học")
    return _("Chuyên đề %(n)s", n=module.number) + ". " + module.title


def problem_text(code: Problem, params: dict) -> str:
    """A problem with the filled-in form, explained."""
    if code == Problem.SUGGESTION_TOO_LONG:
        return _("Phần đề xuất dài %(n)s ký tự, vượt giới hạn %(limit)s ký tự. Phiếu chưa được gửi; hãy rút gọn "
                 "(nội dung vẫn còn trong ô).", n=params.get("length", 0),
                 limit=params.get("limit", SUGGESTION_MAX_CHARS))
    if code == Problem.NOT_ON_SCALE:
        return _("Câu «%(q)s»: hãy chọn một mức từ 1 đến 5, hoặc để trống.", q=item_text(params.get("item", "")))
    return _("Phiếu còn trống: hãy trả lời ít nhất một câu (các câu khác có thể để trống).")


def refusal_text(error) -> str:
    """Why the feedback was not kept."""
    if getattr(error, "code", "") == "already_sent":
        return _("Đồng chí đã gửi phiếu này rồi; mỗi học viên gửi một lần và không sửa được.")
    return _("Đồng chí chưa gửi được phiếu này: phiếu mở khi đồng chí đã đạt chuyên đề (phiếu về toàn khóa học: "
             "khi đã đạt mọi chuyên đề, hoặc khi lớp đã kết thúc).")
