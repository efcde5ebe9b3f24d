"""Transcript PDFs and the cohort ZIP: time per PDF, and memory that stays flat as the cohort grows."""
from __future__ import annotations

import random

from bench.common import mib, peak_rss, scratch_app, timed
from bench.gradebook import _cohort
from lms.catalog.store import import_course
from lms.catalog.urls import resolver_factory
from lms.content.loader import load_course
from lms.database import utcnow
from lms.extensions import db
from lms.models import Cohort
from lms.transcripts.batch import issue_for_cohort, zip_stream
from lms.transcripts.issuer import signer

SIZES = (25, 100, 579)


def _zip_size(ids: list[int]) -> int:
    return sum(len(chunk) for chunk in zip_stream(ids, signer().settings))


def run() -> None:
    """Print issue time, ZIP time per PDF and peak resident memory for two cohort sizes, and the memory ratio."""
    app = scratch_app()
    with app.app_context():
        course, _ = load_course(app.config["CONTENT_DIR"])
        import_course(course, utcnow(), resolver_factory(app))
        db.session.commit()
        rng = random.Random(7)
        print(f"{'learners':>9}{'issue s':>9}{'zip s':>8}{'s/PDF':>7}{'zip size':>11}{'peak RSS':>11}")
        peaks = []
        for size in SIZES:
            cohort = db.session.get(Cohort, _cohort(size, rng))
            issue_seconds, ids = timed(lambda c=cohort: issue_for_cohort(c, "transcript", None, utcnow(), signer()))
            db.session.commit()
            with peak_rss() as peak:
                zip_seconds, size_bytes = timed(lambda i=ids: _zip_size(i))
            peaks.append(peak())
            print(f"{size:>9}{issue_seconds:>9.2f}{zip_seconds:>8.2f}{zip_seconds / size:>7.2f}"
                  f"{mib(size_bytes):>11}{mib(peaks[-1]):>11}")
        print(f"memory ratio {SIZES[-1]}/{SIZES[0]} learners: x{peaks[-1] / peaks[0]:.2f} "
              f"(x{SIZES[-1] / SIZES[0]:.0f} learners)")
