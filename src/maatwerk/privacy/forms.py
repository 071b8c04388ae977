from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from maatwerk.cases import bsn
from maatwerk.core.forms import DateField

from .models import DataSubjectRequest, DestructionItem


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


class LegalHoldForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the hold"),
        help_text=_(
            "For example an objection, a court case or an investigation. Name no person: the "
            "reason is kept after the hold is lifted."
        ),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class LiftLegalHoldForm(forms.Form):
    lift_reason = forms.CharField(
        label=_("Reason for lifting the hold"),
        error_messages={"required": _("Give the reason for lifting the hold.")},
        help_text=_(
            "For example: the objection is decided or the court case has ended. Name no person: "
            "the reason is kept in the history of the case."
        ),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class HouseholdReferenceForm(forms.Form):
    reference = forms.CharField(
        label=_("Household reference"),
        max_length=20,
        help_text=_(
            "The household's reference as the case list shows it, for example HH-7K3Q9P2M. "
            "Capitals or small letters make no difference."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_reference(self):
        return self.cleaned_data["reference"].strip().upper()


class DestructionRequestSearchForm(forms.Form):
    """A BSN (looked up through its keyed hash) or a household reference."""

    query = forms.CharField(
        label=_("BSN or household reference"),
        max_length=20,
        help_text=_(
            "The person's BSN (nine digits) or the household's reference, for example "
            "HH-7K3Q9P2M (in the demo: DEMO-0001). The BSN is looked up through its keyed "
            "hash; it is not stored."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_query(self):
        value = self.cleaned_data["query"].strip()
        if bsn.normalise(value).isdigit():
            return bsn.validate(value)
        return value.upper()

    @property
    def is_bsn(self) -> bool:
        return self.cleaned_data["query"].isdigit()


class ApproveListForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that this cannot be undone"),
        error_messages={
            "required": _(
                "Tick that you understand that destroying cannot be undone: nothing is "
                "destroyed yet."
            )
        },
    )


class OwnPeriodForm(forms.Form):
    code = forms.ChoiceField(label=_("Retention rule"))
    period_years = forms.IntegerField(label=_("Years"), min_value=0, max_value=100, initial=0)
    period_days = forms.IntegerField(label=_("Days"), min_value=0, max_value=36500, initial=0)

    def __init__(self, *args, codes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].choices = [(c, c) for c in codes]

    def clean(self):
        data = super().clean()
        if not data.get("period_years") and not data.get("period_days"):
            raise forms.ValidationError(_("A retention period is longer than nothing."))
        return data


class RequestDestructionForm(forms.Form):
    ground = forms.ChoiceField(
        label=_("Legal ground of the request"),
        choices=DestructionItem.Ground.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the legal ground of the request.")},
    )
    requested_on = DateField(label=_("Request received on"), initial=date.today)
