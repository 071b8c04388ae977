from django import forms
from django.utils.translation import gettext_lazy as _

from maatwerk.legal.models import Applier, BlockingRule


class PromoteRuleForm(forms.Form):
    """What an administrator adds when a newly described rule joins the catalogue."""

    code = forms.RegexField(
        label=_("Code"),
        max_length=40,
        regex=r"^[A-Z0-9][A-Z0-9-]*$",
        error_messages={"invalid": _("Capitals, digits and hyphens only, e.g. HUUR-BOETE.")},
        help_text=_("A short unique code in capitals, e.g. HUUR-BOETE."),
    )
    name_nl = forms.CharField(label=_("Name in the regelbank"), max_length=200)
    applied_by = forms.ChoiceField(label=_("Applied by"), choices=Applier.choices)

    def clean_code(self):
        code = self.cleaned_data["code"]
        if BlockingRule.objects.filter(code=code).exists():
            raise forms.ValidationError(_("The regelbank already has a rule with this code."))
        return code
