"""Weight on the wire: compressed pages, fingerprinted static files cached for a year, a favicon."""
from __future__ import annotations

import gzip
import re

import brotli


def test_pages_are_compressed_for_browsers_that_ask(client):
    plain = client.get("/login")
    assert plain.headers.get("Content-Encoding") is None  # a client that did not ask gets it plain
    packed = client.get("/login", headers={"Accept-Encoding": "gzip"})
    assert packed.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed.headers["Vary"]
    assert gzip.decompress(packed.data) == plain.data and len(packed.data) < len(plain.data) / 2
    best = client.get("/login", headers={"Accept-Encoding": "br, gzip"})
    assert best.headers["Content-Encoding"] == "br" and brotli.decompress(best.data) == plain.data


def test_static_files_are_fingerprinted_and_cached_for_a_year(client):
    page = client.get("/login").get_data(as_text=True)
    css = re.search(r'href="(/static/css/app\.css\?v=([0-9a-f]{12}))"', page)
    assert css and re.search(r'src="/static/js/app\.js\?v=[0-9a-f]{12}"', page)
    assert re.search(r'rel="icon" href="/static/favicon\.svg\?v=[0-9a-f]{12}"', page)
    cached = client.get(css.group(1))
    assert cached.status_code == 200
    assert {"public", "immutable", "max-age=31536000"} <= set(cached.headers["Cache-Control"].replace(" ", "").split(","))
    cached.close()
    stale = client.get("/static/css/app.css?v=000000000000")
    assert "no-cache" in stale.headers["Cache-Control"] and "immutable" not in stale.headers["Cache-Control"]
    stale.close()
    css_packed = client.get(css.group(1), headers={"Accept-Encoding": "gzip"})
    assert css_packed.headers.get("Content-Encoding") == "gzip"
    css_packed.close()
