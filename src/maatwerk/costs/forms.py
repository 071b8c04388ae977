from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from maatwerk.core.domains import LifeDomain

from .models import Bearer, CostItem, CostItemVersion, CostType, Grade


class CatalogueFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    life_domain = forms.ChoiceField(
        label=_("Life domain"), required=False, choices=[("", _("all")), *LifeDomain.choices]
    )
    bearer = forms.ChoiceField(
        label=_("Who pays"), required=False, choices=[("", _("all")), *Bearer.choices]
    )
    cost_type = forms.ChoiceField(
        label=_("Cost type"), required=False, choices=[("", _("all")), *CostType.choices]
    )
    grade = forms.ChoiceField(
        label=_("Reliability"), required=False, choices=[("", _("all")), *Grade.choices]
    )


class PriceForm(forms.ModelForm):
    source_url = forms.URLField(label=_("source link"), max_length=500, assume_scheme="https")

    class Meta:
        model = CostItemVersion
        fields = ["amount", "price_date", "grade", "source_title", "source_url", "note"]
        widgets = {"price_date": forms.DateInput(attrs={"type": "date"})}

    def clean_price_date(self):
        value = self.cleaned_data["price_date"]
        if value > date.today():
            raise forms.ValidationError(_("A price date cannot lie in the future."))
        return value


class LocalItemForm(forms.ModelForm):
    class Meta:
        model = CostItem
        fields = [
            "code", "name_nl", "name_en", "description", "life_domain", "unit", "bearer",
            "cost_type",
        ]  # fmt: skip
