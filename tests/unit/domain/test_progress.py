"""Module status, the current grade from the ledger, overall completion and the progress series: pure rules."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from lms.domain.progress import (
    GradeSource,
    LedgerEntry,
    ModuleStatus,
    ModuleWork,
    cumulative_series,
    current_grade,
    module_status,
    overall_percent,
)

T0 = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)
C, R, O, X = GradeSource.COMPUTED, GradeSource.REGRADE, GradeSource.OVERRIDE, GradeSource.OVERRIDE_CLEARED
V = GradeSource.REVIEW_REGRADE  # an instructor regraded a written answer


def work(lessons=(3, 0), cases=(1, 0), any_attempt=False, grade=None, pass_mark=5.0) -> ModuleWork:
    """A module's work: (lessons total, studied), (required cases, submitted), the grade."""
    return ModuleWork(lessons[0], lessons[1], cases[0], cases[1], any_attempt, grade, pass_mark)


# --- module status ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("module_work", "status"),
    [
        pytest.param(work(), ModuleStatus.NOT_STARTED, id="nothing done"),
        pytest.param(work(lessons=(0, 0), cases=(0, 0)), ModuleStatus.NOT_STARTED, id="empty module"),
        pytest.param(work(lessons=(3, 1)), ModuleStatus.IN_PROGRESS, id="one lesson studied"),
        pytest.param(work(any_attempt=True), ModuleStatus.IN_PROGRESS, id="attempt started, nothing finished"),
        pytest.param(work(lessons=(3, 3)), ModuleStatus.IN_PROGRESS, id="lessons done, case not submitted"),
        pytest.param(work(lessons=(3, 2), cases=(1, 1), any_attempt=True, grade=9.0), ModuleStatus.IN_PROGRESS,
                     id="a good grade does not complete unstudied lessons"),
        pytest.param(work(lessons=(3, 3), cases=(1, 1), any_attempt=True), ModuleStatus.COMPLETED,
                     id="completed, written answer awaits a grade"),
        pytest.param(work(lessons=(3, 3), cases=(1, 1), any_attempt=True, grade=5.0), ModuleStatus.PASSED,
                     id="passed at exactly the pass mark"),
        pytest.param(work(lessons=(3, 3), cases=(1, 1), any_attempt=True, grade=4.9), ModuleStatus.NOT_PASSED,
                     id="not passed just under the pass mark"),
        pytest.param(work(lessons=(3, 3), cases=(1, 1), any_attempt=True, grade=0.0), ModuleStatus.NOT_PASSED,
                     id="zero is a grade, not a missing one"),
        pytest.param(work(lessons=(3, 3), cases=(1, 1), any_attempt=True, grade=6.9, pass_mark=7.0),
                     ModuleStatus.NOT_PASSED, id="custom pass mark, just under"),
        pytest.param(work(lessons=(3, 3), cases=(1, 1), any_attempt=True, grade=7.0, pass_mark=7.0),
                     ModuleStatus.PASSED, id="custom pass mark, exactly"),
        pytest.param(work(lessons=(2, 2), cases=(0, 0), grade=None), ModuleStatus.COMPLETED,
                     id="lessons only, no grade"),
        pytest.param(work(lessons=(2, 5), cases=(1, 3), any_attempt=True, grade=8.0), ModuleStatus.PASSED,
                     id="counts above the totals are capped"),
    ],
)
def test_module_status(module_work, status):
    assert module_status(module_work) == status


@pytest.mark.parametrize(
    ("module_work", "done", "total", "percent"),
    [
        (work(), 0, 4, 0),
        (work(lessons=(3, 1)), 1, 4, 25),
        (work(lessons=(3, 3), cases=(1, 1)), 4, 4, 100),
        (work(lessons=(3, 9), cases=(1, 0)), 3, 4, 75),
        (work(lessons=(0, 0), cases=(0, 0)), 0, 0, 0),
        (work(lessons=(2, 1), cases=(1, 0)), 1, 3, 33),
    ],
)
def test_module_work_counts_and_percent(module_work, done, total, percent):
    assert (module_work.items_done, module_work.items_total, module_work.percent) == (done, total, percent)


# --- the current grade from the ledger -------------------------------------------------------------


