"""Why a post or a moderation was refused, in the current language."""
from __future__ import annotations

from flask_babel import gettext as _


def discussion_error(error) -> str:
    """A refusal explained to the person who tried."""
    code, p = getattr(error, "code", ""), getattr(error, "params", {})
    messages = {
        "title_missing": lambda: _("Cần có tiêu đề cho chủ đề thảo luận."),
        "title_too_long": lambda: _("Tiêu đề dài %(n)s ký tự, quá giới hạn %(max)s ký tự.", n=p.get("n"), max=p.get("max")),
        "body_missing": lambda: _("Cần có nội dung."),
        "body_too_long": lambda: _("Nội dung dài %(n)s ký tự, quá giới hạn %(max)s ký tự. Bài chưa được đăng; nội "
                                   "dung vẫn còn trong ô soạn thảo.", n=p.get("n"), max=p.get("max")),
        "reason_missing": lambda: _("Vui lòng nêu lý do."),
        "reason_too_long": lambda: _("Lý do dài quá %(max)s ký tự.", max=p.get("max")),
        "closed": lambda: _("Thảo luận này đã đóng: vẫn đọc được nhưng không đăng bài được nữa."),
        "rate_limited": lambda: _("Đồng chí đăng nhiều bài quá nhanh. Vui lòng đợi khoảng %(m)s phút rồi đăng "
                                  "lại; nội dung vẫn còn trong ô soạn thảo.", m=p.get("minutes", 10)),
        "not_author": lambda: _("Chỉ người viết mới sửa được bài này."),
        "hidden": lambda: _("Bài này đã bị ẩn nên không sửa được."),
        "edit_window": lambda: _("Chỉ sửa được bài trong %(m)s phút sau khi đăng.", m=p.get("minutes", 30)),
        "own_post": lambda: _("Đồng chí không thể báo cáo bài của chính mình."),
        "not_hidden": lambda: _("Bài này không bị ẩn."),
    }
    return messages.get(code, lambda: _("Yêu cầu không hợp lệ."))()
