"""The request boundary commits each request once where it ends well and rolls it back where it does not."""
from __future__ import annotations

import pytest
from flask import Response
from sqlalchemy import func, select

import lms.audit as audit
from lms.extensions import db
from lms.models import AuditEvent


def events() -> int:
    """How many audit events are stored (read in a fresh transaction)."""
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(AuditEvent))


@pytest.mark.parametrize(("status", "kept"), [(200, 1), (302, 1), (400, 0), (409, 0), (422, 0), (500, 0)])
def test_work_is_kept_only_when_the_request_ends_well(app, now, status, kept):
    with app.test_request_context("/", method="POST"):
        audit.record(None, "probe.written", "probe", 1, now)
        app.process_response(Response(status=status))
    assert events() == kept


def test_a_view_marked_to_keep_its_work_commits_on_an_error_status(app, now):
    with app.test_request_context("/verify/ABC", method="GET"):
        audit.record(None, "probe.counted", "probe", 1, now)
        app.process_response(Response(status=404))
    assert events() == 1
