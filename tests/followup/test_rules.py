"""Plain follow-up rules: moments and the six-month "holds" rule."""

from datetime import date, timedelta

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
