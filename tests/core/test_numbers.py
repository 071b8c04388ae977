"""Amounts typed the Dutch way are read as one unambiguous number, or refused with an example."""

from decimal import Decimal as D

import pytest
from django.utils import translation
from django.utils.numberformat import format as number_format
from hypothesis import given
from hypothesis import strategies as st

from maatwerk.core.formatting import money
from maatwerk.core.forms import LocalDecimalField, LocalMoneyField
from maatwerk.core.numbers import NumberFormatError, parse_decimal


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1800", D("1800")),
        ("1.800", D("1800")),
        ("1.800,50", D("1800.50")),
        ("1800,50", D("1800.50")),
        ("6500", D("6500")),
        ("1.250.000", D("1250000")),
        ("1 800,5", D("1800.5")),
        ("1\u00a0800", D("1800")),
        ("€ 1.250,50", D("1250.50")),
        ("12,-", D("12")),
        (",50", D("0.50")),
        ("0,5", D("0.5")),
        ("-3,25", D("-3.25")),
        ("  42  ", D("42")),
    ],
)
def test_dutch_numbers_are_read(text, value):
    result = parse_decimal(text)
    assert result == value


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("1.80", "dot_decimal"),  # €1,80 or €180? never guessed
        ("1.8", "dot_decimal"),
        ("2.25", "dot_decimal"),
        ("1.2345", "dot_decimal"),
        ("0.500", "dot_decimal"),  # a group never starts with a zero
        ("1.25,50", "grouping"),
        ("1.250 000", "grouping"),
        ("1,250,50", "invalid"),
        ("1250,5a", "invalid"),
        ("abc", "invalid"),
        ("", "invalid"),
        ("€", "invalid"),
        ("1..800", "invalid"),
        ("١٢", "invalid"),  # other scripts' digits are not read as amounts
        ("NaN", "invalid"),
        ("1e5", "invalid"),
    ],
)
def test_ambiguous_or_wrong_numbers_are_refused(text, code):
    with pytest.raises(NumberFormatError) as error:
        parse_decimal(text)
    assert error.value.code == code


amounts = st.decimals(min_value=D("-9999999999.99"), max_value=D("9999999999.99"), places=2)


@given(amounts)
def test_money_as_shown_reads_back_the_same(value):
    assert parse_decimal(money(value)) == value


@given(amounts, st.booleans())
def test_django_dutch_format_reads_back_the_same(value, grouping):
    text = number_format(
        value, ",", decimal_pos=2, grouping=3, thousand_sep=".", force_grouping=grouping
    )
    assert parse_decimal(text) == value


@given(st.decimals(min_value=D(0), max_value=D("99999999.9999"), places=4))
def test_a_field_shows_what_it_reads_back(value):
    with translation.override("nl"):
        field = LocalDecimalField(max_digits=12, decimal_places=4)
        assert field.clean(field.widget.format_value(field.prepare_value(value))) == value


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1.80", "Gebruik een komma voor centen, bijvoorbeeld 1.250,50."),
        ("1.25,50", "Een punt scheidt alleen duizendtallen, bijvoorbeeld 1.250,50."),
        ("twaalf", "Voer een bedrag in, bijvoorbeeld 1.250,50 of 1250."),
    ],
)
def test_money_field_says_how_to_type_it(text, message):
    field = LocalMoneyField(max_digits=12, decimal_places=2)
    with translation.override("nl"), pytest.raises(Exception) as error:
        field.clean(text)
    assert error.value.messages == [message]


def test_money_field_reads_thousands():
    field = LocalMoneyField(max_digits=12, decimal_places=2)
    assert field.clean("1.800") == D("1800")
    assert field.clean("3.000,50") == D("3000.50")
    assert field.clean("1.250,50") == D("1250.50")


def test_decimal_field_example_is_not_about_cents():
    field = LocalDecimalField(max_digits=5, decimal_places=2)
    with translation.override("nl"), pytest.raises(Exception) as error:
        field.clean("2.5")
    assert error.value.messages == ["Gebruik een komma voor decimalen, bijvoorbeeld 2,25."]


def test_every_amount_form_reads_dutch_thousands(db):
    """The walkthrough: a plan line of 1.800, a payment of 3.000,50, a request of 1.250,50."""
    from maatwerk.costs.forms import CalculatorForm
    from maatwerk.decisions.forms import LedgerActionForm
    from maatwerk.plans.forms import PlanLineForm, SolutionForm

    line = PlanLineForm(
        data={
            "kind": "cost",
            "label": "Huur",
            "amount": "1.800",
            "unit": "per_month",
            "bearer": "municipality",
            "cost_type": "fiscal",
            "quantity": "1",
            "start_month": "0",
            "probability": "100",
        }
    )
    assert line.is_valid(), line.errors
    assert line.cleaned_data["amount"] == D("1800")
    ledger = LedgerActionForm(data={"entry": "1", "action": "payment", "amount": "3.000,50"})
    assert ledger.is_valid(), ledger.errors
    assert ledger.cleaned_data["amount"] == D("3000.50")
    solution = SolutionForm(data={"amount_requested": "1.250,50"})
    solution.is_valid()
    assert "amount_requested" not in solution.errors
    assert solution.cleaned_data["amount_requested"] == D("1250.50")
    with translation.override("nl"):
        wrong = PlanLineForm(data={**line.data, "amount": "1.80"})
        assert wrong.errors["amount"] == ["Gebruik een komma voor centen, bijvoorbeeld 1.250,50."]
        rate = CalculatorForm(
            data={"horizon_months": "12", "discount_rate": "2.25", "price_year": "2026"}
        )
        assert rate.errors["discount_rate"] == [
            "Gebruik een komma voor decimalen, bijvoorbeeld 2,25."
        ]
