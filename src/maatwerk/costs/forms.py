from decimal import Decimal

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from maatwerk.core import dates
from maatwerk.core.domains import LifeDomain
from maatwerk.core.forms import LocalDecimalField, LocalMoneyField

from .models import Bearer, CostItem, CostItemVersion, CostType, Grade, Unit


class CatalogueFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    life_domain = forms.ChoiceField(
        label=_("Life domain"), required=False, choices=[("", _("all")), *LifeDomain.choices]
    )
    bearer = forms.ChoiceField(
        label=_("Who pays"), required=False, choices=[("", _("all")), *Bearer.choices]
    )
    cost_type = forms.ChoiceField(
        label=_("Cost type"), required=False, choices=[("", _("all")), *CostType.choices]
    )
    grade = forms.ChoiceField(
        label=_("Reliability"), required=False, choices=[("", _("all")), *Grade.choices]
    )


class PriceForm(forms.ModelForm):
    source_url = forms.URLField(
        label=capfirst(_("source link")), max_length=500, assume_scheme="https"
    )

    class Meta:
        model = CostItemVersion
        fields = ["amount", "price_date", "grade", "source_title", "source_url", "note"]
        field_classes = {"amount": LocalMoneyField}
        # A date input takes ISO dates only; the Dutch input format would leave it empty.
        widgets = {"price_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        dates.bound(self.fields["price_date"], dates.PRICE_DATE)


class LocalItemForm(forms.ModelForm):
    class Meta:
        model = CostItem
        fields = [
            "code", "name_nl", "name_en", "description", "life_domain", "unit", "bearer",
            "cost_type",
        ]  # fmt: skip


class CalculatorForm(forms.Form):
    """The terms of a comparison. Percentages here; the engine takes fractions."""

    horizon_months = forms.IntegerField(
        label=_("Horizon (months)"),
        min_value=1,
        max_value=600,
        initial=12,
        help_text=_("How far ahead both routes are compared."),
    )
    discount_rate = LocalDecimalField(
        label=_("Discount rate (% a year)"),
        min_value=Decimal(0),
        max_value=Decimal(20),
        max_digits=5,
        decimal_places=2,
        initial=Decimal("2.25"),
        help_text=_("2.25 % is the Dutch standard for social cost–benefit analysis; 0 is allowed."),
    )
    price_year = forms.IntegerField(
        label=_("Price year"),
        min_value=1990,
        max_value=2100,
        help_text=_("Catalogue amounts are indexed to this year's price level."),
    )

    def fraction(self) -> Decimal:
        return self.cleaned_data["discount_rate"] / 100


class LineForm(forms.Form):
    """One line of a scenario: a catalogue item (hidden id) or a free amount."""

    item = forms.IntegerField(required=False, widget=forms.HiddenInput)
    label = forms.CharField(label=_("Description"), max_length=200, required=False)
    amount = LocalMoneyField(
        label=_("Amount (€ per unit)"),
        required=False,
        min_value=Decimal(0),
        max_digits=12,
        decimal_places=2,
    )
    unit = forms.ChoiceField(label=_("Unit"), choices=[("", "—"), *Unit.choices], required=False)
    bearer = forms.ChoiceField(
        label=_("Who pays"), choices=[("", "—"), *Bearer.choices], required=False
    )
    cost_type = forms.ChoiceField(
        label=_("Cost type"), choices=[("", "—"), *CostType.choices], required=False
    )
    quantity = LocalDecimalField(
        label=_("Quantity"),
        min_value=Decimal(0),
        max_digits=12,
        decimal_places=4,  # as a scenario line stores it
        initial=1,
    )
    start_month = forms.IntegerField(label=_("From month"), min_value=0, max_value=599, initial=0)
    duration_months = forms.IntegerField(
        label=_("Months"), min_value=1, max_value=600, required=False
    )
    probability = LocalDecimalField(
        label=_("Chance (%)"),
        min_value=Decimal(0),
        max_value=Decimal(100),
        max_digits=5,
        decimal_places=2,  # a line stores the fraction with four places
        initial=100,
    )

    def clean(self):
        data = super().clean()
        if not data.get("item") and (data.get("amount") is None or not data.get("unit")):
            raise forms.ValidationError(_("Give an amount and a unit for a line of your own."))
        if not data.get("item") and not data.get("label"):
            self.add_error("label", _("Describe what this line is."))
        if not data.get("item") and not (data.get("bearer") and data.get("cost_type")):
            raise forms.ValidationError(_("Say who pays and what kind of cost it is."))
        return data


LineFormSet = forms.formset_factory(
    LineForm, extra=0, max_num=200, validate_max=True, absolute_max=200
)
