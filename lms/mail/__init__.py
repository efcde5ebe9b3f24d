"""E-mail: sending through SMTP (Flask-Mailman), the development mail sink, signed unsubscribe links."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Set up sending for this app (filled in by the mail package)."""
