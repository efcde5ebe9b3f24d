"""What a job hands back as a file (a ZIP of documents, the temporary passwords of an import): kept for a while
under JOB_FILES_DIR, outside the web root, offered only to whoever may see the job, then deleted."""
from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import BinaryIO

from flask import current_app
from sqlalchemy import select

from lms.database import utcnow
from lms.extensions import db
from lms.models import Job


def _directory() -> Path:
    path = Path(current_app.config["JOB_FILES_DIR"])
    path.mkdir(parents=True, exist_ok=True)
    return path


def job_file_path(job: Job) -> Path | None:
    """Where the job's file is, or None if it has none or it has expired."""
    if not job.stored_name or (job.expires_at and job.expires_at <= utcnow()):
        return None
    path = _directory() / job.stored_name
    return path if path.exists() else None


def write_job_file(job: Job, download_name: str, write: Callable[[BinaryIO], None], now: datetime) -> None:
    """Write the job's file through a temporary name (a reader never sees half a file) and note when it expires."""
    stored = f"job-{job.id}-{secrets.token_hex(8)}{Path(download_name).suffix}"
    final = _directory() / stored
    partial = final.with_suffix(final.suffix + ".part")
    with open(partial, "wb") as out:
        write(out)
    os.replace(partial, final)
    if job.stored_name and job.stored_name != stored:  # a retried job replaces its earlier file
        (_directory() / job.stored_name).unlink(missing_ok=True)
    job.stored_name, job.file_name = stored, download_name
    job.expires_at = now + timedelta(hours=current_app.config["JOB_FILE_HOURS"])


def delete_job_file(job: Job) -> bool:
    """Delete the job's file now (the password list once handed out); False when it had none."""
    if not job.stored_name:
        return False
    (_directory() / job.stored_name).unlink(missing_ok=True)
    job.stored_name = None
    db.session.flush()
    return True


def delete_expired_files(now: datetime) -> int:
    """Delete the files whose time is up; the jobs stay listed without them."""
    expired = db.session.scalars(select(Job).where(Job.stored_name.is_not(None), Job.expires_at <= now)).all()
    for job in expired:
        (_directory() / job.stored_name).unlink(missing_ok=True)
        job.stored_name = None
    db.session.flush()
    return len(expired)
