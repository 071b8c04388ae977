from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from maatwerk.cases import bsn
from maatwerk.core.forms import DateField

from .models import DataSubjectRequest


class AccessSearchForm(forms.Form):
    bsn = forms.CharField(
        label=_("BSN of the person"),
        max_length=11,
        help_text=_(
            "Nine digits. The number is looked up through its keyed hash; it is not stored."
        ),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    received_on = DateField(label=_("Request received on"), initial=date.today)

    def clean_bsn(self):
        return bsn.validate(self.cleaned_data["bsn"])


class RecordRequestForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of request"),
        choices=[
            (DataSubjectRequest.Kind.RECTIFICATION, DataSubjectRequest.Kind.RECTIFICATION.label),
            (DataSubjectRequest.Kind.RESTRICTION, DataSubjectRequest.Kind.RESTRICTION.label),
        ],
        widget=forms.RadioSelect,
    )
    received_on = DateField(label=_("Request received on"), initial=date.today)
    note = forms.CharField(
        label=_("What was asked or changed"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
