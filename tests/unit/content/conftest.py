"""Fixtures for the content tests: a valid example course on disk and a link index."""
from __future__ import annotations

from pathlib import Path

import pytest

from lms.content.links import LinkIndex
from tests.unit.content.builders import example_course, write_course


@pytest.fixture
def course_dir(tmp_path: Path) -> Path:
    """A valid two-module course under tmp_path/modules."""
    return write_course(tmp_path / "modules", example_course())


@pytest.fixture
def index() -> LinkIndex:
    """What internal links in the tests may point to."""
    return LinkIndex(modules=frozenset({"01-ly-luan", "02-he-thong"}),
                     lessons={"01-ly-luan": frozenset({"01-mot", "02-hai"}), "02-he-thong": frozenset({"01-to-chuc"})},
                     cases=frozenset({"hai-ho-tranh-chap"}),
                     media={"01-ly-luan": frozenset({"so-do.png"}), "02-he-thong": frozenset()})
