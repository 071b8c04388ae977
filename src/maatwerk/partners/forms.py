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
