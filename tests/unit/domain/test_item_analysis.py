"""Item statistics against a hand-computed example: facility, discrimination, upper-lower index, flags."""
from __future__ import annotations

import pytest

from lms.domain.item_analysis import ItemResponse, analyse, group_size, pearson

RATINGS = {"a": 4, "b": 3, "c": 1}


def response(points: float, case_points: float, chosen: str) -> ItemResponse:
    """A 1-point question inside a 4-point case."""
    return ItemResponse(points, 1.0, (chosen,), case_points, 4.0)


# Five attempts. Item shares x = 1, 1, 0.5, 0, 0; case totals 4, 3, 2.5, 1, 0;
# rest of the case (total - item) / 3 = 1, 2/3, 2/3, 1/3, 0.
FIVE = [response(1, 4, "a"), response(1, 3, "a"), response(0.5, 2.5, "b"), response(0, 1, "c"), response(0, 0, "c")]


def test_facility_is_the_mean_share_of_the_maximum():
    assert analyse(FIVE, RATINGS).facility == pytest.approx(2.5 / 5)


def test_discrimination_is_the_correlation_with_the_rest_of_the_case():
    # x = [1, 1, .5, 0, 0] (mean .5), y = [1, 2/3, 2/3, 1/3, 0] (mean 8/15);
    # sum dx*dy = .5*(7/15) + .5*(2/15) + 0 + (-.5)(-3/15) + (-.5)(-8/15) = 20/30 = 2/3
    # sum dx^2 = 1; sum dy^2 = (49 + 4 + 4 + 9 + 64) / 225 = 130/225  ->  r = (2/3) / sqrt(130/225) = 0.877
    assert analyse(FIVE, RATINGS).discrimination == pytest.approx((2 / 3) / (130 / 225) ** 0.5)


def test_the_upper_lower_index_compares_the_strongest_and_weakest_27_percent():
    assert group_size(5) == 1 and group_size(100) == 27
    assert analyse(FIVE, RATINGS).upper_lower == pytest.approx(1.0 - 0.0)


def test_option_counts_and_flags():
    stats = analyse(FIVE, RATINGS)
    assert [(o.option_id, o.chosen, o.chosen_by_upper) for o in stats.options] == [("a", 2, 1), ("b", 1, 0),
                                                                                   ("c", 2, 0)]
    assert stats.flags == ()


def test_a_question_everyone_gets_right_is_too_easy_and_does_not_discriminate():
    easy = [response(1, total, "a") for total in (4, 3, 2, 1, 1)]
    assert analyse(easy, RATINGS).flags == ("too_easy", "does_not_discriminate", "unpicked_distractor")


def test_strong_learners_preferring_another_option_flag_the_key():
    # the two strongest attempts chose b (rated 3) over the key's best a; the weak ones chose a
    odd = [response(0.5, 4, "b"), response(0.5, 3.5, "b"), response(1, 1, "a"), response(1, 1.5, "a"),
           response(0, 0, "c")]
    stats = analyse(odd, RATINGS)
    assert "key_possibly_wrong" in stats.flags and "negative_discrimination" in stats.flags


def test_no_responses_and_constant_series():
    assert analyse([], RATINGS).facility is None
    assert pearson([1, 1, 1], [0, 1, 2]) is None
