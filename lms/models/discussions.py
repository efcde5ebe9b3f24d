"""A case's debrief discussion in one cohort: threads and replies, the instructor's note, reports, follows."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.sql import false

from lms.database import UTCDateTime
from lms.extensions import db
from lms.models.content import Case
from lms.models.users import User


class Discussion(db.Model):
    """The discussion of one case in one cohort, with its pinned expert note and whether it is closed."""

    __tablename__ = "discussions"
    __table_args__ = (UniqueConstraint("case_id", "cohort_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    note_md: Mapped[str | None] = mapped_column(Text)  # the instructor's pinned expert note
    note_html: Mapped[str | None] = mapped_column(Text)
    note_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    note_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # closed: read only
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    case: Mapped[Case] = relationship()
    note_by: Mapped[User | None] = relationship(foreign_keys=[note_by_id])


class DiscussionPost(db.Model):
    """A thread (thread_id None, with a title) or a reply in a thread; hidden posts stay, shown as hidden."""

    __tablename__ = "discussion_posts"
    __table_args__ = (Index("ix_discussion_posts_thread_created", "thread_id", "created_at"),
                      Index("ix_discussion_posts_discussion_last", "discussion_id", "last_activity_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    discussion_id: Mapped[int] = mapped_column(ForeignKey("discussions.id", ondelete="CASCADE"))
    thread_id: Mapped[int | None] = mapped_column(ForeignKey("discussion_posts.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    title: Mapped[str | None] = mapped_column(String(200))
    body_md: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_activity_at: Mapped[datetime] = mapped_column(UTCDateTime)  # a thread's latest reply (or its start)
    reply_count: Mapped[int] = mapped_column(Integer, default=0)
    show_choice: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    exemplary: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    hidden_reason: Mapped[str | None] = mapped_column(Text)

    author: Mapped[User] = relationship(foreign_keys=[author_id])
    discussion: Mapped[Discussion] = relationship()

    @property
    def is_thread(self) -> bool:
        """True for the post that starts a thread."""
        return self.thread_id is None


class PostReport(db.Model):
    """A learner's (or instructor's) report of a post, waiting in the moderation queue until resolved."""

    __tablename__ = "discussion_reports"
    __table_args__ = (UniqueConstraint("post_id", "reporter_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("discussion_posts.id", ondelete="CASCADE"), index=True)
    reporter_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    post: Mapped[DiscussionPost] = relationship()
    reporter: Mapped[User] = relationship(foreign_keys=[reporter_id])


class ThreadFollow(db.Model):
    """A person told of new replies in a thread."""

    __tablename__ = "discussion_follows"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("discussion_posts.id", ondelete="CASCADE"), primary_key=True,
                                           index=True)
