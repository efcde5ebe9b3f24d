"""The shape of lms/ stays as STYLE.md describes it: no import cycles, small files, functions and views."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from scripts.import_graph import cycles, file_graph, package_graph

LMS = Path(__file__).resolve().parents[2] / "lms"
SOURCES = sorted(LMS.rglob("*.py"))
MAX_FILE_LINES, MAX_FUNCTION_LINES, MAX_VIEW_LINES = 400, 60, 30
ROUTE_DECORATORS = {"get", "post", "route", "put", "delete", "patch"}


def functions(path: Path):
    """(name, length in lines, is a view) of every function in a file."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            is_view = any(isinstance(d, ast.Call) and isinstance(d.func, ast.Attribute)
                          and d.func.attr in ROUTE_DECORATORS for d in node.decorator_list)
            yield node.name, node.end_lineno - node.lineno + 1, is_view


def test_no_import_cycle_between_packages_or_files_with_function_level_imports_included():
    files = file_graph()
    assert cycles(package_graph(files)) == []
    assert cycles(files) == []


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(LMS)))
def test_files_functions_and_views_stay_small(path):
    assert len(path.read_text(encoding="utf-8").splitlines()) <= MAX_FILE_LINES
    too_long = [(name, length) for name, length, is_view in functions(path)
                if length > (MAX_VIEW_LINES if is_view else MAX_FUNCTION_LINES)]
    assert too_long == []
