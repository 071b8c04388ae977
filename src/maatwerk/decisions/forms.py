from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maatwerk.core import dates
from maatwerk.core.forms import DateField, LocalMoneyField

from .models import Consultation, LedgerEntry

# Django's own message says "0.01"; a person reads euros with a comma.
AT_LEAST_A_CENT = _("Enter at least € 0,01.")


class DecideForm(forms.Form):
    ACTIONS = [
        ("approve", _("Approve (commits the budget)")),
        ("reject", _("Reject")),
        ("consult", _("Ask for an MDT consultation")),
        ("escalate", _("Pass it on to the next level (who decides above you)")),
    ]
    action = forms.ChoiceField(
        label=_("Your decision"),
        choices=ACTIONS,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what you decide: approve, reject, MDT or escalate.")},
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Required when you reject (the worker sees it), when you ask for an MDT "
            "consultation (write the question) and when you pass the plan on (whoever decides "
            "above you reads it)."
        ),
    )

    # Set by the confirmation step that names the amount and the budget left after it.
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, without_money: bool = False, may_escalate: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        # Shown as "Reden (verplicht, behalve bij goedkeuren)", not as optional.
        self.fields["reason"].needed_for = _("required unless you approve")
        if without_money:  # approving a plan without money commits nothing
            self.fields["action"].choices = [
                ("approve", _("Approve (no money: the budget is not touched)")),
                *self.ACTIONS[1:],
            ]
        if not may_escalate:  # the top: nobody decides above
            self.fields["action"].choices = [
                c for c in self.fields["action"].choices if c[0] != "escalate"
            ]
            self.fields["action"].error_messages["required"] = _(
                "Choose what you decide: approve, reject or MDT."
            )
            self.fields["reason"].help_text = _(
                "Required when you reject (the worker sees it) and when you ask for an MDT "
                "consultation (write the question)."
            )


class ConsultationForm(forms.ModelForm):
    class Meta:
        model = Consultation
        fields = ["date", "participants", "question", "advice", "decided_with_it"]
        field_classes = {"date": DateField}
        widgets = {
            "participants": forms.Textarea(attrs={"rows": 3}),
            "question": forms.Textarea(attrs={"rows": 3}),
            "advice": forms.Textarea(attrs={"rows": 3}),
            "decided_with_it": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        dates.bound(self.fields["date"], dates.PLANNED_DATE)
        self.fields["participants"].label = _("Who else took part")
        self.fields["participants"].help_text = _(
            "Free text: the names or roles of the people at the table, one a line, for example "
            "“Schuldhulpverlening (budgetcoach)” or “J. de Vries, wijkverpleegkundige”."
        )
        if self.initial.get("question"):
            self.fields["question"].help_text = _(
                "Filled in with the question asked with the decision; adjust it if the meeting "
                "discussed another one."
            )


PAYEE_KINDS = LedgerEntry.PayeeKind.choices


class LedgerActionForm(forms.Form):
    ACTIONS = [
        ("payment", _("Record a payment")),
        ("release", _("Release the unused rest")),
        ("reversal", _("Correct (reverse) this entry")),
    ]
    entry = forms.IntegerField(widget=forms.HiddenInput)
    action = forms.ChoiceField(label=_("What"), choices=ACTIONS)
    amount = LocalMoneyField(
        label=_("Amount (euros)"),
        required=False,
        max_digits=12,
        decimal_places=2,
        min_value=0.01,
        error_messages={"min_value": AT_LEAST_A_CENT},
    )
    payee = forms.CharField(label=_("Paid to"), required=False, max_length=200)
    payee_kind = forms.ChoiceField(
        label=_("Kind of payee (payment)"), choices=PAYEE_KINDS, required=False
    )
    paid_on = DateField(
        label=_("Payment date (payment)"),
        required=False,
        help_text=_("Empty: today."),
    )
    in_kind = forms.BooleanField(label=_("In kind"), required=False)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)


class PaymentForm(forms.Form):
    """A payment on an approved plan, from the plan's own page."""

    amount = LocalMoneyField(
        label=_("Amount paid (euros)"),
        max_digits=12,
        decimal_places=2,
        min_value=0.01,
        error_messages={"min_value": AT_LEAST_A_CENT},
    )
    payee = forms.CharField(
        label=_("Paid to"),
        required=False,
        max_length=200,
        help_text=_("Left empty: the payee of the plan."),
    )
    payee_kind = forms.ChoiceField(
        label=_("Kind of payee"),
        choices=PAYEE_KINDS,
        required=False,  # left out (a script): an organisation, as the plan's payee mostly is
        initial=LedgerEntry.PayeeKind.ORGANISATION,
        widget=forms.RadioSelect,
        help_text=_("Kept in the ledger for good; the name is removed when the case is destroyed."),
    )
    paid_on = DateField(
        label=_("Payment date"),
        required=False,
        help_text=_("The day it was paid (empty: today): not in the future, not before the grant."),
    )
    in_kind = forms.BooleanField(label=_("Paid in kind (not in money)"), required=False)

    def __init__(self, *args, payee: str = "", **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"] = {"payee": payee, "paid_on": timezone.localdate(), **kwargs["initial"]}
        super().__init__(*args, **kwargs)
