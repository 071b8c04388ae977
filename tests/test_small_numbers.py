"""The one small-number rule, shared by the signals report and the follow-up cohorts."""

from maatwerk.cooperation import selectors as cooperation
from maatwerk.core import small_numbers


def test_fewer_than_five_is_small():
    assert small_numbers.SMALL_NUMBER == 5
    assert small_numbers.is_small(0) and small_numbers.is_small(4)
    assert not small_numbers.is_small(5)


def test_cooperation_uses_the_shared_rule():
    assert cooperation.is_small is small_numbers.is_small
