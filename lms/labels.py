"""Translated labels for stored codes (roles, statuses), for templates."""
from __future__ import annotations

from flask_babel import gettext as _


def role_label(role: str) -> str:
    """The translated name of a role."""
    return {"learner": _("Học viên"), "instructor": _("Giảng viên"), "admin": _("Quản trị viên")}.get(role, role)


def register(app) -> None:
    """Expose the label helpers to templates."""
    app.jinja_env.globals.update(role_label=role_label)
