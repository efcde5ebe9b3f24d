"""Static files on a weak connection: every link to one carries a fingerprint of its content (`?v=`), and a
fingerprinted file is cached for a year as immutable; a new version is a new address. HTML, CSS and JavaScript
are compressed (Flask-Compress: zstd, Brotli or gzip, whichever the browser takes), in `make run` as behind
a production proxy.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import rcssmin
import rjsmin
from flask import Flask, Response, request
from flask_compress import Compress

YEAR = 365 * 24 * 3600
COMPRESSED = ["text/html", "text/css", "text/javascript", "application/javascript", "application/json",
              "image/svg+xml", "text/calendar", "application/problem+json"]
compress = Compress()
# About 160 bytes a file that a browser never uses for a file it keeps a year unchanged (a phone's first visit).
UNNEEDED_WHEN_IMMUTABLE = ("ETag", "Last-Modified", "Accept-Ranges", "Content-Disposition")


def fingerprint(app: Flask, filename: str) -> str | None:
    """The first 12 hex digits of the file's SHA-256, read once per process (None if there is no such file)."""
    cache: dict[str, str | None] = app.extensions.setdefault("asset_fingerprints", {})
    if filename not in cache:
        path = Path(app.static_folder or "") / filename
        cache[filename] = hashlib.sha256(path.read_bytes()).hexdigest()[:12] if path.is_file() else None
    return cache[filename]


MINIFIERS = {".css": rcssmin.cssmin, ".js": rjsmin.jsmin}


def minified(app: Flask, filename: str, data: bytes) -> bytes:
    """A stylesheet or script without comments and spare white space (about a sixth less once compressed), made
    once per file and version; other files, and every file when ASSETS_MINIFY is off, as they are."""
    minify = MINIFIERS.get(Path(filename).suffix) if app.config.get("ASSETS_MINIFY", True) else None
    if minify is None:
        return data
    cache: dict[tuple[str, str | None], bytes] = app.extensions.setdefault("minified_assets", {})
    key = (filename, fingerprint(app, filename))
    if key not in cache:
        cache[key] = minify(data.decode("utf-8")).encode("utf-8")
    return cache[key]


def register(app: Flask) -> None:
    """Fingerprinted static URLs, a year of immutable caching for them, and compression."""
    app.config.setdefault("COMPRESS_MIMETYPES", COMPRESSED)
    app.config.setdefault("COMPRESS_MIN_SIZE", 500)
    compress.init_app(app)

    @app.url_defaults
    def _versioned(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "filename" in values and "v" not in values:
            version = fingerprint(app, values["filename"])
            if version:
                values["v"] = version

    @app.after_request
    def _cache_static(response: Response) -> Response:
        if request.endpoint == "static" and response.status_code == 200:
            response.direct_passthrough = False  # read the (small) file in, so the compressor that runs after this
            filename = request.view_args.get("filename", "")  # packs it with any algorithm, gzip included
            response.set_data(minified(app, filename, response.get_data()))
            version = request.args.get("v")
            if version and version == fingerprint(app, request.view_args.get("filename", "")):
                response.cache_control.public, response.cache_control.max_age = True, YEAR
                response.cache_control.immutable = True
                response.cache_control.no_cache = None
                for name in UNNEEDED_WHEN_IMMUTABLE:  # never revalidated, never fetched in ranges, shown inline
                    response.headers.pop(name, None)
            else:  # an address without the current fingerprint: revalidate every time
                response.cache_control.no_cache = True
        return response
