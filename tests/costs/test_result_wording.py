"""How the result is worded: one verdict decides the sign and whether the route paid back."""

import re
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import translation
from hypothesis import given, settings

from maatwerk.accounts.roles import Role
from maatwerk.costs import explain
from maatwerk.costs.engine import Calculation, Line, evaluate

from ..factories import TeamFactory, user_with_role
from .test_engine_properties import calculations


def _line(amount, unit, start=0, duration=None):
    return Line(
        label="x",
        amount=D(amount),
        unit=unit,
        bearer="municipality",
        cost_type="fiscal",
        start_month=start,
        duration_months=duration,
    )


# The walk's case: the tailored route is ahead from month 7, but dearer again after month 17.
CROSSES_BACK = Calculation(
    standard=(_line(200, "per_month", duration=12),),
    tailored=(_line(700, "per_event"), _line(100, "per_month", duration=24)),
    horizon_months=24,
)


def test_a_route_that_falls_behind_again_is_not_called_paid_back():
    result = evaluate(CROSSES_BACK)
    assert result.net_benefit == D(-700) and result.payback_month == D("7.0")
    with translation.override("en"):
        text = explain.summary(result)
        assert text == (
            "The tailored route costs €\xa0700,00 more over the horizon. It was briefly paid back "
            "in month 7.0, but by the end of the horizon it is more expensive again."
        )
        assert explain.payback_text(result).startswith("not within the horizon")
    with translation.override("nl"):
        text = explain.summary(result)
    assert "-" not in text and "€\xa0700,00 meer" in text and "even terugverdiend" in text


def test_a_route_that_stays_ahead_is_paid_back_and_saves():
    calc = Calculation(
        standard=(_line(200, "per_month", duration=24),),
        tailored=(_line(700, "per_event"), _line(100, "per_month", duration=24)),
        horizon_months=24,
    )
    with translation.override("en"):
        result = evaluate(calc)
        assert explain.summary(result) == (
            "The tailored route saves €\xa01.700,00 over the horizon. It has paid for itself "
            "after 7.0 months."
        )
        assert explain.payback_text(result) == "month 7.0"


def test_a_route_that_never_catches_up_does_not_pay_back():
    calc = Calculation(
        standard=(_line(100, "per_month", duration=12),),
        tailored=(_line(5000, "per_event"),),
        horizon_months=24,
    )
    with translation.override("en"):
        text = explain.summary(evaluate(calc))
    assert text == (
        "The tailored route costs €\xa03.800,00 more over the horizon. It does not pay for "
        "itself within 24 months."
    )


NEGATIVE_MONEY = re.compile(r"€\s*[-−]")


@settings(max_examples=300, deadline=None)
@given(calculations())
def test_the_wording_follows_the_sign_of_the_net_benefit(calc):
    result = evaluate(calc)
    with translation.override("en"):
        sentences = [explain.summary(result), *explain.explain(result)[:1]]
        payback = explain.payback_text(result)
    net = result.net_benefit
    for text in sentences:
        assert not NEGATIVE_MONEY.search(text), text
        assert ("saves €" in text) == (net > 0), text
        assert bool(re.search(r"costs €\xa0[0-9.,]+ more", text)) == (net < 0), text
        if "paid for itself" in text or "paid back" in text:
            assert net > 0 or "briefly" in text, text
    assert payback.startswith("month") == (net > 0), payback


@pytest.mark.django_db
def test_the_calculator_page_words_a_loss_without_a_minus(client):
    client.force_login(user_with_role(Role.WORKER, TeamFactory()))

    def row(scenario, i, amount, unit, duration=""):
        p = f"{scenario}-{i}-"
        return {
            p + "label": "regel",
            p + "amount": amount,
            p + "unit": unit,
            p + "bearer": "municipality",
            p + "cost_type": "fiscal",
            p + "quantity": "1",
            p + "start_month": "0",
            p + "duration_months": duration,
            p + "probability": "100",
        }

    data = {
        "horizon_months": "24",
        "discount_rate": "0",
        "price_year": "2026",
        "standard-TOTAL_FORMS": "1",
        "standard-INITIAL_FORMS": "0",
        "tailored-TOTAL_FORMS": "2",
        "tailored-INITIAL_FORMS": "0",
        **row("standard", 0, "200", "per_month", "12"),
        **row("tailored", 0, "700", "per_event"),
        **row("tailored", 1, "100", "per_month", "24"),
    }
    page = client.post(reverse("costs:calculator"), data).content.decode()
    summary = re.search(r'class="om-result-summary">(.*?)</p>', page, re.S).group(1)
    assert "€\xa0-" not in summary and "€ -" not in summary
    assert "700,00 meer" in summary
    assert "terugverdiend na" not in summary
