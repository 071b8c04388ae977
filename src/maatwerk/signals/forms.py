from django import forms
from django.utils.translation import gettext_lazy as _

from maatwerk.core import dates
from maatwerk.core.forms import DateField, LocalMoneyField
from maatwerk.decisions.models import CollectiveApproach
from maatwerk.legal.models import Applier, BlockingRule

from .models import OwnerKind, Status


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


class RaiseSignalForm(forms.Form):
    """A new signal: what keeps happening and to whom it goes (the rule is in the URL)."""

    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("What keeps happening"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("The pattern, in general terms: no names, no details of one household."),
    )
    owner_kind = forms.ChoiceField(
        label=_("Owner of the rule"),
        choices=OwnerKind.choices,
        widget=forms.RadioSelect,
    )
    owner_name = forms.CharField(
        label=_("Name of the owner"),
        max_length=200,
        required=False,
        help_text=_(
            "The department or organisation that can change the rule. For the national level: "
            "the Landelijk Maatwerkloket, unless you name another."
        ),
    )

    def clean(self):
        """The owner's name is checked with the other fields (services.check_owner owns the
        rule), so an empty form names every missing field at once, not the name afterwards
        (walk 14)."""
        from django.core.exceptions import ValidationError

        from .services import check_owner

        data = super().clean()
        if data.get("owner_kind"):
            try:
                check_owner(data["owner_kind"], data.get("owner_name", ""))
            except ValidationError as e:
                for field, errors in e.message_dict.items():
                    for error in errors:
                        self.add_error(field, error)
        return data


class TransitionForm(forms.Form):
    """One step of a signal along the allow-list; the note is the reason where one is needed."""

    to_status = forms.ChoiceField(choices=Status.choices, widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Note"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed when the rule is kept (why) or the signal is passed on (to whom)."),
    )


class ContributionForm(forms.Form):
    text = forms.CharField(
        label=_("What you know"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What you see happen, in general terms: no names, no details of a household."),
    )


class CollectiveApproachForm(forms.Form):
    """A team lead starts a collective approach: for a pattern (neighbourhood, life domain and
    rule in the URL), or for a neighbourhood and life domain chosen here (`areas` given)."""

    wijk = forms.ChoiceField(label=_("Neighbourhood"), choices=())
    leefgebied = forms.ChoiceField(label=_("Life domain"), choices=())
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        help_text=_("What the approach is, in general terms: no names of residents."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=CollectiveApproach.Kind.choices)
    amount = LocalMoneyField(
        label=_("Budget (euros)"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        help_text=_("When money is involved: committed on your team's budget of this year."),
    )
    team = forms.ModelChoiceField(label=_("Team"), queryset=None, empty_label=None)
    public = forms.BooleanField(
        label=_("Show on the public page"),
        required=False,
        help_text=_(
            "Off by default. When on, the kind, life domain and status of the approach appear "
            "on the organisation's public page (never its name, the neighbourhood, the team or "
            "the money)."
        ),
    )

    def __init__(self, *args, teams=(), areas=None, mandate="", **kwargs):
        super().__init__(*args, **kwargs)
        from maatwerk.accounts.models import Team
        from maatwerk.core.domains import LifeDomain

        if mandate:  # the starter's mandate, said at the budget field before submit
            self.fields["amount"].help_text = f"{self.fields['amount'].help_text} {mandate}"

        self.fields["team"].queryset = Team.objects.filter(pk__in=[t.pk for t in teams])
        if len(teams) <= 1:
            del self.fields["team"]  # the team lead's one team
        if areas is None:  # the pattern is in the URL
            del self.fields["wijk"]
            del self.fields["leefgebied"]
        else:
            self.fields["wijk"].choices = [("", "–"), *areas]
            self.fields["leefgebied"].choices = [("", "–"), *LifeDomain.choices]


class CollectiveActivityForm(forms.Form):
    """What was done for a collective approach, on a day; optionally its status and money."""

    day = DateField(label=_("Date"))  # not "Day": its first box is labelled Dag (walk 14)
    note = forms.CharField(
        label=_("What was done"),
        max_length=2000,
        required=False,  # a status change or a payment alone is a line too
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("In general terms: no names of residents."),
    )
    status = forms.ChoiceField(label=_("Status from then on"), choices=())
    amount = LocalMoneyField(
        label=_("Paid (euros)"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        help_text=_("Paid from the approach's budget on this day."),
    )
    payee = forms.CharField(label=_("Paid to"), max_length=200, required=False)

    def __init__(self, *args, approach=None, **kwargs):
        super().__init__(*args, **kwargs)
        from maatwerk.decisions.services import COLLECTIVE_NEXT

        dates.bound(self.fields["day"], dates.EVENT_DATE)
        # Not optional: a line needs it unless the status moves on or money is paid (walk 14).
        self.fields["note"].needed_for = _("unless the status changes or money is paid")
        allowed = COLLECTIVE_NEXT[approach.status] if approach else set()
        self.fields["status"].choices = [
            (v, label) for v, label in CollectiveApproach.Status.choices if v in allowed
        ]
        if approach:
            self.fields["status"].initial = approach.status
