"""The triage forms: a contact attempt, the end result, a case opened or linked."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maatwerk.core.forms import DateField

from .models import ContactKind, EndResult, PartOfDay


class ContactAttemptForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of contact"), choices=ContactKind.choices)
    reached = forms.BooleanField(label=_("Reached the resident"), required=False)
    date = DateField(label=_("Date"))
    part_of_day = forms.ChoiceField(label=_("Part of day"), choices=PartOfDay.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()


class ResultForm(forms.Form):
    result = forms.ChoiceField(
        label=_("End result"), choices=[("", "---------"), *EndResult.choices]
    )


class OpenCaseForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    title = forms.CharField(label=_("Short description"), max_length=200)


class LinkCaseForm(forms.Form):
    case = forms.ModelChoiceField(label=_("Case of the household"), queryset=None)

    def __init__(self, *args, cases, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = cases
        self.fields["case"].label_from_instance = lambda c: f"{c.household.reference} – {c.title}"


class HandoverForm(forms.Form):
    """A warm handover from a department of the municipality (not a creditor signal)."""

    department = forms.CharField(
        label=_("Department"),
        max_length=200,
        initial=_("Werk en Inkomen"),
        help_text=_("The department of the municipality that hands the resident over."),
    )
    team = forms.ModelChoiceField(label=_("Your team"), queryset=None)
    bsn = forms.CharField(label=_("BSN"), max_length=11, required=False)
    postcode = forms.CharField(label=_("Postcode"), max_length=7, required=False)
    house_number = forms.IntegerField(label=_("House number"), min_value=1, required=False)
    house_number_addition = forms.CharField(label=_("Addition"), max_length=10, required=False)
    birth_date = DateField(label=_("Date of birth"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    crisis = forms.BooleanField(label=_("Crisis: reach out within 3 working days"), required=False)

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        if len(teams) == 1:
            self.fields["team"].initial = teams[0]


class MonthForm(forms.Form):
    month = forms.ChoiceField(label=_("Month"), choices=())

    def __init__(self, *args, months, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = months
