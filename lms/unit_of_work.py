"""The one request boundary for the database: each request is one unit of work, committed once, here.

Views and services never commit. A request that ends well (status below 400) is committed after the view;
one that ends in an error status, or raises, is rolled back, so a refused form or a failed step leaves
nothing half-written. A view whose error answer must still keep its work (a refused sign-in is counted,
an overdue attempt is submitted before the learner is told) says so with `@keeps_work_on_error`.
GET and HEAD requests read in deferred transactions unless the view is marked `writes_on_get`.
"""
from __future__ import annotations

from flask import Flask, Response, request
from sqlalchemy.exc import DBAPIError

from lms.database import read_only_transactions
from lms.extensions import db


def keeps_work_on_error(view):
    """Mark a view whose error statuses still commit what it recorded."""
    view.keeps_work_on_error = True
    return view


def writes_on_get(view):
    """Mark a GET view that writes (a counted look-up): it takes SQLite's write lock up front like a POST."""
    view.writes_on_get = True
    return view


def _view(app: Flask):
    return app.view_functions.get(request.endpoint) if request.endpoint else None


def register(app: Flask) -> None:
    """Install the transaction mode before each request and the commit or rollback after it."""

    @app.before_request
    def _transaction_mode() -> None:
        view = _view(app)
        read_only_transactions.set(request.method in ("GET", "HEAD", "OPTIONS")
                                   and not getattr(view, "writes_on_get", False))

    @app.after_request
    def _end_unit_of_work(response: Response) -> Response:
        if response.status_code < 400 or getattr(_view(app), "keeps_work_on_error", False):
            db.session.commit()  # a failure here (the database went away) is answered 503 by lms.errors
        else:
            try:
                db.session.rollback()
            except DBAPIError:  # the connection is already gone: nothing was written
                pass
        return response
