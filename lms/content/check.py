"""Command line check of content files: python -m lms.content.check content/modules (or one module folder)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from lms.content.links import KEY_RE
from lms.content.loader import duplicate_case_slugs, load_course, load_module_dir
from lms.content.schema import Problem


def is_module_dir(path: Path) -> bool:
    """True when the folder looks like one module rather than the modules root."""
    return (path / "module.md").is_file() or KEY_RE.fullmatch(path.name) is not None


def check_path(path: Path) -> list[Problem]:
    """Every problem in a modules root, or in one module folder (course-wide numbering skipped)."""
    if path.is_dir() and is_module_dir(path):
        _, problems = load_module_dir(path)
        return problems + duplicate_case_slugs(path.parent, only=path.name)
    _, problems = load_course(path)
    return problems


def count_files(path: Path) -> tuple[int, int, int]:
    """How many modules, lessons and cases lie under the path."""
    pattern = "" if is_module_dir(path) else "*/"
    return (len(list(path.glob(f"{pattern}module.md"))), len(list(path.glob(f"{pattern}lessons/*.md"))),
            len(list(path.glob(f"{pattern}cases/*.md"))))


def summary(problems: list[Problem], path: Path) -> str:
    """The closing line: how much was checked and how many problems were found."""
    modules, lessons, cases = count_files(path) if path.is_dir() else (0, 0, 0)
    checked = f"{modules} module(s), {lessons} lesson(s), {cases} case(s) checked"
    if not problems:
        return f"{checked}: no problems"
    files = len({p.path for p in problems})
    return f"{checked}: {len(problems)} problem(s) in {files} file(s)"


def main(argv: list[str] | None = None) -> int:
    """Print every problem, one per line, then a summary; exit status 1 when there is any problem."""
    parser = argparse.ArgumentParser(prog="python -m lms.content.check", description=__doc__)
    parser.add_argument("path", type=Path, help="content/modules, or one module folder such as content/modules/07-x")
    path = parser.parse_args(argv).path
    problems = check_path(path)
    for problem in problems:
        print(problem)
    print(summary(problems, path))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
