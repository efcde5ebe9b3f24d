"""The request boundary for errors: one answer for every failure, an HTML page or an RFC 9457 problem document.

A client that prefers JSON (`Accept: application/problem+json` or `application/json`) gets
`application/problem+json` with `type`, `title`, `status`, `detail` (in the interface language) and, for a
refused rule, its machine `code`; everyone else gets the friendly page. A server error rolls back first.
"""
from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from lms.domain.errors import DomainError
from lms.extensions import db

log = logging.getLogger(__name__)


def _messages() -> dict[int, tuple[str, str]]:
    return {
        400: (_("Yêu cầu không hợp lệ"), _("Dữ liệu gửi lên không hợp lệ. Vui lòng quay lại và thử lại.")),
        403: (_("Không có quyền truy cập"), _("Tài khoản của đồng chí không có quyền xem trang này.")),
        404: (_("Không tìm thấy trang"), _("Trang đồng chí tìm không tồn tại hoặc đã được chuyển đi.")),
        405: (_("Thao tác không được hỗ trợ"), _("Trang này không nhận thao tác đó.")),
        409: (_("Xung đột dữ liệu"), _("Dữ liệu đã được người khác thay đổi. Vui lòng tải lại trang.")),
        413: (_("Tệp quá lớn"), _("Tệp tải lên vượt quá dung lượng cho phép (5 MB).")),
        429: (_("Quá nhiều yêu cầu"), _("Đồng chí thao tác quá nhanh. Vui lòng thử lại sau ít phút.")),
        500: (_("Lỗi hệ thống"), _("Đã có lỗi xảy ra. Dữ liệu đã lưu trước đó không bị ảnh hưởng. Vui lòng thử lại.")),
    }


PROBLEM_JSON = "application/problem+json"


def wants_problem_json() -> bool:
    """True when the client asked for JSON rather than a page."""
    best = request.accept_mimetypes.best_match([PROBLEM_JSON, "application/json", "text/html"])
    return best in (PROBLEM_JSON, "application/json")


def render_error(code: int, detail: str | None = None, error_code: str | None = None):
    """The answer for an HTTP error status: the error page, or a problem document for a JSON client."""
    title, message = _messages().get(code, (_("Lỗi"), _("Đã có lỗi xảy ra.")))
    if wants_problem_json():
        body = {"type": "about:blank", "title": title, "status": code, "detail": detail or message}
        if error_code:
            body["code"] = error_code
        response = jsonify(body)
        response.status_code, response.mimetype = code, PROBLEM_JSON
        return response
    return render_template("errors/error.html", code=code, title=title, message=detail or message), code


def register(app: Flask) -> None:
    """Install the handlers."""

    @app.errorhandler(CSRFError)
    def _csrf(error):
        return render_error(400, _("Phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ. "
                                   "Vui lòng tải lại trang và gửi lại."))

    @app.errorhandler(DomainError)
    def _refused(error: DomainError):
        db.session.rollback()
        return render_error(error.status, error_code=error.code)

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        if error.code is None or error.code < 400:
            return error
        return render_error(error.code)

    @app.errorhandler(Exception)
    def _server_error(error: Exception):
        db.session.rollback()
        log.exception("unhandled error")
        return render_error(500)
