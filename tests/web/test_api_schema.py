"""schemathesis against the served OpenAPI document: every operation, with a read token and an enrol token, real
and generated ids, valid and invalid input. No answer is a server error, and every answer (status, content type,
body) is the one the document describes. A fixed seed and a bounded number of examples keep it short."""
from __future__ import annotations

from datetime import timedelta
from itertools import product

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from werkzeug.datastructures import MultiDict

from lms.extensions import db
from lms.models import Role
from lms.schedule.services import grant_extension
from lms.transcripts.issuer import keyring, verify_url
from lms.transcripts.issuer import settings as document_settings
from lms.transcripts.services import issue
from tests.conftest import play_attempt
from tests.web.api_tokens import bearer, make_token

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance]
EXAMPLES = 5  # per operation, token, mode and kind of id: about 300 calls per database


@pytest.fixture
def api_world(app, make_user, make_cohort, make_case, now):
    """A cohort with a learner who submitted the case (graded, so the item analysis has rows), an issued transcript,
    an extension, and the two tokens."""
    admin = make_user(Role.ADMIN)
    learner = make_user(Role.LEARNER)
    cohort = make_cohort(learners=[learner])
    case = make_case()
    play_attempt(learner, case, [MultiDict({"q-q1": "c"}), MultiDict({"q-q4-best": "a", "q-q4-worst": "b",
                                                                       "q-q5-text": "Đối thoại."})], now)
    document = issue(learner, cohort, "transcript", None, now, keyring(), document_settings(), verify_url)
    grant_extension(cohort, learner, "essay", None, now + timedelta(days=7), None, "Ốm", admin, now)
    db.session.commit()
    return {"ids": {"cohort_id": cohort.id, "user_id": learner.id, "code": document.code},
            "tokens": {scope: make_token(admin, scope, now) for scope in ("read", "enrol")}}


# A roster row the roster's own rules accept (generated text rarely makes a valid username or e-mail address).
VALID_BODIES = {"/api/v1/cohorts/{cohort_id}/enrolments": st.builds(
    lambda n: {"learners": [{"full_name": "Nguyễn Văn An", "identifier": f"hv{n}", "commune": "Phường Láng"}]},
    st.integers(100, 999)),
    # an extension needs a date and a reason, which generated bodies seldom have together
    "/api/v1/cohorts/{cohort_id}/learners/{user_id}/extensions": st.builds(
        lambda days: {"kind": "essay", "due_at": f"2027-03-{days:02d}T23:59:00+07:00", "reason": "Ốm"},
        st.integers(1, 28))}


def _cases(operation, ids: dict):
    """Generated cases: the world's real ids or generated ones, valid or invalid input."""
    real = {name: value for name, value in ids.items()
            if name in {p.name for p in operation.path_parameters}}
    invalid = [GenerationMode.NEGATIVE] if len(operation.query) or len(operation.body) or real else []
    strategies = [operation.as_strategy(mode, path_parameters=fixed)
                  for mode in [GenerationMode.POSITIVE, *invalid]
                  for fixed in ([real, None] if real else [None])]
    if operation.path in VALID_BODIES:
        strategies.append(VALID_BODIES[operation.path].flatmap(
            lambda body: operation.as_strategy(path_parameters=real, body=body)))
    return strategies


def test_every_operation_answers_as_documented(app, api_world):
    app.config["API_RATE_LIMIT"] = 100_000
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10
    seen: set[tuple[str, int]] = set()
    try:
        for operation in operations:
            for token, cases in product(api_world["tokens"].values(), _cases(operation, api_world["ids"])):
                @settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
                          suppress_health_check=list(HealthCheck))
                @given(case=cases)
                def conforms(case):
                    response = case.call_and_validate(headers={**bearer(token), "Accept-Encoding": "identity"},
                                                      checks=CHECKS)
                    seen.add((operation.label, response.status_code))

                conforms()
    finally:
        app.config["API_RATE_LIMIT"] = 120
    # The run reached the real resources with the right token, and refused wrong input and the wrong scope.
    answered = {label for label, status in seen if status == 200}
    assert answered == {op.label for op in operations}, sorted({op.label for op in operations} - answered)
    assert {status for _label, status in seen} >= {200, 403, 404, 422}
