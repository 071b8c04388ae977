"""Forms of escalation beyond the organisation: the referral and its answer."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from maatwerk.core import dates
from maatwerk.core.forms import DateField

from . import selectors
from .models import Answer, ReferralRoute

ROUTE_HELP = {
    ReferralRoute.BREAKTHROUGH_TABLE: _(
        "The doorbraaktafel is regional: the municipality and its partners look for a way "
        "through together."
    ),
    ReferralRoute.NATIONAL_DESK: _(
        "The Landelijk Maatwerkloket is national: for rules of national organisations such "
        "as Toeslagen, UWV, SVB or CAK."
    ),
}


class ReferralForm(forms.Form):
    route = forms.ChoiceField(label=pgettext_lazy("referral", "Route"), widget=forms.RadioSelect)
    to = forms.ModelChoiceField(
        label=pgettext_lazy("referral", "Addressed to"),
        queryset=None,
        required=False,
        help_text=_("The escalation route as it is in the directory."),
    )
    reason = forms.CharField(
        label=pgettext_lazy("referral", "Why escalate"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "In a few words: what is stuck and what you ask of the route. No names, no BSN."
        ),
    )
    sent_on = DateField(
        label=pgettext_lazy("referral", "Sent on"),
        required=False,
        help_text=pgettext_lazy("referral", "Empty: today."),
    )

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        routes = selectors.allowed_routes(request)
        self.fields["route"].choices = [(r, ReferralRoute(r).label) for r in routes]
        self.fields["route"].help_text = " ".join(str(ROUTE_HELP[r]) for r in routes)
        if len(routes) == 1:
            self.fields["route"].initial = routes[0]
        addressees = selectors.escalation_routes()
        if addressees.exists():
            self.fields["to"].queryset = addressees
        else:  # the directory has no escalation route yet: nothing to choose
            del self.fields["to"]
        dates.bound(self.fields["sent_on"], dates.EVENT_DATE)


class ReferralAnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Answer of the route"),
        widget=forms.RadioSelect,
        choices=[(a.value, a.label) for a in (Answer.AGREED, Answer.PARTLY, Answer.REFUSED)],
    )
    outcome = forms.CharField(
        label=pgettext_lazy("referral", "Outcome"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was agreed or decided, in a few words."),
    )
    reason = forms.CharField(
        label=pgettext_lazy("referral", "Reason given"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when the answer is partly agreed or refused."),
    )
    answered_on = DateField(
        label=pgettext_lazy("referral", "Answered on"),
        required=False,
        help_text=pgettext_lazy("referral", "Empty: today."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        dates.bound(self.fields["answered_on"], dates.EVENT_DATE)
