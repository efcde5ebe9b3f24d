"""The calendar pages and the iCalendar feed (filled in next)."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("calendar", __name__, template_folder="templates")
