"""`next` after sign-in goes only to a path on this site: a corpus of known open-redirect bypasses."""
from __future__ import annotations

import pytest

from lms.auth.access import is_same_site_path

BYPASSES = [
    "//evil.example", "///evil.example", "/\t/evil.example", "/%09/evil.example".replace("%09", "\t"),
    "/\\evil.example", "\\\\evil.example", "https://evil.example", "http:/evil.example", "javascript:alert(1)",
    "/\n/evil.example", "/\r/evil.example", " /evil", "evil.example", "//evil.example/%2f..", "/\x00/evil",
    "", "\u2028/evil",
]
SAFE = ["/", "/progress", "/cases/tranh-chap?x=1", "/modules/07-x/lessons/01-a#studied", "/search?q=%C4%91%E1%BA%A5t"]


@pytest.mark.parametrize("target", BYPASSES)
def test_targets_that_leave_the_site_are_refused(target):
    assert not is_same_site_path(target)


@pytest.mark.parametrize("target", SAFE)
def test_paths_on_this_site_are_kept(target):
    assert is_same_site_path(target)



@pytest.mark.parametrize(("value", "written"), [("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"), ("+1", "'+1"),
                                                ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"), ("Nguyễn Văn An", "Nguyễn Văn An"),
                                                (8.5, 8.5)])
def test_every_export_writes_formula_safe_cells(value, written):
    """One rule for every CSV/XLSX the app writes (gradebook, item analysis, the cohort ZIP's summary)."""
    from lms.spreadsheets import safe_cell

    assert safe_cell(value) == written
