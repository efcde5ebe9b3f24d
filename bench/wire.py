"""Bytes on the wire for a signed-in learner's lesson page and everything it loads, as a phone's browser asks for them
(Accept-Encoding: br, gzip): the first visit, and a repeat visit when the fingerprinted static files are in the
browser's cache (only the HTML travels again). The service worker and what it keeps are fetched after the page
has loaded, in the background, and are shown apart. Headers are counted as the app writes them.

    python -m bench.wire

Issue #20's targets: under 15 KB on a first visit and under 6 KB on a repeat visit.
"""
from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

from bench.pages import PAGES, seed

ASSET_RE = re.compile(r'<(?:link|script)[^>]+(?:href|src)="(/static/[^"]+)"')
ENCODINGS = "br, gzip"


def _size(response) -> int:
    head = sum(len(f"{name}: {value}\r\n") for name, value in response.headers.items())
    return len(f"HTTP/1.1 {response.status}\r\n") + head + 2 + len(response.get_data())


def measure() -> dict:
    """Seed a database, sign the demo learner in, and weigh the lesson page and what it loads."""
    import os

    directory = Path(tempfile.mkdtemp(prefix="lms-wire-"))
    url = f"sqlite:///{directory / 'wire.sqlite3'}"
    os.environ.update(LMS_CONFIG="development", DATABASE_URL=url, LMS_INSTANCE_DIR=str(directory),
                      JOBS_URL="immediate")
    seed(url)
    from config import config_from_env
    from lms import create_app

    app = create_app(config_from_env())
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    assert client.post("/login", data={"identifier": "hocvien", "password": "demo1234",
                                       "csrf_token": token}).status_code == 302
    headers = {"Accept-Encoding": ENCODINGS}
    plain = client.get(PAGES["lesson"])
    html = client.get(PAGES["lesson"], headers=headers)
    text = plain.get_data(as_text=True)
    assets = sorted(set(ASSET_RE.findall(text)))
    loaded = {path: client.get(path, headers=headers) for path in assets}
    worker = client.get("/sw.js", headers=headers)
    offline = client.get("/offline", headers=headers)
    return {"html": _size(html), "html_plain": len(plain.get_data()), "encoding": html.headers.get("Content-Encoding"),
            "assets": {path.split("?")[0]: (_size(r), r.headers.get("Content-Encoding"), r.headers.get("Cache-Control"))
                       for path, r in loaded.items()},
            "background": _size(worker) + _size(offline)}


def run() -> None:
    """The figures `make bench` prints."""
    result = measure()
    first = result["html"] + sum(size for size, _e, _c in result["assets"].values())
    print("\n-- a lesson page for a signed-in learner (Accept-Encoding: br, gzip; headers included) --")
    print(f"HTML {result['html']:7,} B ({result['encoding']}; {result['html_plain']:,} B uncompressed)")
    for path, (size, encoding, cache) in result["assets"].items():
        print(f"  {path:28} {size:7,} B ({encoding or 'identity'}; {cache})")
    print(f"first visit {first:,} B   repeat visit {result['html']:,} B (the static files come from the cache)")
    print(f"afterwards, in the background: the service worker and the offline page, {result['background']:,} B")


def main() -> int:
    run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
