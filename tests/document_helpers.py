"""Shared steps for the issued-documents tests: passing a module by playing its case, issuing, the CLI."""
from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from lms.cases import services as attempts
from lms.extensions import db
from lms.models import Case, Cohort, IssuedDocument, Role, User
from lms.transcripts import issuer, services
from tests.conftest import EXPERT_PATH

NHUNG = "Nguyễn Thị Hồng Nhung"
AN = "Trần Văn Ân"
COHORT_NAME = "Lớp K12 – Hà Nội"
COMMUNE = "Phường Hoàn Kiếm"
GOOD_PATH = EXPERT_PATH


def pass_module(learner: User, case: Case, now: datetime) -> None:
    """Play the case's expert path and submit it: the module is passed with 10.0 (the learner must be enrolled)."""
    attempt = attempts.start_attempt(learner, case, now)
    for index, form in enumerate(GOOD_PATH):
        attempts.save_answers(attempt, attempts.read_answers(attempt, form), now)
        last = index == len(GOOD_PATH) - 1
        errors = attempts.submit_attempt(attempt, now) if last else attempts.advance(attempt, now)
        assert errors in ({}, {"_stage": "not_final"}), errors
    db.session.commit()


def issue(user: User, cohort: Cohort, now: datetime, kind: str = "transcript",
          actor: User | None = None) -> IssuedDocument:
    """Issue (or reuse) the document through the service, with the app's keys and settings, and commit."""
    document = services.issue(user, cohort, kind, actor, now, issuer.keyring(), issuer.settings(), issuer.verify_url)
    db.session.commit()
    return document


def fake_pdf(document, settings) -> bytes:
    """A stand-in for the PDF renderer (monkeypatch lms.transcripts.batch.render_document_pdf): costs nothing."""
    return b"%PDF-fake " + document.code.encode("ascii")


def write_json(path: Path, data) -> Path:
    """Save a credential (or key set) as the web downloads it: UTF-8, Vietnamese letters as themselves."""
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True), encoding="utf-8")
    return path


def run_cli(app, *args: str):
    """Run a `flask ...` command in the test's app context; returns click's result."""
    return app.test_cli_runner().invoke(args=[str(arg) for arg in args])


@pytest.fixture
def instructor(make_user):
    return make_user(Role.INSTRUCTOR, full_name="Phạm Quang Giảng")


@pytest.fixture
def learner(make_user):
    return make_user(Role.LEARNER, full_name=NHUNG)
