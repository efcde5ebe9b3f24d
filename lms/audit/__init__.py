"""Recording actions in the audit log."""
from __future__ import annotations

from datetime import datetime

from lms.extensions import db
from lms.models import AuditEvent, User


def record(actor: User | None, action: str, target_type: str, target_id: object, now: datetime, **details) -> None:
    """Add one audit event to the current unit of work."""
    db.session.add(
        AuditEvent(
            actor_id=actor.id if actor else None,
            action=action,
            target_type=target_type,
            target_id=None if target_id is None else str(target_id),
            details=details,
            created_at=now,
        )
    )
