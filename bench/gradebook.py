"""The gradebook and analytics for cohorts of growing size: time, queries and their ratios."""
from __future__ import annotations

import random

from sqlalchemy import event, insert, select

from bench.common import scratch_app, timed
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
    User,
)

SIZES = (50, 200, 579)
COMMUNES = ["Phường Ba Đình", "Phường Hoàn Kiếm", "Xã Sóc Sơn", "Xã Đông Anh", "Xã Mỹ Đức", "Phường Sơn Tây"]


def _cohort(size: int, rng: random.Random) -> int:
    now = utcnow()
    cohort = Cohort(name=f"Lớp {size}", created_at=now)
    db.session.add(cohort)
    db.session.flush()
    password = hash_password("bench-password")
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


def _measure(cohort_id: int) -> tuple[float, int]:
    statements = []
    listener = lambda *args: statements.append(1)  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        seconds, _ = timed(lambda: _all(cohort_id), repeat=3)
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    return seconds, len(statements) // 3


def _all(cohort_id: int):
    rows = queries.gradebook(cohort_id)
    return (queries.module_rates(rows), queries.commune_rollup(rows), queries.inactive_learners(rows, 14, utcnow()),
            queries.option_choices(cohort_id))


def run() -> None:
    """Print time, SQL statements and per-learner time for each cohort size."""
    app = scratch_app()
    rng = random.Random(579)
    with app.app_context():
        course, _ = load_course(app.config["CONTENT_DIR"])
        import_course(course, utcnow(), resolver_factory(app))
        db.session.commit()
        print(f"{'learners':>9}{'seconds':>10}{'queries':>9}{'ms/learner':>12}")
        results = []
        for size in SIZES:
            seconds, statements = _measure(_cohort(size, rng))
            results.append((size, seconds, statements))
            print(f"{size:>9}{seconds:>10.3f}{statements:>9}{1000 * seconds / size:>12.2f}")
        (small, t_small, q_small), (big, t_big, q_big) = results[0], results[-1]
        print(f"ratio {big}/{small} learners: time x{t_big / t_small:.1f} for x{big / small:.1f} learners; "
              f"queries {q_small} -> {q_big}")
