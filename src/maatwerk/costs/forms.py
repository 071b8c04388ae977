from decimal import Decimal

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from maatwerk.core import dates
from maatwerk.core.domains import LifeDomain
from maatwerk.core.forms import DateField, LocalDecimalField, LocalMoneyField, PercentField

from . import calculations, engine
from .models import Bearer, CostItem, CostItemVersion, CostType, Grade, Unit

# Words a social worker uses for the terms of a comparison, each with one sentence of help
# (the technical word stays in the help). The plan form (plans.forms.TermsForm) uses them too.
HORIZON_LABEL = _("Horizon (months)")
HORIZON_HELP = _("How far ahead both routes are compared.")
DISCOUNT_LABEL = _("Interest rate for later money (% a year)")
DISCOUNT_HELP = _(
    "Money spent later weighs a little less than money spent now; 2,25 % is the Dutch "
    "standard (the discount rate, discontovoet), 0 is allowed."
)
PRICE_YEAR_LABEL = _("Prices of the year")
PRICE_YEAR_HELP = _(
    "Amounts from the cost catalogue are converted to the prices of this year (the price year)."
)
# The kinds of cost (CostType) in plain words, for the line forms.
COST_TYPE_WORDS = {
    CostType.FISCAL: _("Money from the government (a budget holder pays)"),
    CostType.TRANSFER: _("Money that goes from one to another (such as a benefit)"),
    CostType.ECONOMIC: _("What it costs society (such as work that is not done)"),
    CostType.SOCIAL: _("Wellbeing and health of people"),
}
COST_TYPE_HELP = _(
    "Fiscal, transfer, economic or social cost: money that only goes from one to another, "
    "such as a benefit, does not count in the net for society."
)


class CatalogueFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    life_domain = forms.ChoiceField(
        label=_("Life domain"), required=False, choices=[("", _("all")), *LifeDomain.choices]
    )
    bearer = forms.ChoiceField(
        label=_("Who pays"), required=False, choices=[("", _("all")), *Bearer.choices]
    )
    cost_type = forms.ChoiceField(
        label=_("What kind of cost"),
        required=False,
        choices=[("", _("all")), *COST_TYPE_WORDS.items()],
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
        field_classes = {"amount": LocalMoneyField, "price_date": DateField}

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


def horizon_field(**kwargs) -> forms.IntegerField:
    return forms.IntegerField(
        label=HORIZON_LABEL,
        min_value=1,
        max_value=600,
        initial=12,
        help_text=HORIZON_HELP,
        **kwargs,
    )


def discount_rate_field(**kwargs) -> PercentField:
    """The yearly discount rate: typed in per cent, a fraction in cleaned_data."""
    return PercentField(
        label=DISCOUNT_LABEL,
        min_value=Decimal(0),
        max_value=Decimal(20),
        max_digits=5,
        decimal_places=2,
        help_text=DISCOUNT_HELP,
        **kwargs,
    )


def price_year_field(**kwargs) -> forms.IntegerField:
    return forms.IntegerField(
        label=PRICE_YEAR_LABEL, min_value=1990, max_value=2100, help_text=PRICE_YEAR_HELP, **kwargs
    )


class CalculatorForm(forms.Form):
    """The terms of a comparison. Percentages typed, fractions in cleaned_data (PercentField)."""

    horizon_months = horizon_field()
    discount_rate = discount_rate_field(initial=calculations.DEFAULT_DISCOUNT_RATE)
    price_year = price_year_field()


# Shown beside what a line of one's own needs, instead of "(optional)": a catalogue line takes
# these from its item (core/field.html and costs/_line_field.html read `needed_for`).
NEEDED_FOR_OWN_LINE = _("needed for a line of your own")
OWN_LINE_FIELDS = ("label", "amount", "unit", "bearer", "cost_type")


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
        label=_("What kind of cost"),
        choices=[("", "—"), *COST_TYPE_WORDS.items()],
        required=False,
        help_text=COST_TYPE_HELP,
    )
    quantity = LocalDecimalField(
        label=_("Quantity"),
        min_value=Decimal(0),
        max_digits=12,
        decimal_places=4,  # as a scenario line stores it
        initial=1,
    )
    start_month = forms.IntegerField(
        label=_("Starts after (months)"),
        min_value=0,
        max_value=599,
        initial=0,
        help_text=_("0 if it starts now, 3 if it starts in three months."),
    )
    duration_months = forms.IntegerField(
        label=_("For how many months"),
        min_value=1,
        max_value=600,
        required=False,
        help_text=_("Leave empty for a one-off cost."),
    )
    probability = PercentField(
        label=_("Chance that it happens (%)"),
        min_value=Decimal(0),
        max_value=Decimal(100),
        max_digits=5,
        decimal_places=2,  # a line stores the fraction with four places
        initial=Decimal(1),  # a fraction, shown as 100
        help_text=_("How likely it is that this really happens: 100 if it is certain."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not str(self["item"].value() or "").strip():
            for name in OWN_LINE_FIELDS:
                self.fields[name].needed_for = NEEDED_FOR_OWN_LINE

    def clean(self):
        data = super().clean()
        if data.get("unit") in engine.ONCE_UNITS:
            data["duration_months"] = None  # a cost per case happens once
        if not data.get("item"):
            # Said at the field that is missing, so the worker sees what to fill in.
            if data.get("amount") is None and "amount" not in self.errors:
                self.add_error("amount", _("Give an amount: a line of your own needs one."))
            if not data.get("unit") and "unit" not in self.errors:
                self.add_error("unit", _("Choose a unit: a line of your own needs one."))
        if not data.get("item") and not data.get("label"):
            self.add_error("label", _("Describe what this line is."))
        if not data.get("item") and not (data.get("bearer") and data.get("cost_type")):
            raise forms.ValidationError(_("Say who pays and what kind of cost it is."))
        return data


LineFormSet = forms.formset_factory(
    LineForm, extra=0, max_num=200, validate_max=True, absolute_max=200
)


def bind_rows(rows: list[dict[str, str]], prefix: str) -> LineFormSet:
    """A line formset bound to raw rows (as posted, or kept in the session)."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": str(calculations.MAX_LINES),
    }
    for i, row in enumerate(rows):
        data.update({f"{prefix}-{i}-{f}": v for f, v in row.items()})
    return LineFormSet(data, prefix=prefix)
