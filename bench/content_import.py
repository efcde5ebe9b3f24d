"""Loading, validating and importing the 18 shipped modules; a second import that changes nothing."""
from __future__ import annotations

from bench.common import mib, peak_memory, scratch_app, timed
from lms.catalog.store import import_course
from lms.catalog.urls import resolver_factory
from lms.content.loader import load_course
from lms.database import utcnow
from lms.extensions import db


def run() -> None:
    """Print load/validate time, first and second import times and peak memory."""
    app = scratch_app()
    with app.app_context():
        with peak_memory() as peak:
            load_seconds, (course, problems) = timed(lambda: load_course(app.config["CONTENT_DIR"]))
        print(f"load + validate: {load_seconds:.2f} s, {len(course.modules)} modules, {len(problems)} problems, "
              f"peak {mib(peak())}")

        def do_import():
            report = import_course(course, utcnow(), resolver_factory(app))
            db.session.commit()
            return report

        first, report = timed(do_import)
        second, again = timed(do_import)
        print(f"first import: {first:.2f} s ({len(report.created)} items created, rendered once)")
        print(f"second import: {second:.2f} s ({again.unchanged} unchanged, {len(again.created)} created)")
        print(f"ratio first/second: {first / second:.1f}x")
