"""The import graph of lms/ read from the source (function-level imports included): edges and cycles.

python scripts/import_graph.py [--files]   prints package edges, package cycles and file cycles.
"""
from __future__ import annotations

import argparse
import ast
import sys
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "lms"


def module_name(path: Path) -> str:
    """The dotted module name of a file under the project root."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_names(path: Path, name: str, modules: set[str]) -> Iterable[str]:
    """Every module a file imports, at any depth of its code (relative imports resolved).

    `from lms import audit` imports the module lms.audit, not the package's __init__.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            for alias in node.names:
                full = f"{base}.{alias.name}"
                yield full if full in modules else base


def file_graph() -> dict[str, set[str]]:
    """Module -> the lms modules it imports (only names that are real modules)."""
    files = {module_name(p): p for p in (ROOT / PACKAGE).rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in files.items():
        targets = {t for t in imported_names(path, name, set(files)) if t in files and t != name}
        graph[name] = targets
    return graph


def package_of(name: str) -> str:
    """The feature package of a module: lms.cases.services -> lms.cases; top-level modules stand alone."""
    parts = name.split(".")
    return ".".join(parts[:2]) if len(parts) >= 2 else name


def package_graph(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    """Package -> the packages it imports (edges inside a package dropped; lms itself excluded)."""
    packages: dict[str, set[str]] = {}
    for source, targets in graph.items():
        if source == PACKAGE:
            continue
        edges = packages.setdefault(package_of(source), set())
        edges.update(package_of(t) for t in targets if t != PACKAGE and package_of(t) != package_of(source))
    return packages


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    sys.setrecursionlimit(10_000)
    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def main() -> int:
    """Print the figures; exit 1 when there is a cycle."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--edges", action="store_true", help="list every package edge")
    args = parser.parse_args()
    files = file_graph()
    packages = package_graph(files)
    package_cycles, file_cycles = cycles(packages), cycles(files)
    print(f"files: {len(files)}, file edges: {sum(map(len, files.values()))}")
    print(f"packages: {len(packages)}, package edges: {sum(map(len, packages.values()))}")
    if args.edges:
        for source in sorted(packages):
            print(f"  {source} -> {', '.join(sorted(packages[source])) or '-'}")
    print(f"package cycles: {len(package_cycles)}")
    for cycle in package_cycles:
        print("  " + " <-> ".join(cycle))
    print(f"file cycles: {len(file_cycles)}")
    for cycle in file_cycles:
        print("  " + " <-> ".join(cycle))
    return 1 if package_cycles or file_cycles else 0


if __name__ == "__main__":
    sys.exit(main())
