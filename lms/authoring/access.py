"""Who may author a module: the one check every authoring view starts with."""
from __future__ import annotations

from flask import abort
from flask_login import current_user

from lms.authoring.queries import can_author
from lms.lessons.queries import get_module
from lms.models import Module


def module_for_author(module_key: str) -> Module:
    """The module if the signed-in user may author it; 404 if there is none, 403 if they may not."""
    module = get_module(module_key)
    if module is None:
        abort(404)
    if not can_author(current_user, module):
        abort(403)
    return module
