"""The activity log (/admin/audit-log) at 10,000, 100,000 and 500,000 recorded events, 49 in 50 of them API calls as
an integration polling the API would leave: the first page (people's actions: API calls are shown only when asked
for), the first page with them and one deep in the log, a person's events, one kind of action, and the CSV
exports, each with its time and SQL statements, and the ratio of the largest log to the smallest.

    python -m bench.audit_log [--sizes 10000,100000,500000]
"""
from __future__ import annotations

import re
import sys
import time
from datetime import timedelta

from sqlalchemy import func, insert, select

from bench.common import run_for_sizes, scratch_app
from bench.gradebook import _get, _measure, _signed_in
from lms.admin import audit_export
from lms.auth.accounts import create_user
from lms.auth.passwords import hash_password
from lms.database import utcnow
from lms.extensions import db
from lms.models import AuditEvent, Role, User

SIZES = (10_000, 100_000, 500_000)
STAFF = 40  # accounts that act: every 50th event is a person's, the rest API calls
BATCH = 20_000


def _grow(total: int) -> None:
    """Add events until the log holds `total`: the newest last, a second apart."""
    have = db.session.scalar(select(func.count()).select_from(AuditEvent))
    staff = db.session.scalars(select(User.id).where(User.username.like("nv-%")).order_by(User.id)).all()
    now = utcnow()
    rows = []
    for n in range(have, total):
        person = n % 50 == 0
        rows.append({"actor_id": staff[n % len(staff)] if person else staff[0],
                     "action": "user.created" if person else "api.call",
                     "target_type": "user" if person else "api_token", "target_id": str(n % 500),
                     "details": {"username": f"hv-{n}"} if person else {"route": "/api/v1/cohorts", "status": 200},
                     "created_at": now - timedelta(seconds=total - n)})
        if len(rows) == BATCH:
            db.session.execute(insert(AuditEvent), rows)
            rows = []
    if rows:
        db.session.execute(insert(AuditEvent), rows)
    db.session.commit()


def _export_all(client, size: int):
    """The whole log as CSV: the streamed download while it is short enough, else the job (the bench's app runs
    jobs in the request that asks for them, right after its commit: the POST's time is the job's)."""
    def run():
        if size <= audit_export.IN_REQUEST_ROWS:
            return _get(client, "/admin/audit-log/export.csv?api_calls=y")()
        page = client.get("/admin/audit-log/export.csv?api_calls=y").get_data(as_text=True)
        token = re.search(r'name="csrf_token"[^>]* value="([^"]+)"', page).group(1)
        response = client.post("/admin/audit-log/export", data={"csrf_token": token, "api_calls": "y"})
        assert response.status_code == 303, response.status_code
        return response
    return run


def run(sizes=SIZES) -> None:
    """Print, per log size, wall/CPU time and statements of each view, then the ratios of the largest to the smallest."""
    app = scratch_app()
    with app.app_context():
        hashed = hash_password("bench-password")  # one hash for all: argon2 takes about 50 ms a hash
        for n in range(STAFF):
            create_user(f"nv-{n:02d}", f"Cán bộ {n:02d} Nguyễn", Role.INSTRUCTOR, None, utcnow(), password_hash=hashed)
        db.session.commit()
        engine = db.engine
    client = _signed_in(app)
    views = {"first page": "/admin/audit-log/", "with API calls": "/admin/audit-log/?api_calls=y",
             "page 150 of all": "/admin/audit-log/?api_calls=y&page=150",
             "a person": "/admin/audit-log/?actor=c%C3%A1n+b%E1%BB%99+07",
             "one action": "/admin/audit-log/?action=user.created",
             "CSV of a person": "/admin/audit-log/export.csv?actor=c%C3%A1n+b%E1%BB%99+07"}
    print("SQLite in this process; median of 3 runs, wall/CPU seconds; SQL statements of one run")
    print("CSV of all: streamed in the request up to audit_export.IN_REQUEST_ROWS events, else written by the job")
    print(f"{'events':>9}{'build s':>9}" + "".join(f"{name:>22}" for name in [*views, "CSV of all"]))
    results = {}
    for size in sizes:
        start = time.perf_counter()
        with app.app_context():
            _grow(size)
        build = time.perf_counter() - start
        results[size] = {name: _measure(engine, _get(client, url), 3) for name, url in views.items()}
        results[size]["CSV of all"] = _measure(engine, _export_all(client, size), 1)
        print(f"{size:>9}{build:>9.1f}" + "".join(f"{wall:>11.3f}/{cpu:<5.3f}{stmts:>5} "
                                                  for wall, cpu, stmts in results[size].values()))
    small, big = results[min(sizes)], results[max(sizes)]
    print(f"ratio {max(sizes):,}/{min(sizes):,} events: " + ", ".join(
        f"{name} x{big[name][0] / small[name][0]:.1f}" for name in big))


def main() -> int:
    return run_for_sizes(run, SIZES, __doc__)


if __name__ == "__main__":
    sys.exit(main())
