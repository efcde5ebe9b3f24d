"""The feedback questionnaire's rules: reading a filled-in form, who may answer, the anonymity threshold and the
figures staff see."""
from __future__ import annotations

from datetime import date

import pytest

from lms.domain.feedback import (
    ITEM_KEYS,
    ITEMS,
    MIN_RESPONSES_SHOWN,
    SCALE_LABELS,
    SUGGESTION_MAX_CHARS,
    Answers,
    Problem,
    may_give_course_feedback,
    may_give_module_feedback,
    read_answers,
    response_rate,
    summarize,
)
from lms.domain.progress import ModuleStatus

PASSED, NOT_PASSED = ModuleStatus.PASSED, ModuleStatus.NOT_PASSED


def answers(*scores, suggestion=None) -> Answers:
    """Answers with these scores for the items in order (the rest blank)."""
    return Answers(dict(zip(ITEM_KEYS, (*scores, *[None] * len(ITEM_KEYS)))), suggestion)


def test_the_questionnaire_has_five_items_on_a_five_level_scale():
    assert len(ITEMS) == 5 and len(set(ITEM_KEYS)) == 5
    assert SCALE_LABELS[1] == "Rất không đồng ý" and SCALE_LABELS[5] == "Rất đồng ý" and len(SCALE_LABELS) == 5
    assert MIN_RESPONSES_SHOWN == 5 and SUGGESTION_MAX_CHARS == 2000


def test_a_form_is_read_with_blanks_as_none_and_the_suggestion_cleaned():
    read, problems = read_answers({"useful": "5", "realistic": " 3 ", "applicable": "", "suggestion": "  Thêm\r\nví dụ  "})
    assert problems == []
    assert read.scores == {"useful": 5, "realistic": 3, "applicable": None, "instructors": None, "workload": None}
    assert read.suggestion == "Thêm\nví dụ"


def test_only_the_suggestion_is_enough_and_only_one_score_is_enough():
    assert read_answers({"suggestion": "Cần thêm tình huống về đất đai."})[1] == []
    assert read_answers({"workload": "1"})[1] == []


@pytest.mark.parametrize("form", [{}, {key: "" for key in ITEM_KEYS}, {"suggestion": " \r\n "}])
def test_an_empty_form_is_refused(form):
    assert read_answers(form)[1] == [(Problem.NOTHING_ANSWERED, {})]


@pytest.mark.parametrize("value", ["0", "6", "-1", "3.5", "ba", "٣", "99999999999999999999", "1e309"])
def test_a_value_off_the_scale_is_refused_by_item(value):
    read, problems = read_answers({"useful": "4", "instructors": value})
    assert problems == [(Problem.NOT_ON_SCALE, {"item": "instructors"})]
    assert read.scores["instructors"] is None and read.scores["useful"] == 4


def test_a_suggestion_over_the_limit_is_refused_and_kept_to_show_again():
    text = "ệ" * SUGGESTION_MAX_CHARS + "x"
    read, problems = read_answers({"suggestion": text})
    assert problems == [(Problem.SUGGESTION_TOO_LONG, {"length": SUGGESTION_MAX_CHARS + 1,
                                                        "limit": SUGGESTION_MAX_CHARS})]
    assert read.suggestion == text


def test_the_limit_counts_letters_not_decomposed_marks_or_crlf_pairs():
    decomposed = "e\u0302\u0323" * SUGGESTION_MAX_CHARS  # "ệ" typed as three code points
    assert read_answers({"suggestion": decomposed})[1] == []
    assert read_answers({"suggestion": "a\r\n" * 999 + "a"})[1] == []  # 1,999 characters once CRLF is one


@pytest.mark.parametrize(("status", "may"), [(PASSED, True), (NOT_PASSED, False), (ModuleStatus.COMPLETED, False),
                                             (ModuleStatus.IN_PROGRESS, False), (ModuleStatus.NOT_STARTED, False)])
def test_feedback_on_a_chuyen_de_opens_once_it_is_passed(status, may):
    assert may_give_module_feedback(status) is may


@pytest.mark.parametrize(("statuses", "ends_on", "may"), [
    ([PASSED, PASSED], None, True),
    ([PASSED, NOT_PASSED], None, False),
    ([PASSED, NOT_PASSED], date(2027, 1, 31), True),  # the cohort has ended: whatever was passed
    ([PASSED, NOT_PASSED], date(2027, 2, 1), False),  # ends today: still running
    ([], None, False),
])
def test_feedback_on_the_course_opens_when_all_is_passed_or_the_cohort_has_ended(statuses, ends_on, may):
    assert may_give_course_feedback(statuses, ends_on, date(2027, 2, 1)) is may


def test_below_the_threshold_only_the_count_is_known():
    summary = summarize([answers(5, suggestion="Tên tôi là A")] * (MIN_RESPONSES_SHOWN - 1))
    assert summary.responses == MIN_RESPONSES_SHOWN - 1 and not summary.shown
    assert summary.items == () and summary.suggestions == ()


def test_the_figures_per_item_mean_to_one_decimal_and_distribution():
    summary = summarize([answers(5, 4), answers(4, 4), answers(4, None), answers(2, 1), answers(3, None, 5)])
    assert summary.shown and summary.responses == 5
    useful, realistic, applicable, instructors, _workload = summary.items
    assert useful.counts == (0, 1, 1, 2, 1) and useful.answered == 5 and useful.mean == 3.6
    assert realistic.counts == (1, 0, 0, 2, 0) and realistic.answered == 3 and realistic.mean == 3.0
    assert applicable.answered == 1 and applicable.mean == 5.0
    assert instructors.answered == 0 and instructors.mean is None and instructors.counts == (0, 0, 0, 0, 0)


def test_the_mean_rounds_half_up():
    assert round(3.55, 1) == 3.5  # the float rounding this must not follow
    assert summarize([answers(4)] * 11 + [answers(3)] * 9).items[0].mean == 3.6  # 3.55
    assert summarize([answers(1)] * 3 + [answers(2)] * 17).items[0].mean == 1.9  # 1.85


def test_suggestions_come_in_vietnamese_dictionary_order_not_as_they_came():
    texts = ["Nên thêm bài về Đất đai", "Bài dài quá", "Đề nghị thêm tình huống", "Cần ví dụ", None]
    summary = summarize([answers(3, suggestion=text) for text in texts])
    assert summary.suggestions == ("Bài dài quá", "Cần ví dụ", "Đề nghị thêm tình huống", "Nên thêm bài về Đất đai")


def test_the_response_rate_in_percent():
    assert response_rate(7, 30) == 23 and response_rate(0, 0) == 0 and response_rate(30, 30) == 100
