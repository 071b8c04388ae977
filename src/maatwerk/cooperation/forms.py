from django import forms
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from maatwerk.core import dates
from maatwerk.core.choices import OrganisationType
from maatwerk.core.forms import DateField
from maatwerk.legal.models import Provision

from .models import (
    DEFAULT_ANSWER_DAYS,
    Answer,
    Channel,
    ContactPoint,
    DirectoryCategory,
    ExternalOrganisation,
)
from .services import MAX_MINUTES, default_due_on


def _event_date(label, required=True, today=False, help_text=""):
    field = DateField(label=label, required=required, help_text=help_text)
    dates.bound(field, dates.EVENT_DATE)
    if today:
        field.initial = timezone.localdate
    return field


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        if obj.status == obj.Status.SUGGESTED:
            return _("%(name)s (suggested by your team)") % {"name": obj.name}
        return obj.name


class ProvisionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.law.code} {obj.article} – {obj.title}"


class RequestForm(forms.Form):
    organisation = OrganisationChoiceField(label=_("Organisation"), queryset=None)
    plan = forms.ModelChoiceField(
        label=_("Plan"), queryset=None, required=False, empty_label=_("no plan: the case")
    )
    question = forms.CharField(
        label=_("What is asked"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: stop offsetting the childcare allowance against the debt."),
    )
    provision = ProvisionChoiceField(
        label=_("Legal ground from the regelbank"),
        queryset=Provision.objects.select_related("law").order_by("law__code", "code"),
        required=False,
    )
    consent_on = _event_date(
        _("Resident's consent given on"),
        required=False,
        help_text=_("Required before the request is sent."),
    )
    consent_scope = forms.CharField(
        label=_("What the resident agreed may be shared"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    send = forms.BooleanField(label=_("The request has been sent"), required=False)
    sent_on = _event_date(_("Sent on"), required=False, help_text=_("Empty: today."))
    due_on = DateField(
        label=_("Answer due on"),
        required=False,
        help_text=_("Empty: %(days)s days after sending.") % {"days": DEFAULT_ANSWER_DAYS},
    )

    def __init__(self, *args, organisations, plans=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if plans is None:
            del self.fields["plan"]
        else:
            self.fields["plan"].queryset = plans
        dates.bound(self.fields["due_on"], dates.PLANNED_DATE)
        # Not "(optional)": a draft may lack them, a sent request may not.
        for name in ("consent_on", "consent_scope"):
            self.fields[name].needed_for = _("needed to send")

    def clean(self):
        """The rules the service checks on the consent and the sending, here too, so that one
        round shows every correction at once (and not the next one only after a new submit).
        A field that is already wrong is left alone: its own error says enough."""
        data = super().clean()
        consent_on, scope = data.get("consent_on"), (data.get("consent_scope") or "").strip()
        consent_ok = "consent_on" not in self.errors
        if consent_ok and consent_on is None and scope:
            self.add_error("consent_on", _("Give the date on which the resident consented."))
        if "consent_scope" not in self.errors and consent_on is not None and not scope:
            self.add_error("consent_scope", _("Say what the resident agreed may be shared."))
        if not data.get("send"):
            return data
        if consent_ok and consent_on is None and not scope:
            self.add_error(
                "consent_on", _("Record the resident's consent before the request is sent.")
            )
        sent_on = data.get("sent_on") or timezone.localdate()
        if "sent_on" not in self.errors and consent_on and sent_on < consent_on:
            self.add_error("sent_on", _("A request cannot be sent before the resident consented."))
        due_on = data.get("due_on") or default_due_on(sent_on)
        if "due_on" not in self.errors and "sent_on" not in self.errors and due_on < sent_on:
            self.add_error("due_on", _("The answer cannot be due before the request is sent."))
        return data


class ConsentForm(forms.Form):
    consent_on = _event_date(_("Resident's consent given on"), today=True)
    consent_scope = forms.CharField(
        label=_("What the resident agreed may be shared"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SendForm(forms.Form):
    sent_on = _event_date(_("Sent on"), today=True)
    due_on = DateField(
        label=_("Answer due on"),
        required=False,
        help_text=_("Empty: %(days)s days after sending.") % {"days": DEFAULT_ANSWER_DAYS},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        dates.bound(self.fields["due_on"], dates.PLANNED_DATE)


class DueDateForm(forms.Form):
    due_on = DateField(label=_("New due date"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        dates.bound(self.fields["due_on"], dates.PLANNED_DATE)


def _minutes_message() -> str:
    return gettext("Fill in the number of minutes: at least 1, at most %(max)s.") % {
        "max": MAX_MINUTES
    }


minutes_message = lazy(_minutes_message, str)


class ContactForm(forms.Form):
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    minutes = forms.IntegerField(
        label=_("Minutes"),
        min_value=1,
        max_value=MAX_MINUTES,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "size": 4}),
        # One message that says what to fill in, whatever is wrong (empty, a word, 0, too many).
        error_messages={
            key: minutes_message() for key in ("required", "invalid", "min_value", "max_value")
        },
    )
    occurred_on = _event_date(_("Date"), today=True)
    note = forms.CharField(label=_("Short note"), max_length=300, required=False)


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(label=_("Answer"), choices=Answer.choices, widget=forms.RadioSelect)
    answer_reason = forms.CharField(
        label=_("Reason given"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when partly agreed or refused."),
    )
    answered_on = _event_date(_("Answered on"), today=True)


class SuggestForm(forms.Form):
    team = forms.TypedChoiceField(label=_("Team"), coerce=int)
    name = forms.CharField(label=_("Name"), max_length=200)
    organisation_type = forms.ChoiceField(
        label=_("Kind of organisation"), choices=OrganisationType.choices
    )
    website = forms.URLField(
        label=_("Website"), max_length=500, required=False, assume_scheme="https"
    )
    note = forms.CharField(
        label=_("Why your team needs it"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("No names or details of residents."),
    )

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [(t.pk, t.name) for t in teams]
        if len(teams) == 1:
            self.fields["team"].initial = teams[0].pk
            self.fields["team"].widget = forms.HiddenInput()


class OrganisationForm(forms.ModelForm):
    website = forms.URLField(
        label=_("Website"), max_length=500, required=False, assume_scheme="https"
    )

    class Meta:
        model = ExternalOrganisation
        fields = ["name", "organisation_type", "category", "website", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = DirectoryCategory.choices


class ContactPointForm(forms.ModelForm):
    class Meta:
        model = ContactPoint
        fields = ["department", "channel", "phone", "address", "notes", "for_formal_requests"]
        widgets = {"address": forms.Textarea(attrs={"rows": 2})}


class DecideSuggestionForm(forms.Form):
    accept = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("yes", _("accept into the directory")), ("no", _("reject"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose to accept or reject the suggestion.")},
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
