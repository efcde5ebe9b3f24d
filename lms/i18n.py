"""Language selection and Vietnamese-style formatting of dates and numbers."""
from __future__ import annotations

from datetime import date, datetime

from flask import current_app, has_request_context, request, session
from flask_babel import format_date, format_datetime, format_decimal, get_locale


def select_locale() -> str:
    """The language chosen in this browser, Vietnamese unless English was picked (outside a request, in the job
    worker, the default unless a job forces the language of whoever asked); a JSON API client's Accept-Language."""
    if has_request_context() and request.path.startswith("/api/"):
        return request.accept_languages.best_match(current_app.config["LANGUAGES"]) \
            or current_app.config["BABEL_DEFAULT_LOCALE"]
    lang = session.get("lang") if has_request_context() else None
    return lang if lang in current_app.config["LANGUAGES"] else current_app.config["BABEL_DEFAULT_LOCALE"]


def fmt_date(value: date | datetime | None) -> str:
    """A date as 26/11/2026 (Vietnamese) or 11/26/26 style for English."""
    if value is None:
        return "—"
    if isinstance(value, datetime):
        return format_datetime(value, "dd/MM/yyyy")
    return format_date(value, "dd/MM/yyyy")


def fmt_isodate(value: str | None) -> str:
    """A stored ISO date string (2024-05-09) shown as a date."""
    return fmt_date(date.fromisoformat(value)) if value else "—"


def fmt_datetime(value: datetime | None) -> str:
    """A moment in the local time zone, as 26/11/2026 14:05."""
    return "—" if value is None else format_datetime(value, "dd/MM/yyyy HH:mm")


def fmt_score(value: float | None) -> str:
    """A score with one decimal in the current locale (7,5 in Vietnamese)."""
    return "—" if value is None else format_decimal(value, format="0.0")


def fmt_ratio(value: float | None) -> str:
    """A statistic with two decimals in the current locale (0,85 in Vietnamese)."""
    return "—" if value is None else format_decimal(value, format="0.00")


def fmt_number(value: float | int | None) -> str:
    """A number with the locale's grouping (1.234 in Vietnamese)."""
    return "—" if value is None else format_decimal(value)


def current_language() -> str:
    """The active language code."""
    return str(get_locale() or "vi")


def register(app) -> None:
    """Expose the formatters to templates."""
    app.jinja_env.filters.update(date=fmt_date, isodate=fmt_isodate, datetime=fmt_datetime, score=fmt_score, number=fmt_number, ratio=fmt_ratio)
    app.jinja_env.globals.update(current_language=current_language)
