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
