"""The one base of the errors the rules and services raise: a machine code, an HTTP status, parameters.

The request boundary (`lms.errors`) turns an uncaught DomainError into an HTML page or an RFC 9457
problem document with that status; views that can say more (a form with the problem beside a field)
catch the specific subclass first.
"""
from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """An action the rules refuse; `code` names the rule, `status` the HTTP answer, `params` the details."""

    status: int = 400
    default_code: str = "invalid"

    def __init__(self, code: str | None = None, *, status: int | None = None, **params: Any) -> None:
        self.code = code or self.default_code
        super().__init__(self.code)
        if status is not None:
            self.status = status
        self.params = params
