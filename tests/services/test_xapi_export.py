"""`flask xapi export`: the stored statements of a period (and a cohort) as JSON lines, each validated first."""
from __future__ import annotations

import json
from datetime import timedelta

import pytest
from flask import current_app
from sqlalchemy import select

from lms.extensions import db
from lms.lessons.services import mark_studied
from lms.models import Role, XapiStatement
from lms.xapi.validation import statement_problems
from tests.document_helpers import pass_module, run_cli
from tests.services.conftest import add_lesson


@pytest.fixture
def two_cohorts(make_user, make_cohort, make_case, now):
    """Two learners in two cohorts: one passed a module on the 26th (Hanoi time), the other studied a lesson on the
    27th."""
    first, second = make_user(Role.LEARNER), make_user(Role.LEARNER)
    cohorts = make_cohort(learners=[first]), make_cohort(learners=[second])
    case = make_case()
    pass_module(first, case, now)
    mark_studied(second, add_lesson(case.module, now), now + timedelta(days=1))
    db.session.commit()
    return cohorts


def lines(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def test_every_statement_is_exported_as_one_valid_json_line(app, two_cohorts):
    result = run_cli(app, "xapi", "export")
    assert result.exit_code == 0, result.output
    exported = lines(result.stdout)
    stored = db.session.scalars(select(XapiStatement).order_by(XapiStatement.id)).all()
    assert [s["id"] for s in exported] == [row.statement_id for row in stored] and len(exported) == 7
    assert all(statement_problems(s) == [] for s in exported)
    assert "7 statement(s) written" in result.stderr


def test_a_period_and_a_cohort_narrow_the_export(app, two_cohorts, tmp_path):
    first, second = two_cohorts
    only_26 = run_cli(app, "xapi", "export", "--since", "2026-11-26", "--until", "2026-11-26")
    assert {s["verb"]["id"].rsplit("/", 1)[-1] for s in lines(only_26.stdout)} == {"attempted", "answered", "completed",
                                                                                     "passed"}
    from_27 = run_cli(app, "xapi", "export", "--since", "2026-11-27T00:00+07:00")
    assert [s["verb"]["id"].rsplit("/", 1)[-1] for s in lines(from_27.stdout)] == ["experienced"]
    target = tmp_path / "k2.jsonl"
    to_file = run_cli(app, "xapi", "export", "--cohort", second.id, "--output", target)
    assert to_file.exit_code == 0 and to_file.stdout == ""
    assert [s["verb"]["id"].rsplit("/", 1)[-1] for s in lines(target.read_text(encoding="utf-8"))] == ["experienced"]


@pytest.mark.parametrize(("args", "message"), [
    (("--since", "26/11/2026"), "'26/11/2026' is not a date (YYYY-MM-DD)"),
    (("--until", "2026-02-30"), "'2026-02-30' is not a date"),
    (("--since", "2026-11-27", "--until", "2026-11-26T12:00"), "--since must come before --until"),
    (("--cohort", "999"), "no cohort has the id 999"),
])
def test_a_bad_date_or_cohort_is_refused_with_a_clear_message(app, args, message):
    result = run_cli(app, "xapi", "export", *args)
    assert result.exit_code == 2 and message in result.output, result.output


def test_a_statement_that_breaks_the_rules_is_reported_and_left_out(app, two_cohorts):
    row = db.session.scalars(select(XapiStatement).order_by(XapiStatement.id)).first()
    row.payload = {**row.payload, "timestamp": "hôm qua"}
    db.session.commit()
    result = run_cli(app, "xapi", "export")
    assert result.exit_code == 1 and len(lines(result.stdout)) == 6
    assert f"statement {row.statement_id} left out: timestamp:" in result.stderr


def test_send_and_status_say_what_they_did(app, two_cohorts, monkeypatch):
    monkeypatch.setitem(current_app.config, "XAPI_LRS_URL", None)
    refused = run_cli(app, "xapi", "send")
    assert refused.exit_code == 1 and "XAPI_LRS_URL is not set" in refused.output
    assert run_cli(app, "xapi", "status").output.strip() == "sent 0, waiting 7, refused by the store 0"
