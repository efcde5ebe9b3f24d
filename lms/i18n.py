"""Language selection and Vietnamese-style formatting of dates and numbers."""
from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache

from babel.numbers import format_decimal as babel_format_decimal
from flask import current_app, g, has_request_context, request, session
from flask_babel import format_date, format_datetime, get_locale, get_translations


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


def translations():
    """This request's translations, found once per request and language.

    Flask-Babel looks the catalogue up again at every gettext call (about 7 µs, against 0.2 µs for the look-up
    itself), and a progress page makes a hundred of them.  The result is kept beside Flask-Babel's own locale in
    the request's context and used only while that locale is the same object, so `force_locale` (an e-mail in
    its reader's language) still switches the catalogue."""
    context = _babel_context()
    memo = getattr(context, "lms_translations", None)
    if memo is not None and memo[0] is getattr(context, "babel_locale", None):
        return memo[1]
    found = get_translations()
    context = _babel_context()
    if context is not None and getattr(context, "babel_locale", None) is not None:
        context.lms_translations = (context.babel_locale, found)
    return found


def _babel_context():
    """Flask-Babel's per-request namespace (locale, catalogue), or None outside an app context or before it is made."""
    try:
        return g._flask_babel
    except (AttributeError, RuntimeError):
        return None


def gettext(string: str, **variables) -> str:
    """Flask-Babel's gettext through the request's cached catalogue (same result)."""
    text = translations().ugettext(string)
    return text % variables if variables else text


@lru_cache(maxsize=4096)
def _decimal(value: float, pattern: str | None, locale: str) -> str:
    return babel_format_decimal(value, format=pattern, locale=locale)


def _locale_name() -> str:
    locale = getattr(_babel_context(), "babel_locale", None) or get_locale()
    return str(locale or current_app.config["BABEL_DEFAULT_LOCALE"])


def fmt_score(value: float | None) -> str:
    """A score with one decimal in the current locale (7,5 in Vietnamese); formatted once per value and language."""
    return "—" if value is None else _decimal(value, "0.0", _locale_name())


def fmt_ratio(value: float | None) -> str:
    """A statistic with two decimals in the current locale (0,85 in Vietnamese)."""
    return "—" if value is None else _decimal(value, "0.00", _locale_name())


def fmt_number(value: float | int | None) -> str:
    """A number with the locale's grouping (1.234 in Vietnamese)."""
    return "—" if value is None else _decimal(value, None, _locale_name())


def current_language() -> str:
    """The active language code."""
    return str(get_locale() or "vi")


def register(app) -> None:
    """Expose the formatters to templates."""
    app.jinja_env.filters.update(date=fmt_date, isodate=fmt_isodate, datetime=fmt_datetime, score=fmt_score, number=fmt_number, ratio=fmt_ratio)
    app.jinja_env.globals.update(current_language=current_language)
    app.jinja_env.install_gettext_callables(  # Flask-Babel's, with the catalogue found once per request
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
        newstyle=True)
