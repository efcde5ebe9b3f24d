"""The service worker at the site's root (its scope is the whole app) and the offline page it falls back to."""
from __future__ import annotations

import hashlib
import hmac
import json
from pathlib import Path

from flask import Blueprint, Response, current_app, render_template, url_for
from flask_login import current_user

bp = Blueprint("offline", __name__, template_folder="templates")
PAGES_CACHE = "lms-pages"  # the worker's cache of pages; the module page's download button fills the same one
WORKER = Path(__file__).resolve().parent.parent / "static" / "js" / "sw.js"
PRECACHED = ("css/app.css", "js/app.js", "js/offline.js", "favicon.svg")


def offline_user_key() -> str:
    """An opaque key of the signed-in account ('' when signed out): the worker drops its pages when it changes,
    so one account's pages are never shown to another on a shared phone."""
    if not current_user.is_authenticated:
        return ""
    secret = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(secret, f"offline:{current_user.get_id()}".encode(), hashlib.sha256).hexdigest()[:16]


@bp.app_context_processor
def _offline_globals():
    return {"offline_user_key": offline_user_key, "offline_cache": PAGES_CACHE}


@bp.get("/sw.js")
def worker():
    """The service worker, with the fingerprinted static files it keeps; revalidated on every check for updates."""
    files = [url_for("static", filename=name) for name in PRECACHED]
    settings = {"static": files, "offline": url_for("offline.page"), "pages": PAGES_CACHE,
                "version": hashlib.sha256("".join(files).encode()).hexdigest()[:12]}
    body = f"self.OFFLINE = {json.dumps(settings)};\n{WORKER.read_text(encoding='utf-8')}"
    response = Response(body, mimetype="text/javascript")
    response.headers["Service-Worker-Allowed"] = "/"
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/offline")
def page():
    """What a page not kept on this device shows without a connection: the lessons kept here are listed by the
    page's script from the worker's cache."""
    return render_template("offline/offline.html")
