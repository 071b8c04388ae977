"""Dutch public holidays (maatwerk.core.holidays) and deadlines that skip them."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from maatwerk.core import holidays
from maatwerk.core.holidays import Calendar, dutch_public_holidays, easter_sunday, kings_day
from maatwerk.decisions.routing import deadline, is_working_day, working_days_between


@pytest.mark.parametrize(
    ("year", "easter"),
    [
        (2000, date(2000, 4, 23)),
        (2008, date(2008, 3, 23)),
        (2011, date(2011, 4, 24)),
        (2019, date(2019, 4, 21)),
        (2024, date(2024, 3, 31)),
        (2025, date(2025, 4, 20)),
        (2026, date(2026, 4, 5)),
        (2027, date(2027, 3, 28)),
        (2038, date(2038, 4, 25)),  # the latest possible date
        (2285, date(2285, 3, 22)),  # the earliest possible date
    ],
)
def test_easter_sunday_on_known_dates(year, easter):
    assert easter_sunday(year) == easter
    assert easter.weekday() == 6


def test_the_holidays_of_2026():
    assert sorted(dutch_public_holidays(2026)) == [
        date(2026, 1, 1),  # Nieuwjaarsdag
        date(2026, 4, 3),  # Goede Vrijdag
        date(2026, 4, 5),  # Eerste Paasdag
        date(2026, 4, 6),  # Tweede Paasdag
        date(2026, 4, 27),  # Koningsdag (a Monday)
        date(2026, 5, 5),  # Bevrijdingsdag (every year by default)
        date(2026, 5, 14),  # Hemelvaartsdag
        date(2026, 5, 24),  # Eerste Pinksterdag
        date(2026, 5, 25),  # Tweede Pinksterdag
        date(2026, 12, 25),  # Eerste Kerstdag
        date(2026, 12, 26),  # Tweede Kerstdag
    ]


def test_kings_day_moves_to_saturday_when_the_27th_is_a_sunday():
    assert kings_day(2025) == date(2025, 4, 26)  # 27 April 2025 is a Sunday
    assert kings_day(2031) == date(2031, 4, 26)
    assert kings_day(2026) == date(2026, 4, 27)
    assert kings_day(2013) == date(2013, 4, 30)  # Koninginnedag, the last one


def test_liberation_day_every_year_or_in_lustrum_years_only():
    assert date(2026, 5, 5) in dutch_public_holidays(2026, holidays.YEARLY)
    assert date(2026, 5, 5) not in dutch_public_holidays(2026, holidays.LUSTRUM)
    assert date(2030, 5, 5) in dutch_public_holidays(2030, holidays.LUSTRUM)
    with pytest.raises(ValueError):
        Calendar(liberation="sometimes")


def test_the_calendar_adds_the_organisations_own_days():
    calendar = Calendar(frozenset({date(2026, 12, 24)}))
    assert date(2026, 12, 24) in calendar
    assert date(2026, 12, 25) in calendar
    assert date(2026, 12, 23) not in calendar
    assert "2026-12-24" not in calendar
    assert calendar.between(date(2026, 12, 20), date(2027, 1, 2)) == [
        date(2026, 12, 24),
        date(2026, 12, 25),
        date(2026, 12, 26),
        date(2027, 1, 1),
    ]
    assert holidays.parse_dates([" 2026-12-24", "2026-12-31"]) == {
        date(2026, 12, 24),
        date(2026, 12, 31),
    }
    with pytest.raises(ValueError, match="24-12-2026"):
        holidays.parse_dates(["24-12-2026"])


def test_deadlines_skip_easter_and_is_working_day_agrees():
    calendar = Calendar()
    # Thursday before Easter 2027: Good Friday and Easter Monday do not count.
    assert deadline(date(2027, 3, 25), 5, calendar) == date(2027, 4, 5)
    assert deadline(date(2027, 3, 25), 5) == date(2027, 4, 1)
    assert working_days_between(date(2027, 3, 25), date(2027, 4, 5), calendar) == 5
    assert not is_working_day(date(2027, 3, 26), calendar)
    assert not is_working_day(date(2027, 3, 27), calendar)  # a Saturday
    assert is_working_day(date(2027, 3, 30), calendar)
    # Christmas and New Year across the turn of the year.
    assert deadline(date(2026, 12, 24), 3, calendar) == date(2026, 12, 30)
    assert deadline(date(2026, 12, 24), 3, Calendar(frozenset({date(2026, 12, 28)}))) == (
        date(2026, 12, 31)
    )


@settings(max_examples=300, deadline=None)
@given(
    start=st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)),
    working_days=st.integers(min_value=1, max_value=60),
    lustrum=st.booleans(),
    extra=st.frozensets(st.dates(date(2000, 1, 1), date(2101, 12, 31)), max_size=5),
)
def test_property_a_deadline_never_lands_on_a_weekend_or_holiday(
    start, working_days, lustrum, extra
):
    calendar = Calendar(extra, holidays.LUSTRUM if lustrum else holidays.YEARLY)
    due = deadline(start, working_days, calendar)
    assert due.weekday() < 5
    assert due not in calendar
    assert due not in dutch_public_holidays(due.year, calendar.liberation)
    assert due not in extra
    # Exactly `working_days` working days after the start, counted one by one.
    counted = sum(
        1
        for n in range(1, (due - start).days + 1)
        if (day := start + timedelta(days=n)).weekday() < 5 and day not in calendar
    )
    assert counted == working_days
