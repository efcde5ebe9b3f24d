"""HTTP security headers and the Content-Security-Policy (no inline scripts or styles)."""
from __future__ import annotations

from flask import Flask, Response, abort, request, session

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


def add_security_headers(response: Response) -> Response:
    """Set the headers every response carries; a static file (CSS, JavaScript, an icon) needs only nosniff, the
    others govern documents (about 360 bytes fewer on each static file)."""
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    if request.endpoint == "static":
        return response
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    return response


def private_no_store(response: Response) -> Response:
    """A page for a signed-in person is never kept by a browser cache or a proxy (a shared commune computer, the
    back button after sign-out). Read from the session cookie, so a static file costs no database look-up."""
    if request.endpoint != "static" and session.get("_user_id"):
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def _has_nul(pairs) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in pairs)


def refuse_nul_characters() -> None:
    """A NUL character has no place in a path, a parameter or a form field, and PostgreSQL cannot store one:
    the request is refused (400) before any view sees it, on every database alike."""
    if "\x00" in request.path or _has_nul(request.args.lists()) or (
            request.method == "POST" and _has_nul(request.form.lists())):
        abort(400)


def add_hsts(response: Response) -> Response:
    """Tell browsers to use HTTPS only (production)."""
    response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response


def register(app: Flask) -> None:
    """Install the header hooks."""
    app.before_request(refuse_nul_characters)
    app.after_request(add_security_headers)
    app.after_request(private_no_store)
    if app.config.get("SESSION_COOKIE_SECURE"):
        app.after_request(add_hsts)
