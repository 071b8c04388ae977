from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from maatwerk.core.formatting import long_date, money


def test_money_the_dutch_way():
    assert money(Decimal("6500")) == "€ 6.500,00"
    assert money(Decimal("1234567.891")) == "€ 1.234.567,89"
    assert money(Decimal("-12.5")) == "€ -12,50"
    assert money(Decimal("0")) == "€ 0,00"
    assert money(None) == ""


def test_dates_the_dutch_way():
    assert long_date(date(2026, 11, 23)) == "23 november 2026"
    assert long_date(date(2026, 3, 1)) == "1 maart 2026"


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=2))
def test_money_round_trips(value):
    text = money(value)
    parsed = Decimal(text.removeprefix("€ ").replace(".", "").replace(",", "."))
    assert parsed == value
