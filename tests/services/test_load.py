"""The reconciled load run in short form (bench/load.py; `make bench` runs it with 50 learners): gunicorn with
2 workers, learners saving, autosaving from stale tabs, tapping "Tiếp tục" twice and submitting while an
instructor grades the same chuyên đề; then every acknowledged action is checked against the database."""
from __future__ import annotations

import os

import pytest

from bench.load import run_load
from tests.conftest import DATABASES

LEARNERS = 12


@pytest.mark.parametrize("database", DATABASES)
def test_nothing_acknowledged_is_lost_or_duplicated_under_load(database, monkeypatch):
    if database == "postgresql":
        monkeypatch.setenv("PG_URL", os.environ["TEST_DATABASE_URL"])
    result = run_load(database, LEARNERS)
    assert result["client_errors"] == [] and result["server_errors"] == 0 and result["broken"] == 0, result
    assert result["lost_answers"] == 0 and result["lost_grades"] == 0 and result["duplicated"] == 0, result
    assert result["actions"] == 9 * LEARNERS  # 8 saves and submits per learner, and each grading, acknowledged
    assert result["graded_attempts"] == 2 * LEARNERS and result["module_grades"] == LEARNERS
