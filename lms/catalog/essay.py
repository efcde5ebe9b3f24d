"""The database copy of the course's final essay (content/essay.md)."""
from __future__ import annotations

import hashlib
from dataclasses import asdict
from datetime import datetime

from sqlalchemy import select

from lms.content.essay import EssayDoc
from lms.content.render import LinkResolver, render_markdown
from lms.domain.cases import RubricCriterion, RubricLevel
from lms.extensions import db
from lms.models import CourseEssay


def _rubric_rows(doc: EssayDoc) -> list[dict]:
    return [{"id": c.id, "title": c.title, "levels": [asdict(level) for level in c.levels]} for c in doc.rubric]


def essay_hash(doc: EssayDoc) -> str:
    """A fingerprint of the essay's content, to import only what changed."""
    return hashlib.sha256(repr(doc).encode("utf-8")).hexdigest()


def import_essay(doc: EssayDoc, now: datetime, resolve: LinkResolver) -> str:
    """Create or update the course's essay; returns 'created', 'updated' or 'unchanged'."""
    row = current_essay()
    fingerprint = essay_hash(doc)
    if row is not None and row.content_hash == fingerprint:
        return "unchanged"
    outcome = "updated" if row is not None else "created"
    if row is None:
        row = CourseEssay()
        db.session.add(row)
    row.title, row.summary, row.brief_md = doc.title, doc.summary, doc.brief
    row.brief_html, row.rubric = render_markdown(doc.brief, resolve), _rubric_rows(doc)
    row.weight, row.pass_mark, row.max_chars, row.required = doc.weight, doc.pass_mark, doc.max_chars, doc.required
    row.content_hash, row.updated_at = fingerprint, now
    db.session.flush()
    return outcome


def current_essay() -> CourseEssay | None:
    """The course's essay, or None when the course has none."""
    return db.session.scalar(select(CourseEssay).order_by(CourseEssay.id).limit(1))


def essay_doc(row: CourseEssay) -> EssayDoc:
    """The stored essay as a content object."""
    rubric = tuple(RubricCriterion(c["id"], c["title"], tuple(RubricLevel(**level) for level in c["levels"]))
                   for c in row.rubric)
    return EssayDoc(row.title, row.summary, row.brief_md, rubric, row.weight, row.pass_mark, row.max_chars,
                    row.required)
