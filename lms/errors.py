"""The request boundary for errors: one answer for every failure, an HTML page or an RFC 9457 problem document.

A client that prefers JSON (`Accept: application/problem+json` or `application/json`) gets
`application/problem+json` with `type`, `title`, `status`, `detail` (in the interface language) and, for a
refused rule, its machine `code`; everyone else gets the friendly page. A server error rolls back first.
"""
from __future__ import annotations

import logging

from flask import Flask, current_app, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException

from lms.domain.errors import DomainError
from lms.extensions import db

log = logging.getLogger(__name__)


def _messages() -> dict[int, tuple[str, str]]:
    return {
        400: (_("Yêu cầu không hợp lệ"), _("Dữ liệu gửi lên không hợp lệ. Vui lòng quay lại và thử lại.")),
        401: (_("Chưa xác thực"), _("Cần một mã truy cập API hợp lệ (Authorization: Bearer ...).")),
        403: (_("Không có quyền truy cập"), _("Tài khoản của đồng chí không có quyền xem trang này.")),
        404: (_("Không tìm thấy trang"), _("Trang đồng chí tìm không tồn tại hoặc đã được chuyển đi.")),
        405: (_("Thao tác không được hỗ trợ"), _("Trang này không nhận thao tác đó.")),
        409: (_("Xung đột dữ liệu"), _("Dữ liệu đã được người khác thay đổi. Vui lòng tải lại trang.")),
        413: (_("Tệp quá lớn"), _("Tệp tải lên vượt quá dung lượng cho phép (5 MB).")),
        422: (_("Dữ liệu không hợp lệ"), _("Một số trường không hợp lệ: xem danh sách lỗi.")),
        429: (_("Quá nhiều yêu cầu"), _("Đồng chí thao tác quá nhanh. Vui lòng thử lại sau ít phút.")),
        503: (_("Hệ thống tạm thời gián đoạn"), _("Máy chủ dữ liệu đang bận hoặc tạm ngừng. Những gì đồng chí đã lưu "
                                                  "trước đó vẫn còn nguyên. Vui lòng thử lại sau ít phút.")),
        500: (_("Lỗi hệ thống"), _("Đã có lỗi xảy ra. Dữ liệu đã lưu trước đó không bị ảnh hưởng. Vui lòng thử lại.")),
    }


PROBLEM_JSON = "application/problem+json"
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError, PoolTimeout)  # gone, hung past a timeout, pool exhausted
RETRY_AFTER_SECONDS = 120


API_PREFIX = "/api/"  # machine clients: every error under it is a problem document, whatever Accept says


def wants_problem_json() -> bool:
    """True when the client asked for JSON rather than a page, or called the JSON API."""
    if request.path.startswith(API_PREFIX):
        return True
    best = request.accept_mimetypes.best_match([PROBLEM_JSON, "application/json", "text/html"])
    return best in (PROBLEM_JSON, "application/json")


def render_error(code: int, detail: str | None = None, error_code: str | None = None, errors: list | None = None):
    """The answer for an HTTP error status: the error page, or a problem document for a JSON client (`errors`
    lists the fields at fault, each with its pointer, code and message)."""
    title, message = _messages().get(code, (_("Lỗi"), _("Đã có lỗi xảy ra.")))
    if wants_problem_json():
        body = {"type": "about:blank", "title": title, "status": code, "detail": detail or message}
        if error_code:
            body["code"] = error_code
        if errors is not None:
            body["errors"] = errors
        response = jsonify(body)
        response.status_code, response.mimetype = code, PROBLEM_JSON
        return response
    return render_template("errors/error.html", code=code, title=title, message=detail or message), code


def database_unavailable():
    """503 with Retry-After when the database is gone or too slow: nothing of this request was written (its
    transaction never committed), and the page needs no database (no signed-in user, no menu)."""
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001 - the connection is already gone; the pool discards it
        log.debug("rollback after a lost connection failed", exc_info=True)
    log.error("database unavailable", exc_info=True)
    if wants_problem_json():
        response = render_error(503, error_code="database_unavailable")
    else:
        title, message = _messages()[503]
        # Rendered without the context processors: they would look up the signed-in user in the database.
        page = current_app.jinja_env.get_template("errors/unavailable.html").render(title=title, message=message)
        response = current_app.make_response(page)
    response.status_code = 503
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response.headers["Cache-Control"] = "no-store"
    return response


def register(app: Flask) -> None:
    """Install the handlers."""

    @app.errorhandler(CSRFError)
    def _csrf(error):
        return render_error(400, _("Phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ. "
                                   "Vui lòng tải lại trang và gửi lại."))

    @app.errorhandler(DomainError)
    def _refused(error: DomainError):
        db.session.rollback()
        return render_error(error.status, error.params.get("public_detail"), error.code,
                            error.params.get("field_errors"))

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        if error.code is None or error.code < 400:
            return error
        if isinstance(getattr(error, "original_exception", None), DATABASE_UNAVAILABLE):
            return database_unavailable()  # raised where Flask wraps it (the commit after the view)
        response = current_app.make_response(render_error(error.code))
        if error.code in (401, 405):  # the challenge, the methods allowed
            response.headers.update({k: v for k, v in error.get_headers() if k in ("WWW-Authenticate", "Allow")})
        return response

    for kind in DATABASE_UNAVAILABLE:
        app.register_error_handler(kind, lambda _error: database_unavailable())

    @app.errorhandler(Exception)
    def _server_error(error: Exception):
        db.session.rollback()
        log.exception("unhandled error")
        return render_error(500)
