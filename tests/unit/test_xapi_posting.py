"""What the forwarder makes of each answer of a learning record store (a scripted transport, no app, no network)."""
from __future__ import annotations

import pytest

from lms.xapi.forwarder import LrsUnavailable, Outcome, Pending, _post

BATCH = [Pending(i, f"id-{i}", {"id": f"id-{i}"}) for i in range(3)]


def scripted(*answers: int):
    """A transport answering these statuses in turn, recording the ids of each post."""
    posts: list[list[str]] = []

    def post(statements: list[dict]) -> int:
        posts.append([s["id"] for s in statements])
        return answers[len(posts) - 1]

    return post, posts


def sent(*answers: int) -> tuple[Outcome, list[list[str]]]:
    transport, posts = scripted(*answers)
    outcome = Outcome([], [])
    _post(transport, BATCH, outcome)
    return outcome, posts


@pytest.mark.parametrize("status", [200, 204])
def test_an_accepted_batch_is_sent_in_one_post(status):
    outcome, posts = sent(status)
    assert [p.id for p in outcome.accepted] == [0, 1, 2] and posts == [["id-0", "id-1", "id-2"]]


def test_a_batch_refused_for_a_known_id_is_split_and_the_known_one_counts_as_delivered():
    outcome, posts = sent(409, 409, 200, 204)
    assert posts == [["id-0", "id-1", "id-2"], ["id-0"], ["id-1"], ["id-2"]]
    assert [p.id for p in outcome.accepted] == [0, 1, 2] and outcome.rejected == []


def test_an_invalid_statement_is_found_by_splitting_and_set_aside_alone():
    outcome, _posts = sent(400, 200, 400, 200)
    assert [p.id for p in outcome.accepted] == [0, 2] and [(p.id, s) for p, s in outcome.rejected] == [(1, 400)]


@pytest.mark.parametrize("status", [500, 502, 503, 401, 403, 429])
def test_a_failing_or_refusing_store_keeps_the_batch_for_a_retry(status):
    transport, _posts = scripted(status)
    outcome = Outcome([], [])
    with pytest.raises(LrsUnavailable, match=f"HTTP {status}"):
        _post(transport, BATCH, outcome)
    assert outcome.accepted == [] and outcome.rejected == []


def test_a_store_that_fails_halfway_through_a_split_keeps_what_it_took():
    transport, _posts = scripted(409, 200, 503)
    outcome = Outcome([], [])
    with pytest.raises(LrsUnavailable):
        _post(transport, BATCH, outcome)
    assert [p.id for p in outcome.accepted] == [0]  # recorded as sent; the other two wait
