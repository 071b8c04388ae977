"""The search box and filters of /bibliotheek/ (GET: the words are about de-identified
examples, and a search can be bookmarked or shared with a colleague)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from maatwerk.core.domains import LifeDomain
from maatwerk.core.forms import LocalMoneyField
from maatwerk.followup.models import Outcome
from maatwerk.legal.models import BlockingRule, Law


class ExampleSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        help_text=_("Words from the title, the story or the facts; every word must occur."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    blocking_rule = forms.ModelChoiceField(
        label=_("Blocking rule"),
        required=False,
        queryset=BlockingRule.objects.order_by("name_nl"),
        empty_label=_("all"),
    )
    law = forms.ModelChoiceField(
        label=_("Law"), required=False, queryset=Law.objects.order_by("code"), empty_label=_("all")
    )
    life_domain = forms.ChoiceField(
        label=_("Life domain"), required=False, choices=[("", _("all")), *LifeDomain.choices]
    )
    amount_min = LocalMoneyField(
        label=_("Tailored route from (€)"), required=False, min_value=0, max_digits=12
    )
    amount_max = LocalMoneyField(
        label=_("Tailored route up to (€)"), required=False, min_value=0, max_digits=12
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"), required=False, choices=[("", _("all")), *Outcome.Code.choices]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Law codes are what workers say ("Pw", "Wmo 2015"); the full name is long.
        self.fields["law"].label_from_instance = lambda law: law.code

    def clean(self):
        data = super().clean()
        low, high = data.get("amount_min"), data.get("amount_max")
        if low is not None and high is not None and low > high:
            self.add_error("amount_max", _("The upper amount is below the lower amount."))
        return data

    def filters(self) -> dict:
        """The cleaned filters for `search_examples` (empty when the form is invalid)."""
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if k != "q"}
