"""One way to page a list in SQL, and one way to match a search box: every paged list of the app uses these."""
from __future__ import annotations

from flask import current_app
from flask_sqlalchemy.pagination import SelectPagination
from sqlalchemy import Select, func
from sqlalchemy.sql.elements import ColumnElement

from lms.domain.text import fold
from lms.extensions import db


class _Pagination(SelectPagination):
    """A SQL page, counted by the statement given as `counted` when there is one."""

    def _query_count(self) -> int:
        counted = self._query_args.get("counted")
        if counted is None:
            return super()._query_count()
        return self._query_args["session"].execute(counted).scalar()


class _RowPagination(_Pagination):
    """A SQL page whose items are whole rows (an event with its actor, say), not only their first entity."""

    def _query_items(self) -> list:
        stmt = self._query_args["select"].limit(self.per_page).offset(self._query_offset)
        return list(self._query_args["session"].execute(stmt).all())


def paginate(stmt: Select, page: int, per_page: int | None = None, rows: bool = False, past_end_is_last: bool = True,
             counted: Select | None = None):
    """One page of the statement's results (LIMIT/OFFSET in SQL); `per_page` defaults to the PAGE_SIZE setting.
    Items are the first entity of each row, or the whole rows (tuples) with `rows=True`. `counted`: a statement
    that counts the same rows more cheaply (without joins that only add columns); by default the statement is
    counted as it is.

    A page past the end (an old link, a typed number) is the last page, as a list computed in Python is
    (ListPage): "nothing here" under a list that has items would be untrue. The API keeps it empty
    (`past_end_is_last=False`): a client reading pages until one is empty must come to an end."""
    kind = _RowPagination if rows else _Pagination

    def page_number(number: int):
        return kind(select=stmt, session=db.session(), page=number, max_per_page=None, error_out=False, count=True,
                    per_page=per_page or current_app.config["PAGE_SIZE"], counted=counted)

    found = page_number(max(page, 1))
    past_end = not found.items and found.page > found.pages >= 1
    return page_number(found.pages) if past_end and past_end_is_last else found


def contains(column, query: str) -> ColumnElement[bool]:
    """'column contains the words typed', whatever their case and accents ("vu quang" finds "Vũ Quang"), with %
    and _ taken literally. lms_fold is the database's own function (lms.database, migration 0018)."""
    typed = fold(query.strip()).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return func.lms_fold(column).like(f"%{typed}%", escape="\\")


class ListPage:
    """One page of an already computed list, with the attributes templates use from a SQL page."""

    def __init__(self, items: list, page: int, per_page: int) -> None:
        self.total = len(items)
        self.per_page = per_page
        self.pages = max((self.total + per_page - 1) // per_page, 1)
        self.page = min(max(page, 1), self.pages)
        self.items = items[(self.page - 1) * per_page:self.page * per_page]
        self.has_prev, self.has_next = self.page > 1, self.page < self.pages
        self.prev_num, self.next_num = self.page - 1, self.page + 1


def page_of_list(items: list, page: int, per_page: int | None = None) -> ListPage:
    """One page of a list computed in Python (rows whose order depends on derived figures)."""
    return ListPage(items, page, per_page or current_app.config["PAGE_SIZE"])


DB_INT_MAX = 2**31 - 1


def db_int(text: str) -> int:
    """A whole number from a request the database can hold (0 to 2^31-1); ValueError otherwise, so that
    `request.args.get(name, default, type=db_int)` answers the default instead of failing in the database."""
    value = int(text)
    if not 0 <= value <= DB_INT_MAX:
        raise ValueError(f"{value} is outside the database's integer range")
    return value
