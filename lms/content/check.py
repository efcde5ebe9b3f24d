"""Command line check of content files: python -m lms.content.check content/modules (or one module folder)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from lms.content.cueing import CueingFigures, check_course_cueing
from lms.content.links import KEY_RE
from lms.content.loader import duplicate_case_slugs, load_course, load_module_dir
from lms.content.schema import Course, Problem


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


def check_with_cueing(path: Path) -> tuple[list[Problem], list[Problem], CueingFigures]:
    """The problems, the cueing warnings and the cueing figures of a modules root or one module folder."""
    problems = check_path(path)
    if path.is_dir() and is_module_dir(path):
        module, _ = load_module_dir(path)
        course, root = Course((module,) if module else ()), path.parent
    else:
        course, _ = load_course(path)
        root = path
    warnings, figures = check_course_cueing(root, course)
    return problems, warnings, figures


def report_lines(problems: list[Problem], warnings: list[Problem], figures: CueingFigures, path: Path,
                 strict: bool) -> tuple[list[str], list[str]]:
    """What the check prints: (problems and the summary for stdout, cueing warnings and figures for stderr).

    With --strict the warnings are problems like any other and go to stdout.
    """
    out = [str(p) for p in problems] + ([str(w) for w in warnings] if strict else [])
    out.append(summary(problems + (warnings if strict else []), path))
    err = [] if strict else [f"warning: {w}" for w in warnings]
    err.append(figures.summary() + ("" if strict else f"; {len(warnings)} cueing warning(s) (errors with --strict)"))
    return out, err


def main(argv: list[str] | None = None) -> int:
    """Print every problem and cueing warning, then the figures and a summary; exit 1 on any problem."""
    parser = argparse.ArgumentParser(prog="python -m lms.content.check", description=__doc__)
    parser.add_argument("path", type=Path, help="content/modules, or one module folder such as content/modules/07-x")
    parser.add_argument("--strict", action="store_true", help="count cueing warnings as problems")
    args = parser.parse_args(argv)
    problems, warnings, figures = check_with_cueing(args.path)
    out, err = report_lines(problems, warnings, figures, args.path, args.strict)
    print("\n".join(err), file=sys.stderr)
    print("\n".join(out))
    return 1 if problems or (args.strict and warnings) else 0


if __name__ == "__main__":
    sys.exit(main())
