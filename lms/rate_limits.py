"""Rate limits counted in the database, so every worker (and every server) shares one count."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func, select

from lms.extensions import db
from lms.models import RateLimitHit


def hit_rate_limit(bucket: str, key: str, limit: int, window: timedelta, now: datetime) -> bool:
    """Count a request; True when the key has exceeded `limit` requests within the window (all workers).

    Count and insert are two statements: two requests at the same instant may both pass the last slot, which
    is acceptable for a limit meant to stop floods, not to count exactly."""
    db.session.execute(delete(RateLimitHit).where(RateLimitHit.bucket == bucket, RateLimitHit.at < now - window))
    recent = db.session.scalar(select(func.count()).select_from(RateLimitHit).where(
        RateLimitHit.bucket == bucket, RateLimitHit.key == key[:64], RateLimitHit.at >= now - window))
    if recent >= limit:
        return True
    db.session.add(RateLimitHit(bucket=bucket, key=key[:64], at=now))
    db.session.flush()
    return False
