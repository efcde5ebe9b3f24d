"""The audit log's read model: the export reads the filtered log in bounded batches, in the page's order."""
from __future__ import annotations

from datetime import timedelta

import lms.audit as audit
from lms.admin.audit_queries import AuditFilters, iter_events, paginate_events
from lms.extensions import db
from lms.models import Role


def test_the_export_reads_batches_in_the_order_of_the_pages_ties_included(make_user, now, count_queries):
    actor = make_user(Role.ADMIN)
    for n in range(7):  # three events share one moment: the id orders them
        audit.record(actor, "draft.saved", "module", n, now if n < 3 else now - timedelta(minutes=n), key=n)
    audit.record(actor, "draft.discarded", "module", 99, now)
    db.session.commit()
    filters = AuditFilters(action="draft.saved")
    on_the_page = [row.id for row in paginate_events(filters).items]
    with count_queries() as statements:
        exported = [row.id for row in iter_events(filters, batch=2)]
    assert exported == on_the_page and len(exported) == 7
    assert [row.target_id for row in paginate_events(filters).items][:3] == ["2", "1", "0"]
    assert statements() == 4  # 2 + 2 + 2 + 1 rows: never more than a batch in hand


def test_an_event_about_an_account_names_it_and_others_name_none(make_user, now):
    admin, learner = make_user(Role.ADMIN), make_user(Role.LEARNER, full_name="Đỗ Thị Hà")
    audit.record(admin, "user.password_reset", "user", learner.id, now)
    audit.record(admin, "document.revoked", "document", "TX-2026-AB12", now - timedelta(minutes=1))  # a text key
    audit.record(None, "module.author_assigned", "module", learner.id, now - timedelta(minutes=2))  # same number
    db.session.commit()
    page = paginate_events(AuditFilters())
    assert page.total == 3
    assert [(row.action, row.target_name, row.actor_name) for row in page.items] == [
        ("user.password_reset", "Đỗ Thị Hà", admin.full_name), ("document.revoked", None, admin.full_name),
        ("module.author_assigned", None, None)]
    assert [row.target_name for row in iter_events(AuditFilters())] == ["Đỗ Thị Hà", None, None]


def test_the_export_job_reads_without_holding_back_other_writers(app, make_user, now, monkeypatch):
    """The worker writes a long log to a file while learners keep saving: in the middle of its reading, another
    connection still takes the write lock at once (on SQLite a job's transaction would otherwise hold it)."""
    from lms.admin import audit_export
    from lms.admin import audit_queries as queries
    from lms.jobs import job_file_path, submit
    from lms.models import Job

    actor = make_user(Role.ADMIN)
    for n in range(12):
        audit.record(actor, "draft.saved", "module", n, now - timedelta(minutes=n))
    db.session.commit()
    monkeypatch.setattr(queries, "EXPORT_BATCH", 5)
    reading, taken = queries.iter_events, []

    def watched(*args, **kwargs):
        for row in reading(*args, **kwargs):
            other = db.engine.raw_connection()  # another worker's connection, not waiting at all for a lock
            try:
                cursor = other.cursor()
                if db.engine.dialect.name == "sqlite":
                    cursor.execute("PRAGMA busy_timeout=0")
                    cursor.execute("BEGIN IMMEDIATE")
                cursor.execute("UPDATE users SET full_name = full_name WHERE id = %s" if db.engine.dialect.name ==
                               "postgresql" else "UPDATE users SET full_name = full_name WHERE id = ?", (actor.id,))
                other.commit()
                taken.append(row.id)
            finally:
                other.close()
            yield row

    monkeypatch.setattr(queries, "iter_events", watched)
    job = submit(audit_export.JOB_KIND, {"filters": {"action": "draft.saved"}, "locale": "vi"}, actor, now)
    db.session.commit()  # the test app runs jobs right after the commit
    job = db.session.get(Job, job.id)
    assert job.state == "done" and job.result == {"rows": 12} and len(taken) == 12
    assert job_file_path(job).read_text(encoding="utf-8-sig").count("draft.saved") == 12
