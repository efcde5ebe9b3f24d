"""Routing one view for every kind of content the editor handles (lessons, cases), each through its adapter."""
from __future__ import annotations

from functools import wraps

from flask import Blueprint

from lms.authoring.editors import EDITORS, Editor


class EachKind:
    """Routes one view for every kind the editor handles: in its rule {items}/{key} becomes lessons/<lesson_key>
    and cases/<slug>, in its endpoint {kind} becomes lesson and case; the view gets the kind's editor first."""

    def __init__(self, blueprint: Blueprint) -> None:
        self.blueprint = blueprint

    def route(self, rule: str, endpoint: str, methods: tuple[str, ...] = ("GET",)):
        """Register the view under each kind's rule and endpoint."""
        def register(view):
            for editor in EDITORS.values():
                self.blueprint.add_url_rule(rule.format(items=editor.items, key=f"<{editor.key_arg}>"),
                                            endpoint.format(kind=editor.kind), _for_editor(view, editor),
                                            methods=list(methods))
            return view
        return register


def _for_editor(view, editor: Editor):
    @wraps(view)
    def view_of_kind(module_key: str, **args):
        return view(editor, module_key, **{"key" if name == editor.key_arg else name: value
                                           for name, value in args.items()})
    return view_of_kind
