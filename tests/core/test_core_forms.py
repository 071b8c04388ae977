"""Numbers in forms are shown as a person types them, so a form saved unchanged stays valid."""

from decimal import Decimal as D

import pytest
from django.utils import translation

from maatwerk.core.forms import LocalDecimalField, LocalMoneyField, plain_decimal


@pytest.mark.parametrize(
    ("stored", "places", "shown"),
    [
        (D("1.0000"), 2, D("1")),
        (D("100.0000"), 1, D("100")),
        (D("2.5000"), 4, D("2.5")),
        (D("0.3333"), 2, D("0.3333")),  # more places than the field takes: kept, not rounded
        (D("1E+2"), 2, D("100")),
    ],
)
def test_plain_decimal_drops_only_zeros(stored, places, shown):
    result = plain_decimal(stored, places)
    assert result == shown and str(result) == str(shown)


def test_fields_render_the_dutch_way_without_trailing_zeros():
    with translation.override("nl"):
        quantity = LocalDecimalField(max_digits=12, decimal_places=4)
        money = LocalMoneyField(max_digits=12, decimal_places=2)
        assert quantity.widget.format_value(quantity.prepare_value(D("2.5000"))) == "2,5"
        assert quantity.widget.format_value(quantity.prepare_value(D("1.0000"))) == "1"
        assert money.widget.format_value(money.prepare_value(D("12.50"))) == "12,50"
        assert money.widget.format_value(money.prepare_value(D("6500.00"))) == "6500"
        assert quantity.clean("2,5") == D("2.5")
        assert money.clean("12,50") == D("12.50")


def test_percent_field_is_the_one_percent_fraction_conversion():
    from decimal import Decimal

    from django import forms

    from maatwerk.core.forms import PercentField
    from maatwerk.core.numbers import fraction_to_percent, percent_to_fraction

    class F(forms.Form):
        rate = PercentField(max_value=Decimal(20), max_digits=5, decimal_places=2)

    form = F({"rate": "2,25"})
    assert form.is_valid()
    assert form.cleaned_data["rate"] == Decimal("0.0225")
    # Limits and messages speak per cent, as typed.
    too_high = F({"rate": "25"})
    assert not too_high.is_valid()
    assert "20" in too_high.errors["rate"][0]
    # A stored fraction is shown as per cent, and unchanged it is not a change.
    shown = F(initial={"rate": Decimal("0.0225")})
    assert str(shown["rate"].value()) == "2.25"
    assert not F({"rate": "2,25"}, initial={"rate": Decimal("0.0225")}).has_changed()
    assert F({"rate": "2,5"}, initial={"rate": Decimal("0.0225")}).has_changed()
    assert percent_to_fraction(Decimal("12.5")) == Decimal("0.1250")
    assert fraction_to_percent(Decimal("0.0225")) == Decimal("2.25")


def test_every_select_offers_kies_instead_of_dashes(db):
    """One place (the form renderer) for every ModelChoiceField and choice field; a label a
    form names itself stays."""
    from django import forms

    from maatwerk.core.domains import LifeDomain
    from maatwerk.legal.models import Provision

    class Example(forms.Form):
        provision = forms.ModelChoiceField(Provision.objects.all())
        domain = forms.TypedChoiceField(choices=[("", "---------"), *LifeDomain.choices])
        optional = forms.ModelChoiceField(Provision.objects.all(), required=False)
        named = forms.ChoiceField(choices=[("", "Alle leefgebieden"), *LifeDomain.choices])

    with translation.override("nl"):
        html = str(Example())
    assert "---------" not in html
    assert html.count('<option value="" selected>Kies …</option>') == 3
    assert '<option value="" selected>Alle leefgebieden</option>' in html
    assert ">Inkomen</option>" in html
