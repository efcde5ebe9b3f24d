"""The audit log's wording: every action code lms records has a label, and details read as `key: value`."""
from __future__ import annotations

import re
from pathlib import Path

from lms.admin.audit_wording import ACTIONS, TARGET_TYPES, details_text

LMS = Path(__file__).resolve().parents[2] / "lms"
RECORD = re.compile(r"audit\.record\(\s*[^,]+,\s*(?P<action>[^,]+?),\s*(?P<target>[^,]+?),", re.S)
CODE = re.compile(r'"([a-z_]+\.[a-z_]+)"')


def recorded() -> tuple[set[str], set[str]]:
    """The action codes and target types written literally in the calls to audit.record across lms/; a code built
    from a variable (f"{kind}.published") is taken with each literal target type it is used with."""
    actions, targets = set(), set()
    for path in LMS.rglob("*.py"):
        for call in RECORD.finditer(path.read_text(encoding="utf-8")):
            actions |= set(CODE.findall(call["action"]))
            targets |= set(re.findall(r'"([a-z_]+)"', call["target"]))
    return actions, targets


def test_every_recorded_action_and_target_type_has_a_label():
    actions, targets = recorded()
    assert len(actions) > 40  # the scan found the calls
    assert actions - ACTIONS.keys() == set()
    assert targets - TARGET_TYPES.keys() == set()


def test_published_and_uploaded_lessons_and_cases_have_labels():
    """Their codes are built from the kind (lms/authoring/services.py), so the scan above cannot see them."""
    assert {f"{kind}.{verb}" for kind in ("lesson", "case") for verb in ("published", "uploaded")} <= ACTIONS.keys()


def test_details_read_as_key_value_pairs_with_long_values_cut():
    assert details_text({"name": "Lớp A", "scopes": ["read", "enrol"], "version": None}) == \
        "name: Lớp A; scopes: read, enrol; version: —"
    assert details_text({"reason": "x" * 100}, limit=10) == "reason: " + "x" * 9 + "…"
    assert details_text({}) == "" and details_text(None) == ""
