"""The words of each kind of notification, rendered in the reader's language from the stored parameters."""
from __future__ import annotations

from flask_babel import gettext as _

from lms.i18n import fmt_datetime, fmt_score
from lms.models import Event


def title(event: str, p: dict) -> str:
    """One line saying what happened."""
    texts = {
        Event.ANSWER_GRADED: lambda: (
            _("Bài làm tình huống «%(case)s» đã được chấm lại: %(score)s/10", case=p.get("case", ""),
              score=fmt_score(p.get("score"))) if p.get("regraded") else
            _("Bài làm tình huống «%(case)s» đã được chấm: %(score)s/10", case=p.get("case", ""),
              score=fmt_score(p.get("score")))),
        Event.GRADE_OVERRIDDEN: lambda: _("Điểm chuyên đề %(n)s được giảng viên điều chỉnh thành %(score)s/10",
                                          n=p.get("module", ""), score=fmt_score(p.get("score"))),
        Event.DOCUMENT_ISSUED: lambda: _("Đồng chí đã được cấp %(what)s", what=_document(p.get("kind"))),
        Event.DOCUMENT_REVOKED: lambda: _("%(what)s %(code)s đã bị thu hồi", what=_document(p.get("kind")).capitalize(),
                                          code=p.get("code", "")),
        Event.DEADLINE_SOON: lambda: _("Sắp đến hạn nộp %(what)s: %(at)s", what=_item(p), at=_moment(p.get("due_at"))),
        Event.ANNOUNCEMENT: lambda: _announcement(p),
        Event.DISCUSSION_REPLY: lambda: _("Có trả lời mới trong thảo luận «%(t)s»", t=p.get("title", "")),
        Event.DISCUSSION_NOTE: lambda: _("Giảng viên đã ghim ghi chú trong thảo luận tình huống «%(t)s»",
                                         t=p.get("title", "")),
        Event.POST_MODERATED: lambda: (_("Bài viết của đồng chí trong thảo luận đã bị ẩn") if p.get("action") == "hidden"
                                       else _("Bài viết của đồng chí trong thảo luận đã được hiển thị lại")),
    }
    return texts.get(event, lambda: event)()


def detail(event: str, p: dict) -> str:
    """A sentence or two more (may be empty)."""
    if event == Event.GRADE_OVERRIDDEN and p.get("reason"):
        return _("Lý do: %(r)s", r=p["reason"])
    if event == Event.DOCUMENT_REVOKED and p.get("reason"):
        return _("Lý do: %(r)s", r=p["reason"])
    if event == Event.ANSWER_GRADED and p.get("regraded"):
        said = [_("Lý do chấm lại: %(r)s", r=p.get("reason", ""))]
        return " ".join(said + ([_("Nhận xét của giảng viên: %(f)s", f=p["feedback"])] if p.get("feedback") else []))
    if event == Event.ANSWER_GRADED and p.get("feedback"):
        return _("Nhận xét của giảng viên: %(f)s", f=p["feedback"])
    if event == Event.ANNOUNCEMENT:
        return p.get("text", "")
    if event == Event.DISCUSSION_REPLY and p.get("author"):
        return _("Người trả lời: %(a)s", a=p["author"])
    if event == Event.POST_MODERATED and p.get("reason"):
        return _("Lý do: %(r)s", r=p["reason"])
    if event == Event.DEADLINE_SOON:
        return _("Bài nộp sau hạn vẫn được nhận đến khi chuyên đề đóng nhưng được ghi là nộp muộn.")
    return ""


def event_label(event: str) -> str:
    """The name of a kind of notification, for the preferences page."""
    return {
        Event.ANSWER_GRADED: _("Bài viết đã được chấm"),
        Event.GRADE_OVERRIDDEN: _("Điểm được điều chỉnh"),
        Event.DOCUMENT_ISSUED: _("Được cấp bảng điểm, giấy chứng nhận"),
        Event.DOCUMENT_REVOKED: _("Văn bản bị thu hồi"),
        Event.DEADLINE_SOON: _("Sắp đến hạn nộp (trước 48 giờ)"),
        Event.ANNOUNCEMENT: _("Thông báo của lớp"),
        Event.DISCUSSION_REPLY: _("Trả lời trong thảo luận đang theo dõi"),
        Event.DISCUSSION_NOTE: _("Ghi chú của giảng viên trong thảo luận tình huống"),
        Event.POST_MODERATED: _("Bài viết của mình bị ẩn hoặc hiển thị lại"),
    }.get(event, event)


def _announcement(p: dict) -> str:
    if p.get("withdrawn"):  # the words are gone from the row: nothing of the withdrawn text is shown
        return _("Một thông báo của lớp đã được gỡ")
    if p.get("edited"):
        return _("Thông báo của lớp (đã sửa): %(t)s", t=p.get("title", ""))
    return _("Thông báo của lớp: %(t)s", t=p.get("title", ""))


def _document(kind: str | None) -> str:
    return _("giấy chứng nhận") if kind == "certificate" else _("bảng điểm")


def _item(p: dict) -> str:
    return _("chuyên đề %(n)s", n=p["module"]) if p.get("module") else _("bài thu hoạch cuối khóa")


def _moment(iso: str | None) -> str:
    from datetime import datetime

    return fmt_datetime(datetime.fromisoformat(iso)) if iso else "—"


def digest_subject(count: int) -> str:
    """The subject of a daily digest."""
    return _("Tin tổng hợp trong ngày: %(n)s thông báo mới", n=count)
