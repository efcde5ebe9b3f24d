"""What every API call goes through: the bearer token, its scope, the per-token rate limit (counted in the
database, shared by every worker), the audit log line, and the ETag of a read."""
from __future__ import annotations

from datetime import timedelta

from flask import Response, current_app, g, request

from lms.api import tokens
from lms.auth.policy import api_token_may, api_token_refusal
from lms.database import utcnow
from lms.errors import render_error
from lms.rate_limits import hit_rate_limit

WINDOW = timedelta(minutes=1)


def _bearer() -> str:
    kind, _space, value = request.headers.get("Authorization", "").partition(" ")
    return value.strip() if kind.lower() == "bearer" else ""


def authenticate() -> Response | None:
    """Before a protected view: 401 without a usable token, 429 past the token's limit, 403 outside its scope.
    A browser's session cookie counts for nothing here (so there is no CSRF surface)."""
    scope = getattr(current_app.view_functions.get(request.endpoint), "api_scope", None)
    if scope is None:
        return None
    now = utcnow()
    token = g.api_token = tokens.find_token(_bearer())
    refusal = api_token_refusal(token, now)
    if refusal is not None:
        response = render_error(401, error_code=refusal)
        response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
        return response
    if hit_rate_limit("api", f"token:{token.id}", current_app.config["API_RATE_LIMIT"], WINDOW, now):
        response = render_error(429)
        response.headers["Retry-After"] = str(int(WINDOW.total_seconds()))
        return response
    if not api_token_may(token, scope):
        return render_error(403)
    return None


def _as_sent_back(environ: dict) -> dict:
    """The request with the ETags it names as this view makes them: Flask-Compress sends a compressed body's ETag
    with the encoding after a colon ("abc:br"), and a client sends that back. Compared here without it, an
    unchanged read is answered 304 by this view, so the audit log records the 304 the client gets."""
    sent = environ.get("HTTP_IF_NONE_MATCH")
    if not sent or ":" not in sent:
        return environ
    tags = [tag.strip() for tag in sent.split(",")]
    return {**environ, "HTTP_IF_NONE_MATCH": ", ".join(
        tag.rsplit(":", 1)[0] + '"' if tag.endswith('"') and ":" in tag else tag for tag in tags)}


def finish(response: Response) -> Response:
    """After every API view: an ETag on a read (If-None-Match answers 304), then the call in the audit log."""
    if g.get("api_link_header"):
        response.headers["Link"] = g.api_link_header
    if request.method == "GET" and response.status_code == 200 and response.mimetype == "application/json":
        response.add_etag()
        response.headers["Cache-Control"] = "private, no-cache"
        response.make_conditional(_as_sent_back(request.environ))
    elif request.method != "GET":
        response.headers["Cache-Control"] = "no-store"  # an enrolment's answer carries temporary passwords
    token = g.get("api_token")
    if token is not None:
        tokens.record_call(token, request.url_rule.rule if request.url_rule else request.path, request.method,
                           response.status_code, utcnow())
    return response
