"""Search over the 18 shipped modules: one page of results (ranked ids, then hits with snippets) per query."""
from __future__ import annotations

from bench.common import scratch_app, timed
from lms.catalog.search import search
from lms.catalog.store import import_course
from lms.catalog.urls import resolver_factory
from lms.content.loader import load_course
from lms.database import utcnow
from lms.extensions import db

QUERIES = ("đất đai", "xu ly tinh huong", "tin giả", "bão lũ", "Yagi", '"NEAR(đất*' + " -" * 100)


def run() -> None:
    """Print, for each query, the hits found and the best time of a first page of 25 (SQLite)."""
    app = scratch_app()
    with app.app_context():
        course, _problems = load_course(app.config["CONTENT_DIR"])
        import_course(course, utcnow(), resolver_factory(app))
        db.session.commit()
        for query in QUERIES:
            seconds, page = timed(lambda q=query: search(q, 1), repeat=10)
            first = "".join(text for text, _ in page.items[0].title)[:50] if page and page.items else "-"
            print(f"{query[:24]!r:28} {page.total if page else 0:4d} hits  {seconds * 1000:6.1f} ms  first: {first}")
