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
