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
