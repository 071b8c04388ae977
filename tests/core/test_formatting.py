from datetime import date
from decimal import Decimal

from django.template import Context, Template
from hypothesis import given
from hypothesis import strategies as st

from maatwerk.core.formatting import long_date, money


def test_money_the_dutch_way():
    assert money(Decimal("6500")) == "€\u00a06.500,00"
    assert money(Decimal("1234567.891")) == "€\u00a01.234.567,89"
    assert money(Decimal("-12.5")) == "-€\u00a012,50"  # the minus before the euro sign
    assert money(Decimal("0")) == "€\u00a00,00"
    assert money(None) == ""


def test_the_money_filter_keeps_the_euro_sign_with_its_amount():
    """On a phone "€" must never wrap away from its amount: a no-break space joins them."""
    html = Template("{% load maatwerk %}{{ a|money }} {{ b|money }}").render(
        Context({"a": Decimal("6500"), "b": Decimal("-1250.5")})
    )
    assert html == "€\u00a06.500,00 -€\u00a01.250,50"
    assert "€ " not in html  # no ordinary (breaking) space after the euro sign


def test_dates_the_dutch_way():
    assert long_date(date(2026, 11, 23)) == "23 november 2026"
    assert long_date(date(2026, 3, 1)) == "1 maart 2026"


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=2))
def test_money_round_trips(value):
    text = money(value)
    parsed = Decimal(text.replace("€\u00a0", "").replace(".", "").replace(",", "."))
    assert parsed == value
