from django import forms
from django.utils.translation import gettext_lazy as _

from maatwerk.core.domains import LifeDomain

from .models import BlockingRule, Provision, VerifiedStatus


class RegelbankFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_(
            "Describe the situation in your own words, or name a rule or an article. "
            "Words with the same meaning count too."
        ),
    )
    law = forms.ChoiceField(label=_("Law"), required=False)
    life_domain = forms.ChoiceField(
        label=_("Life domain"), required=False, choices=[("", _("all")), *LifeDomain.choices]
    )
    verified = forms.ChoiceField(
        label=_("Checked"), required=False, choices=[("", _("all")), *VerifiedStatus.choices]
    )

    def __init__(self, *args, laws=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["law"].choices = [("", _("all")), *((law.code, law.name) for law in laws)]


def _note_field() -> forms.CharField:
    return forms.CharField(
        label=_("Reason for the change"),
        required=False,
        max_length=500,
        help_text=_("For example: checked against wetten.overheid.nl. Shown in the history."),
    )


class ProvisionForm(forms.ModelForm):
    source_url = forms.URLField(label=_("source link"), max_length=500, assume_scheme="https")
    note = _note_field()

    class Meta:
        model = Provision
        fields = ["law", "article", "title", "room_nl", "room_en", "source_url", "verified"]
        widgets = {
            "room_nl": forms.Textarea(attrs={"rows": 4}),
            "room_en": forms.Textarea(attrs={"rows": 4}),
        }


class _ProvisionChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.law.code} {obj.article} – {obj.title}"


class BlockingRuleForm(forms.ModelForm):
    escape_provisions = _ProvisionChoice(
        label=_("Ways out"),
        queryset=Provision.objects.select_related("law").order_by("law__name", "code"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Provisions that may offer a way out; plans propose them first."),
    )
    note = _note_field()
    field_order = [
        "name_nl", "name_en", "description", "applied_by", "life_domain", "basis_provision",
        "escape_provisions", "recent_change", "note",
    ]  # fmt: skip

    class Meta:
        model = BlockingRule
        fields = [
            "name_nl", "name_en", "description", "applied_by", "life_domain", "basis_provision",
            "recent_change",
        ]  # fmt: skip
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "recent_change": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, escape_provisions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["basis_provision"].queryset = Provision.objects.select_related("law").order_by(
            "law__name", "code"
        )
        self.fields["escape_provisions"].initial = [p.pk for p in escape_provisions]
