"""Turning internal content links (lesson:, module:, case:) into site paths, without a request."""
from __future__ import annotations

from flask import Flask
from werkzeug.routing import BuildError

from lms.catalog.store import ResolverFactory
from lms.content.render import LinkResolver


def resolver_factory(app: Flask) -> ResolverFactory:
    """A function giving, for a module key, the resolver of links written inside that module."""
    adapter = app.url_map.bind("localhost")

    def build(endpoint: str, **values) -> str | None:
        try:
            return adapter.build(endpoint, values)
        except BuildError:
            return None

    def for_module(module_key: str) -> LinkResolver:
        def resolve(kind: str, target: str) -> str | None:
            if kind == "module":
                return build("lessons.module", module_key=target)
            if kind == "case":
                return build("cases.show", slug=target)
            if kind == "lesson":
                owner, _, lesson_key = target.rpartition("/")
                return build("lessons.lesson", module_key=owner or module_key, lesson_key=lesson_key)
            return None

        return resolve

    return for_module
