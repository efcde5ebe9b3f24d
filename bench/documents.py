"""Transcript PDFs and the cohort ZIP: time per PDF, and memory that stays flat as the cohort grows.

The ZIP is written to a file on disk as the job writes it (one PDF at a time). Printed per cohort size: the time to
issue the documents; the ZIP's time and time per PDF, wall and CPU (medians of three ZIPs; SQLite and the PDFs run
in this process, and CPU time is what a shared machine disturbs least); its size; the peak resident memory of the
process while it was written; and the peak of Python's heap above what was held before (tracemalloc, in a run of
its own since it slows the code down).

    python -m bench.documents [--sizes 100,579]
"""
from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

from bench.common import mib, peak_memory, peak_rss, run_for_sizes, scratch_app
from bench.gradebook import _cohort
from lms.catalog.store import import_course
from lms.catalog.urls import resolver_factory
from lms.content.loader import load_course
from lms.database import utcnow
from lms.extensions import db
from lms.models import Cohort
from lms.transcripts.batch import issue_for_cohort, zip_stream
from lms.transcripts.issuer import signer

SIZES = (100, 579)


def _write_zip(ids: list[int], path: Path) -> int:
    """Stream the cohort's ZIP into a file, as the job does; returns its size in bytes."""
    with path.open("wb") as out:
        out.writelines(zip_stream(ids, signer().settings))
    return path.stat().st_size


def run(sizes=SIZES) -> None:
    """Print issue time, ZIP time per PDF and peak memory for each cohort size, and the memory ratios."""
    app = scratch_app()
    directory = Path(tempfile.mkdtemp(prefix="lms-zip-bench-"))
    with app.app_context():
        course, _ = load_course(app.config["CONTENT_DIR"])
        import_course(course, utcnow(), resolver_factory(app))
        db.session.commit()
        rng = random.Random(7)
        warm_up = list(issue_for_cohort(db.session.get(Cohort, _cohort(3, rng)), "transcript", None, utcnow(), signer()))
        db.session.commit()  # the ZIP reads committed documents
        _write_zip(warm_up, directory / "warm-up.zip")  # what lives for the whole process is not what is measured
        print(f"{'learners':>9}{'issue s':>9}{'zip s':>8}{'ms/PDF':>8}{'CPU ms':>8}{'zip size':>11}{'peak RSS':>11}"
              f"{'heap peak':>11}")
        peaks = []
        for size in sizes:
            cohort = db.session.get(Cohort, _cohort(size, rng))
            start = time.perf_counter()
            ids = list(issue_for_cohort(cohort, "transcript", None, utcnow(), signer()))
            issue_seconds = time.perf_counter() - start
            db.session.commit()
            path = directory / f"lop-{size}.zip"
            walls, cpus = [], []
            with peak_rss() as rss:
                for _ in range(3):
                    start, cpu = time.perf_counter(), time.process_time()
                    size_bytes = _write_zip(ids, path)
                    walls.append(time.perf_counter() - start)
                    cpus.append(time.process_time() - cpu)
            with peak_memory() as heap:
                _write_zip(ids, path)
            zip_seconds, zip_cpu = sorted(walls)[1], sorted(cpus)[1]
            peaks.append((rss(), heap()))
            print(f"{size:>9}{issue_seconds:>9.2f}{zip_seconds:>8.2f}{1000 * zip_seconds / size:>8.1f}"
                  f"{1000 * zip_cpu / size:>8.1f}"
                  f"{mib(size_bytes):>11}{mib(rss()):>11}{mib(heap()):>11}")
        if len(sizes) > 1:
            (rss_small, heap_small), (rss_big, heap_big) = peaks[0], peaks[-1]
            print(f"memory ratio {sizes[-1]}/{sizes[0]} learners (x{sizes[-1] / sizes[0]:.1f} learners): "
                  f"peak RSS x{rss_big / rss_small:.2f}, heap peak x{heap_big / heap_small:.2f}")


def main() -> int:
    return run_for_sizes(run, SIZES, __doc__)


if __name__ == "__main__":
    sys.exit(main())
