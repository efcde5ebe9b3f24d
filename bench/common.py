"""Shared bench helpers: a scratch app on a temporary SQLite file, timing and memory."""
from __future__ import annotations

import tempfile
import time
import tracemalloc
from collections.abc import Callable
from contextlib import contextmanager

from config import TestConfig
from lms import create_app


def scratch_app():
    """An app on a fresh SQLite file with the schema built by the migrations."""
    from flask_migrate import upgrade

    directory = tempfile.mkdtemp(prefix="lms-bench-")
    app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{directory}/bench.sqlite3",
                                  "SIGNING_KEYS_DIR": f"{directory}/keys"})
    with app.app_context():
        upgrade()
    return app


def timed(fn: Callable[[], object], repeat: int = 1) -> tuple[float, object]:
    """Best wall time of `repeat` runs, in seconds, and the last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


@contextmanager
def peak_memory():
    """Peak Python heap allocated inside the block, in bytes (tracemalloc: slows the code, so never time it)."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    holder = {}
    try:
        yield lambda: holder.get("peak", tracemalloc.get_traced_memory()[1])
    finally:
        holder["peak"] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()


def _status_kib(field: str) -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        line = next(row for row in status if row.startswith(field))
    return int(line.split()[1])


@contextmanager
def peak_rss():
    """Peak resident memory of the process inside the block, in bytes (Linux: resets VmHWM first)."""
    with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
        refs.write("5")
    holder = {}
    try:
        yield lambda: holder.get("peak", _status_kib("VmHWM:") * 1024)
    finally:
        holder["peak"] = _status_kib("VmHWM:") * 1024


def mib(n: float) -> str:
    """Bytes as MiB with one decimal."""
    return f"{n / 1048576:.1f} MiB"


def run_for_sizes(run: Callable[[tuple[int, ...]], object], default: tuple[int, ...], doc: str | None) -> int:
    """The command line of a bench measured at several cohort sizes: --sizes 579,1000,10000."""
    import argparse

    parser = argparse.ArgumentParser(description=(doc or "").splitlines()[0] if doc else None)
    parser.add_argument("--sizes", default=",".join(str(size) for size in default))
    run(tuple(int(size) for size in parser.parse_args().sizes.split(",")))
    return 0
