"""Learners' anonymous feedback: the answers, which name nobody, and apart from them the receipts saying only
who has answered about what (for "already sent" and the response rate). Nothing joins the two."""
from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Index, SmallInteger, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from lms.extensions import db


class FeedbackResponse(db.Model):
    """One anonymous filled-in questionnaire about a chuyên đề (module_id) or the course (module_id None) in a
    cohort. No user column, on purpose; the id is random and only the day is kept, not the time, so neither the
    order of ids nor a timestamp lines a response up with a receipt or a learner's activity."""

    __tablename__ = "feedback_responses"
    __table_args__ = {"sqlite_with_rowid": False}  # no hidden row number in arrival order (SQLite's rowid)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # secrets.token_hex(16)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    module_id: Mapped[int | None] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"))
    answered_on: Mapped[date] = mapped_column(Date)
    # one column per item of lms.domain.feedback.ITEMS: 1-5, or None when left blank
    useful: Mapped[int | None] = mapped_column(SmallInteger)
    realistic: Mapped[int | None] = mapped_column(SmallInteger)
    applicable: Mapped[int | None] = mapped_column(SmallInteger)
    instructors: Mapped[int | None] = mapped_column(SmallInteger)
    workload: Mapped[int | None] = mapped_column(SmallInteger)
    suggestion: Mapped[str | None] = mapped_column(Text)


class FeedbackReceipt(db.Model):
    """That a learner has answered about a chuyên đề (or the course, module_id None) in a cohort: one per learner,
    subject and cohort (two unique indexes, as NULLs never clash in a plain one). No time, and nothing answered."""

    __tablename__ = "feedback_receipts"
    __table_args__ = (
        Index("uq_feedback_receipts_module", "user_id", "cohort_id", "module_id", unique=True),
        Index("uq_feedback_receipts_course", "user_id", "cohort_id", unique=True,
              sqlite_where=text("module_id IS NULL"), postgresql_where=text("module_id IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    module_id: Mapped[int | None] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"))
