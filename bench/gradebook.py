"""The gradebook page, its CSV export and the analytics read models for cohorts of 579, 1,000 and 10,000
learners: time, SQL statements and the ratio 10,000/1,000 (issue #20 asks for a fixed number of statements and at
most x12 the time for x10 the learners).

    python -m bench.gradebook [--sizes 579,1000,10000]
"""
from __future__ import annotations

import random
import re
import sys
import time

from sqlalchemy import event, insert, select

from bench.common import run_for_sizes, scratch_app
from lms.auth.accounts import create_user
from lms.auth.passwords import hash_password
from lms.catalog.store import import_course
from lms.catalog.urls import resolver_factory
from lms.content.loader import load_course
from lms.database import utcnow
from lms.extensions import db
from lms.grades import queries
from lms.models import (
    Cohort,
    Enrolment,
    GradeEntry,
    Lesson,
    LessonProgress,
    Module,
    Role,
    User,
)

SIZES = (579, 1_000, 10_000)
COMMUNES = ["Phường Ba Đình", "Phường Hoàn Kiếm", "Xã Sóc Sơn", "Xã Đông Anh", "Xã Mỹ Đức", "Phường Sơn Tây"]
ADMIN, PASSWORD = "quantri-bench", "bench-password"


def _cohort(size: int, rng: random.Random) -> int:
    """A cohort of `size` learners inserted in bulk: each has studied 20 lessons and has grades in 6 modules."""
    now = utcnow()
    cohort = Cohort(name=f"Lớp {size}", created_at=now)
    db.session.add(cohort)
    db.session.flush()
    password = hash_password(PASSWORD)
    users = [{"username": f"c{size}-{i}", "full_name": f"Học viên {i}", "role": "learner", "password_hash": password,
              "is_active": True, "created_at": now} for i in range(size)]
    db.session.execute(insert(User), users)
    ids = db.session.scalars(select(User.id).where(User.username.like(f"c{size}-%"))).all()
    db.session.execute(insert(Enrolment), [{"cohort_id": cohort.id, "user_id": uid, "commune": COMMUNES[i % 6],
                                            "enrolled_at": now} for i, uid in enumerate(ids)])
    lessons = db.session.scalars(select(Lesson.id)).all()
    modules = db.session.scalars(select(Module.id)).all()
    db.session.execute(insert(LessonProgress), [{"user_id": uid, "lesson_id": lid, "studied_at": now}
                                                for uid in ids for lid in rng.sample(lessons, 20)])
    db.session.execute(insert(GradeEntry), [{"user_id": uid, "module_id": mid, "cohort_id": cohort.id,
                                             "score": round(rng.uniform(3, 10), 1), "source": "computed",
                                             "created_at": now} for uid in ids for mid in rng.sample(modules, 6)])
    db.session.commit()
    return cohort.id


def _signed_in(app):
    """A test client signed in as an administrator, through the real form (each request its own app context)."""
    with app.app_context():
        create_user(ADMIN, "Quản trị bench", Role.ADMIN, PASSWORD, utcnow())
        db.session.commit()
    client = app.test_client()
    token = re.search(r'name="csrf_token"[^>]* value="([^"]+)"', client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"identifier": ADMIN, "password": PASSWORD,
                                           "csrf_token": token.group(1) if token else ""})
    assert response.status_code == 302, response.status_code
    return client


def _measure(engine, run, repeat: int) -> tuple[float, float, int]:
    """Median wall time and median CPU time of `repeat` runs in seconds (SQLite runs in this process, so its work
    is in the CPU time, which a shared machine disturbs less), and the SQL statements of the first run."""
    statements = []
    listener = lambda *args: statements.append(1)  # noqa: E731
    walls, cpus = [], []
    for index in range(repeat):
        if index == 0:
            event.listen(engine, "before_cursor_execute", listener)
        wall, cpu = time.perf_counter(), time.process_time()
        run()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
        if index == 0:
            event.remove(engine, "before_cursor_execute", listener)
    return sorted(walls)[len(walls) // 2], sorted(cpus)[len(cpus) // 2], len(statements)


def _get(client, url: str):
    """A GET that must answer 200."""
    def run():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response.get_data()
    return run


def _read_models(cohort_id: int):
    """Everything the analytics page computes for the whole cohort."""
    def run():
        rows = queries.gradebook(cohort_id)
        return (queries.module_rates(rows), queries.commune_rollup(rows),
                queries.inactive_learners(rows, 14, utcnow()), queries.option_choices(cohort_id))
    return run


def run(sizes=SIZES) -> None:
    """Print, per cohort size, time and statements of the page, the CSV and the analytics read models, then ratios."""
    app = scratch_app()
    rng = random.Random(579)
    with app.app_context():
        course, _ = load_course(app.config["CONTENT_DIR"])
        import_course(course, utcnow(), resolver_factory(app))
        db.session.commit()
        engine = db.engine
    client = _signed_in(app)
    print("median of several runs; wall seconds / CPU seconds; SQL statements of one run")
    print("page: sorted by average (every learner's standing computed); by name: the default (only the page's)")
    print(f"{'learners':>9}{'build s':>9}{'page wall/CPU s':>17}{'stmts':>6}{'by name':>15}{'stmts':>6}"
          f"{'CSV wall/CPU s':>16}{'stmts':>6}{'CSV KiB':>8}{'analytics wall/CPU s':>22}{'stmts':>6}")
    results = {}
    for size in sizes:
        start = time.perf_counter()
        with app.app_context():
            cohort_id = _cohort(size, rng)
        build = time.perf_counter() - start
        repeat = 3 if size >= 5_000 else 5
        page = _measure(engine, _get(client, f"/instructor/gradebook?cohort={cohort_id}&sort=average"), repeat)
        by_name = _measure(engine, _get(client, f"/instructor/gradebook?cohort={cohort_id}"), repeat)
        csv_bytes = len(_get(client, f"/instructor/gradebook/{cohort_id}/export.csv")())
        csv = _measure(engine, _get(client, f"/instructor/gradebook/{cohort_id}/export.csv"), repeat)
        with app.app_context():
            analytics = _measure(engine, _read_models(cohort_id), repeat)
        results[size] = (page, by_name, csv, analytics)
        print(f"{size:>9}{build:>9.2f}{page[0]:>10.3f}/{page[1]:<6.3f}{page[2]:>6}{by_name[0]:>8.3f}/{by_name[1]:<6.3f}"
              f"{by_name[2]:>6}{csv[0]:>9.3f}/{csv[1]:<6.3f}{csv[2]:>6}{csv_bytes / 1024:>8.0f}"
              f"{analytics[0]:>15.3f}/{analytics[1]:<6.3f}{analytics[2]:>6}")
    if 1_000 in results and 10_000 in results:
        small, big = results[1_000], results[10_000]
        print("ratio 10,000/1,000 learners (target <= 12): " + ", ".join(
            f"{name} wall x{b[0] / s[0]:.1f}, CPU x{b[1] / s[1]:.1f} (statements {s[2]} -> {b[2]})"
            for name, s, b in zip(("page", "page by name", "CSV", "analytics"), small, big, strict=True)))


def main() -> int:
    return run_for_sizes(run, SIZES, __doc__)


if __name__ == "__main__":
    sys.exit(main())
