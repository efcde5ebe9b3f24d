"""Grading throughput per question type, and a whole attempt."""
from __future__ import annotations

from pathlib import Path

from bench.common import timed
from lms.content.validate_case import parse_case_text
from lms.domain.grading import grade
from lms.domain.scoring import score_attempt

FIXTURE = Path(__file__).resolve().parents[1] / "tests" / "case_fixture.md"
RESPONSES = {"q1": {"choice": "a"}, "q2": {"order": ["a", "b", "c"]}, "q3": {"choices": ["a", "b"]},
             "q4": {"best": "a", "worst": "b"}}
N = 20_000


def run() -> None:
    """Print gradings per second for each type and attempts scored per second."""
    case, _ = parse_case_text(FIXTURE.read_text(encoding="utf-8"), "bench")
    questions = {q.id: q for s in case.stages for q in s.questions}
    print(f"{'question':<12}{'type':<14}{'gradings/s':>12}")
    for qid, response in RESPONSES.items():
        seconds, _ = timed(lambda q=questions[qid], r=response: [grade(q, r) for _ in range(N)], repeat=3)
        print(f"{qid:<12}{questions[qid].type:<14}{N / seconds:>12,.0f}")
    full = {"q1": {"choice": "a"}, "q2": RESPONSES["q2"], "q3": RESPONSES["q3"]}
    seconds, _ = timed(lambda: [score_attempt(case, full) for _ in range(N // 4)], repeat=3)
    print(f"whole attempt (3 questions, branching): {N / 4 / seconds:,.0f} attempts scored/s")
