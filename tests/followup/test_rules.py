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


# --- the realised months (f14: a plan measured on its first day realised 12 of 12 months) ------


def _months(window: tuple[int, int]) -> int:
    start, end = window
    return max(0, end - start)


def test_measured_on_the_first_day_realises_nothing():
    """The walk's finding: in work since nine months before the plan (the outcome holds), but
    measured on the plan's first day: no month has passed, so none is realised."""
    start = date(2026, 11, 2)
    assert rules.holds(date(2026, 2, 1), start)
    assert rules.realised_window(start, date(2026, 2, 1), start, 12) == (0, 0)


def test_the_worked_example_months():
    """In work since the plan's start: 12 months at +12, equal to the prediction; four months
    late: 8 months (from month 4); at +6: six months; measured after the horizon: still 12."""
    start = date(2026, 1, 15)
    at_12 = rules.add_months(start, 12)
    assert rules.realised_window(start, start, at_12, 12) == (0, 12)
    assert rules.realised_window(start, rules.add_months(start, 4), at_12, 12) == (4, 12)
    assert rules.realised_window(start, start, rules.add_months(start, 6), 12) == (0, 6)
    assert rules.realised_window(start, start, rules.add_months(start, 14), 12) == (0, 12)


def test_an_outcome_must_hold_six_months_to_count_at_all():
    start = date(2026, 1, 15)
    measured = date(2026, 12, 20)
    five = rules.add_months(measured, -5)  # held five months: does not hold
    assert not rules.holds(five, measured)
    assert _months(rules.realised_window(start, five, measured, 12)) == 0
    six = rules.add_months(measured, -6)
    assert _months(rules.realised_window(start, six, measured, 12)) == 6
    # "Measured: none of the outcomes holds": no outcome date at all, nothing realised.
    assert _months(rules.realised_window(start, None, measured, 12)) == 0


def test_a_measurement_before_the_plan_realises_nothing():
    start = date(2026, 6, 1)
    assert _months(rules.realised_window(start, date(2025, 1, 1), date(2026, 5, 1), 12)) == 0


@settings(max_examples=500, deadline=None)
@given(days, days, days, st.integers(1, 120))
def test_realised_months_never_exceed_what_has_passed(start, since, measured, horizon):
    """Whatever the days: the realised months are at most the whole months between the
    outcome's start and the measurement, at most the months between the plan's start and the
    measurement, at most the predicted months (the horizon), and none unless the outcome
    holds; the window lies inside the horizon."""
    first, until = rules.realised_window(start, since, measured, horizon)
    months = _months((first, until))
    assert 0 <= first <= until <= horizon
    assert months <= max(0, rules.months_between(since, measured))
    assert months <= max(0, rules.months_between(start, measured))
    assert months <= horizon
    if not rules.holds(since, measured):
        assert months == 0
    else:  # no month that held within the plan's time and horizon is lost either
        elapsed = max(0, rules.months_between(start, measured))
        held = max(0, rules.months_between(max(since, start), measured))
        if elapsed <= horizon:
            assert months == held
        if since <= start:
            assert months == min(elapsed, horizon)


@settings(max_examples=300, deadline=None)
@given(days, days, st.integers(0, 40), st.integers(1, 60))
def test_realised_months_grow_with_the_day_of_measurement(start, since, later, horizon):
    """Measured later, an outcome that keeps holding never realises fewer months."""
    measured = max(start, since)
    before = _months(rules.realised_window(start, since, measured, horizon))
    after = _months(rules.realised_window(start, since, rules.add_months(measured, later), horizon))
    assert after >= before
