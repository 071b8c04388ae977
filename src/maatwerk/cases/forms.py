from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Case


class CaseFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("Household reference or words from the short description."),
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("all")), *Case.Status.choices]
    )
    mine = forms.BooleanField(label=_("Only my cases"), required=False)
