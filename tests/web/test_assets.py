"""Weight on the wire: compressed pages, fingerprinted static files cached for a year, a favicon."""
from __future__ import annotations

import gzip
import re
from pathlib import Path

import brotli

from lms.models import Role


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
    assert not {"ETag", "Last-Modified", "Accept-Ranges", "Content-Disposition"} & set(cached.headers.keys())
    cached.close()
    stale = client.get("/static/css/app.css?v=000000000000")
    assert "no-cache" in stale.headers["Cache-Control"] and "immutable" not in stale.headers["Cache-Control"]
    assert "ETag" in stale.headers  # revalidated every time, so it keeps its validator
    stale.close()
    css_packed = client.get(css.group(1), headers={"Accept-Encoding": "gzip"})
    assert css_packed.headers.get("Content-Encoding") == "gzip"
    css_packed.close()


def test_stylesheets_and_scripts_are_served_minified_and_still_whole(client, app):
    page = client.get("/login").get_data(as_text=True)
    for path, source in ((re.search(r'href="(/static/css/app\.css\?v=\w+)"', page).group(1), "css/app.css"),
                         (re.search(r'src="(/static/js/app\.js\?v=\w+)"', page).group(1), "js/app.js")):
        original = (Path(app.static_folder) / source).read_text(encoding="utf-8")
        with client.get(path) as response:
            served = response.get_data(as_text=True)
        assert len(served) < 0.9 * len(original) and "/*" not in served
        # every selector or function name of the file survives (only comments and spaces go)
        names = set(re.findall(r"(?:function\s+|\.)([A-Za-z][\w-]{3,})", original))
        assert names and all(name in served for name in names)


def test_static_files_carry_no_document_headers_and_no_cookie(client, login_as, make_user):
    signed_in = login_as(make_user(Role.LEARNER))
    page = signed_in.get("/modules")
    assert "Content-Security-Policy" in page.headers and page.headers["X-Content-Type-Options"] == "nosniff"
    css = re.search(r'href="(/static/css/app\.css\?v=\w+)"', page.get_data(as_text=True)).group(1)
    with signed_in.get(css) as static:
        assert static.headers["X-Content-Type-Options"] == "nosniff"
        assert "Content-Security-Policy" not in static.headers and "Set-Cookie" not in static.headers


def test_the_session_cookie_is_written_again_only_after_an_hour_of_use(login_as, make_user):
    client = login_as(make_user(Role.LEARNER))
    client.get("/modules")
    assert "Set-Cookie" not in client.get("/modules").headers  # a page within the hour: no cookie
    with client.session_transaction() as session:
        session["_slid"] -= 3601
    renewed = client.get("/modules")
    assert "session=" in renewed.headers["Set-Cookie"] and "Expires=" in renewed.headers["Set-Cookie"]
    assert "Set-Cookie" not in client.get("/progress").headers
