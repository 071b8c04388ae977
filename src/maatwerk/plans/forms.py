from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from maatwerk.core import dates
from maatwerk.core.forms import DateField, LocalDecimalField, LocalMoneyField
from maatwerk.costs.calculations import MAX_LINES
from maatwerk.costs.forms import LineForm
from maatwerk.legal.models import Provision

from . import services
from .models import LineKind, Plan

# Shown beside a field a draft may leave empty but a submitted plan may not (core/field.html),
# instead of "(optional)".
NEEDED_TO_SUBMIT = _("needed to submit")
NEEDED_FOR_OWN_LINE = _("needed for a line of your own")


def _mark(form, names, hint) -> None:
    for name in names:
        form.fields[name].needed_for = hint


class SolutionForm(forms.ModelForm):
    class Meta:
        model = Plan
        fields = list(services.SOLUTION_FIELDS)
        field_classes = {"amount_requested": LocalMoneyField, "when": DateField}
        labels = {"solution": _("Description of the solution")}
        widgets = {"solution": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "solution": _("What will be done, so the household gets unstuck."),
            "when": _("At most two years ahead."),
        }

    def clean_amount_requested(self):
        value = self.cleaned_data.get("amount_requested")
        if value is not None and value < 0:
            raise forms.ValidationError(_("The amount cannot be negative."))
        return value

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        dates.bound(self.fields["when"], dates.PLANNED_DATE)


class PlanCreateForm(SolutionForm):
    obstacles = forms.ModelMultipleChoiceField(
        label=_("Obstacles this plan solves"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one obstacle.")},
    )

    class Meta(SolutionForm.Meta):
        fields = ["obstacles", *services.SOLUTION_FIELDS]

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["obstacles"].queryset = case.obstacles.select_related("blocking_rule")
        self.fields["obstacles"].label_from_instance = lambda o: o.rule_name


class InvolvementForm(forms.ModelForm):
    class Meta:
        model = Plan
        fields = list(services.AGREEMENT_FIELDS)
        field_classes = {"agreement_date": DateField}
        widgets = {
            "resident_words": forms.Textarea(attrs={"rows": 3}),
            "agreement": forms.RadioSelect,
        }
        help_texts = {
            "resident_words": _("In the resident's own words: what do they think of this plan?")
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        dates.bound(self.fields["agreement_date"], dates.EVENT_DATE)
        _mark(self, services.AGREEMENT_FIELDS, NEEDED_TO_SUBMIT)


class TermsForm(forms.Form):
    horizon_months = forms.IntegerField(
        label=_("Horizon (months)"), min_value=1, max_value=600, initial=12
    )
    discount_rate = LocalDecimalField(
        label=_("Discount rate (% a year)"),
        min_value=Decimal(0),
        max_value=Decimal(20),
        max_digits=5,
        decimal_places=2,
    )
    price_year = forms.IntegerField(
        label=_("Price year"), min_value=1990, max_value=2100, required=False
    )


class ProvisionForm(forms.Form):
    provision = forms.ModelChoiceField(
        label=_("Provision"),
        queryset=Provision.objects.select_related("law").order_by("law__code", "code"),
        required=False,
    )
    explanation = forms.CharField(
        label=_("Why it gives room here"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _mark(self, ["provision", "explanation"], NEEDED_TO_SUBMIT)


class BaseProvisionFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:  # a suggested (or chosen) provision can be taken out
            form.fields["DELETE"].label = _("Remove this provision")


# The same limits as the API (plans.api), so neither door takes more than the other.
ProvisionFormSet = forms.formset_factory(
    ProvisionForm,
    formset=BaseProvisionFormSet,
    extra=1,
    can_delete=True,
    max_num=services.MAX_PROVISIONS,
    validate_max=True,
    absolute_max=services.MAX_PROVISIONS,
)


class PlanLineForm(LineForm):
    """A plan's line also says what kind it is: a payment, or income the bearer forgoes."""

    kind = forms.ChoiceField(
        label=_("Kind of line"),
        choices=LineKind.choices,
        required=False,  # a line added from the catalogue comes without it: a cost
        initial=LineKind.COST,
    )
    field_order = ["kind"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].always_set = True  # it has no empty choice: not "optional"
        if not str(self["item"].value() or "").strip():  # a catalogue line takes these from it
            _mark(self, ["label", "amount", "unit", "bearer", "cost_type"], NEEDED_FOR_OWN_LINE)

    def clean_kind(self):
        return self.cleaned_data.get("kind") or LineKind.COST


PlanLineFormSet = forms.formset_factory(
    PlanLineForm,
    extra=1,
    can_delete=True,
    max_num=MAX_LINES,
    validate_max=True,
    absolute_max=MAX_LINES,
)


class CloseForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the plan closed?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: the solution is carried out, or the household moved away."),
    )