def ledger(*rows: tuple[GradeSource, float | None]) -> list[LedgerEntry]:
    """Entries one hour apart, ids in order."""
    return [LedgerEntry(i, score, source, T0 + timedelta(hours=i)) for i, (source, score) in enumerate(rows, 1)]


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        pytest.param([], None, id="empty ledger"),
        pytest.param([(C, 6.0)], (C, 6.0), id="one computed"),
        pytest.param([(C, 6.0), (C, 8.0)], (C, 8.0), id="latest computed"),
        pytest.param([(C, 8.0), (C, 6.0)], (C, 6.0), id="latest computed even if lower"),
        pytest.param([(C, 6.0), (R, 7.5)], (R, 7.5), id="a regrade counts as computed"),
        pytest.param([(C, 6.0), (V, 4.5)], (V, 4.5), id="a written answer regraded counts as computed"),
        pytest.param([(C, 6.0), (O, 9.0), (V, 4.5)], (O, 9.0), id="override wins over a later written regrade"),
        pytest.param([(C, 6.0), (O, 9.0), (V, 4.5), (X, None)], (V, 4.5),
                     id="override cleared returns to the written regrade"),
        pytest.param([(C, 6.0), (O, 9.0)], (O, 9.0), id="override wins"),
        pytest.param([(C, 6.0), (O, 9.0), (C, 3.0)], (O, 9.0), id="override wins over later computed"),
        pytest.param([(C, 6.0), (O, 9.0), (R, 3.0)], (O, 9.0), id="override wins over a later regrade"),
        pytest.param([(C, 6.0), (O, 9.0), (C, 3.0), (X, None)], (C, 3.0),
                     id="override cleared returns to latest computed"),
        pytest.param([(C, 6.0), (O, 9.0), (O, 4.0)], (O, 4.0), id="newer override replaces older"),
        pytest.param([(C, 6.0), (O, 9.0), (X, None), (O, 2.0)], (O, 2.0), id="override after a clear"),
        pytest.param([(O, 7.0)], (O, 7.0), id="override without attempts"),
        pytest.param([(O, 7.0), (X, None)], None, id="cleared override with nothing computed"),
        pytest.param([(X, None)], None, id="a stray clear"),
    ],
)
def test_current_grade(rows, expected):
    entry = current_grade(ledger(*rows))
    assert (None if entry is None else (entry.source, entry.score)) == expected


def test_current_grade_orders_by_time_then_id_not_by_input_order():
    same_moment = T0 + timedelta(hours=5)
    entries = [LedgerEntry(4, 9.0, O, same_moment), LedgerEntry(3, 2.0, C, T0), LedgerEntry(5, None, X, same_moment),
               LedgerEntry(2, 1.0, C, T0 - timedelta(days=1))]
    assert current_grade(entries).id == 3


def test_current_grade_accepts_any_iterable():
    assert current_grade(iter(ledger((C, 6.0), (O, 8.5)))).score == 8.5


# --- overall completion and the series for the chart -----------------------------------------------


@pytest.mark.parametrize(
    ("works", "percent"),
    [
        ([], 0),
        ([work(lessons=(0, 0), cases=(0, 0))], 0),
        ([work(), work()], 0),
        ([work(lessons=(3, 3), cases=(1, 1)), work()], 50),
        ([work(lessons=(3, 1), cases=(1, 0)), work(lessons=(1, 1), cases=(1, 1))], 50),  # 3 of 6
        ([work(lessons=(2, 1), cases=(0, 0))] * 3, 50),
        ([work(lessons=(2, 2), cases=(1, 0))], 67),  # 2 of 3 rounds to 67
        ([work(lessons=(3, 3), cases=(1, 1))] * 18, 100),
        ([work(lessons=(1, 9), cases=(1, 9)), work()], 33),  # capped: 2 of 6
    ],
)
def test_overall_percent(works, percent):
    assert overall_percent(works) == percent


@pytest.mark.parametrize(
    ("offsets", "expected"),
    [
        ([], []),
        ([0], [(0, 1)]),
        ([2, 0, 1], [(0, 1), (1, 2), (2, 3)]),
        ([1, 1], [(1, 1), (1, 2)]),  # two pieces of work at the same moment both count
    ],
)
def test_cumulative_series(offsets, expected):
    events = [T0 + timedelta(days=d) for d in offsets]
    assert cumulative_series(events) == [(T0 + timedelta(days=d), n) for d, n in expected]


def test_cumulative_series_accepts_a_generator():
    assert [n for _, n in cumulative_series(T0 + timedelta(hours=h) for h in (3, 1, 2))] == [1, 2, 3]


def test_classification_bands_are_configurable():
    """Bands come from configuration and are passed in; nothing process-wide changes."""
    from lms.domain.scoring import classify, make_bands

    bands = make_bands({"excellent": 9.5, "good": 8.5})
    assert classify(9.2, bands) == "good" and classify(9.5, bands) == "excellent" and classify(8.2, bands) == "fair"
    with pytest.raises(ValueError):
        make_bands({"good": 9.8})
    assert classify(9.0) == "excellent"


def test_an_override_settles_the_status_whatever_work_is_left():
    from lms.domain.progress import ModuleStatus, ModuleWork, module_status

    unfinished = dict(lessons_total=3, lessons_studied=1, required_cases=2, required_submitted=0, any_attempt=False)
    assert module_status(ModuleWork(**unfinished, grade=6.0)) == ModuleStatus.IN_PROGRESS
    assert module_status(ModuleWork(**unfinished, grade=6.0, overridden=True)) == ModuleStatus.PASSED
    assert module_status(ModuleWork(**unfinished, grade=4.0, overridden=True)) == ModuleStatus.NOT_PASSED
