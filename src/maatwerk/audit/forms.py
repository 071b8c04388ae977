from django import forms
from django.utils.translation import gettext_lazy as _

from maatwerk.core.forms import DateField

from .models import AuditEvent


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("all")), *AuditEvent.Action.choices]
    )
    object_type = forms.CharField(label=_("Object type"), required=False, max_length=100)
    object_id = forms.CharField(label=_("Object id"), required=False, max_length=64)
    actor = forms.IntegerField(label=_("User id"), required=False, min_value=1)
    date_from = DateField(label=_("From"), required=False)
    date_to = DateField(label=_("To"), required=False)
