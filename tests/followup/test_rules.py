"""Plain follow-up rules: moments and the six-month "holds" rule."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from maatwerk.followup import rules

days = st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31))


def test_add_months_keeps_the_end_of_the_month():
    assert rules.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert rules.add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert rules.add_months(date(2026, 3, 15), 12) == date(2027, 3, 15)


def test_due_dates_of_a_plan():
    assert rules.due_dates(date(2026, 3, 1), (6, 12)) == {
        "end_of_action": date(2026, 3, 1),
        "plus_6": date(2026, 9, 1),
        "plus_12": date(2027, 3, 1),
    }
    assert rules.due_dates(date(2026, 3, 1), (3, 9))["plus_12"] == date(2026, 12, 1)


def test_holds_after_six_whole_months():
    measured = date(2027, 3, 1)
    assert rules.holds(date(2026, 9, 1), measured)
    assert not rules.holds(date(2026, 9, 2), measured)
    assert not rules.holds(None, measured)
    assert not rules.holds(date(2027, 4, 1), measured)  # a date after the measurement


@settings(max_examples=200, deadline=None)
@given(days, st.integers(-300, 300))
def test_months_between_inverts_add_months(start, months):
    assert rules.months_between(start, rules.add_months(start, months)) == months or (
        start.day > 28  # the 31st moved to a shorter month: one month fewer is also right
    )


@settings(max_examples=200, deadline=None)
@given(days, days)
def test_holds_is_monotone_in_the_start(since, measured):
    if rules.holds(since, measured):
        assert rules.holds(since - timedelta(days=1), measured)
        assert rules.months_between(since, measured) >= rules.HOLDS_AFTER_MONTHS


def test_offsets_are_two_increasing_whole_months_from_1_to_60():
    assert rules.offsets_valid(6, 12)
    assert rules.offsets_valid(1, 60)
    assert not rules.offsets_valid(6, 6)
    assert not rules.offsets_valid(12, 6)
    assert not rules.offsets_valid(0, 12)
    assert not rules.offsets_valid(6, 61)
    assert not rules.offsets_valid(True, 12)  # a bool is no number of months


@given(st.integers(-100, 100), st.integers(-100, 100))
def test_offsets_valid_is_exactly_the_rule(first, second):
    assert rules.offsets_valid(first, second) == (1 <= first < second <= 60)


def test_next_check_in_every_three_or_six_months():
    assert rules.next_check_in(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert rules.next_check_in(date(2026, 11, 30), 6) == date(2027, 5, 30)
    with pytest.raises(ValueError):
        rules.next_check_in(date(2026, 11, 30), 4)


@settings(max_examples=200, deadline=None)
@given(days, st.sampled_from(rules.PILOT_LIGHT_INTERVALS))
def test_next_check_in_lies_the_interval_ahead(day, interval):
    due = rules.next_check_in(day, interval)
    assert day < due <= day + timedelta(days=31 * interval)
    assert rules.months_between(day, due) == interval or day.day > 28
