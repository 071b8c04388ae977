from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maatwerk.core import dates
from maatwerk.core.domains import LifeDomain
from maatwerk.core.forms import DateField, DateInput

from . import bsn as bsn_lib
from .models import Case, CaseNote, OrganisationType
from .services import MAX_RESIDENTS


class CaseFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_(
            "A resident's name, the household reference, words from the short description, "
            "or a BSN."
        ),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("all")), *Case.Status.choices]
    )
    life_domain = forms.ChoiceField(
        label=_("Life domain"), required=False, choices=[("", _("all")), *LifeDomain.choices]
    )
    team = forms.TypedChoiceField(label=_("Team"), required=False, coerce=int, empty_value=None)
    mine = forms.BooleanField(label=_("Only my cases"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("newest", _("newest first")),
            ("oldest", _("oldest first")),
            ("deadline", _("decision deadline")),
            ("household", _("household reference")),
        ],
    )

    def __init__(self, *args, teams=(), show_mine=True, **kwargs):
        super().__init__(*args, **kwargs)
        teams = list(teams)
        if len(teams) > 1:
            self.fields["team"].choices = [("", _("all")), *((t.pk, t.name) for t in teams)]
        else:
            del self.fields["team"]
        if not show_mine:
            del self.fields["mine"]


class NewCaseForm(forms.Form):
    team = forms.TypedChoiceField(label=_("Team"), coerce=int)
    reference = forms.CharField(
        label=_("Household reference"),
        required=False,
        max_length=20,
        help_text=_("Leave empty to have one made. Never use names or dates of birth."),
    )
    neighbourhood_code = forms.CharField(
        label=_("Neighbourhood code"),
        required=False,
        max_length=10,
        help_text=_("CBS district or neighbourhood code, for example WK036301."),
    )
    title = forms.CharField(label=_("Short description"), max_length=200)
    goal = forms.CharField(
        label=_("The resident's goal, in their own words"),
        help_text=_("Where would you like to go?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    first_step = forms.CharField(label=_("First step"), required=False, max_length=500)
    life_domains = forms.MultipleChoiceField(
        label=_("Life domains in trouble"),
        required=False,
        choices=LifeDomain.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    organisations = forms.MultipleChoiceField(
        label=_("Organisations involved"),
        required=False,
        choices=OrganisationType.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, teams=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [(t.pk, t.name) for t in teams]


class ResidentForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    birth_date = DateField(
        label=_("Birth date"), required=False, widget=DateInput(autocomplete="bday")
    )
    bsn = forms.CharField(
        label=_("BSN"),
        required=False,
        max_length=20,
        help_text=_("Optional. Only when a decision needs it; it is stored encrypted."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    is_contact = forms.BooleanField(label=_("Contact person"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        dates.bound(self.fields["birth_date"], dates.BIRTH_DATE)

    def clean_bsn(self):
        value = self.cleaned_data.get("bsn", "")
        return bsn_lib.validate(value) if value else ""


class BaseResidentFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        filled = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        if not filled:
            raise ValidationError(_("Add at least one resident."))


ResidentFormSet = forms.formset_factory(
    ResidentForm, formset=BaseResidentFormSet, extra=2, max_num=MAX_RESIDENTS, validate_max=True
)


class NoteForm(forms.ModelForm):
    class Meta:
        model = CaseNote
        fields = ["kind", "happened_on", "text"]
        field_classes = {"happened_on": DateField}
        widgets = {
            "text": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        dates.bound(self.fields["happened_on"], dates.EVENT_DATE)
        # Most notes are written the day things happen: today unless the worker changes it.
        self.fields["happened_on"].initial = timezone.localdate


class ObstacleForm(forms.Form):
    blocking_rule = forms.TypedChoiceField(
        label=_("Blocking rule from the regelbank"),
        help_text=_("Choose a known rule or describe a new one below."),
        required=False,
        coerce=int,
        empty_value=None,
    )
    description_new_rule = forms.CharField(
        label=_("Or describe a rule that is not in the regelbank"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    applied_by = forms.ChoiceField(
        label=_("Applied by"),
        required=False,
        choices=[("", _("as in the regelbank")), *OrganisationType.choices],
        help_text=_("Needed for a new rule; for a rule from the regelbank, leave empty."),
    )
    effect = forms.CharField(
        label=_("What it does to this household"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, rules=(), **kwargs):
        super().__init__(*args, **kwargs)
        groups: dict[str, list] = {}
        for rule in rules:
            label = LifeDomain(rule.life_domain).label if rule.life_domain else _("Other")
            groups.setdefault(str(label), []).append((rule.pk, rule.name))
        self.fields["blocking_rule"].choices = [("", _("– choose –")), *groups.items()]
        # One of the two is needed, so neither is labelled "optional": the help says either/or.
        self.fields["blocking_rule"].always_set = True
        self.fields["description_new_rule"].always_set = True

    def clean(self):
        data = super().clean()
        rule, new = data.get("blocking_rule"), (data.get("description_new_rule") or "").strip()
        if rule and new:
            raise ValidationError(
                _("Choose a blocking rule from the regelbank or describe a new one, not both.")
            )
        if not rule and not new and "description_new_rule" not in self.errors:
            self.add_error(
                "blocking_rule",
                _("Choose a blocking rule from the regelbank, or describe a new one."),
            )
        if new and not data.get("applied_by"):
            self.add_error("applied_by", _("Say which organisation applies the new rule."))
        return data


class CaseEditForm(forms.Form):
    # The same fields as on the new-case page (each form instance gets its own copy).
    title = NewCaseForm.base_fields["title"]
    goal = NewCaseForm.base_fields["goal"]
    first_step = NewCaseForm.base_fields["first_step"]
    life_domains = NewCaseForm.base_fields["life_domains"]


class AssignForm(forms.Form):
    workers = forms.TypedMultipleChoiceField(
        label=_("Workers"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only workers and team leads of the case's team can be chosen."),
    )

    def __init__(self, *args, people=(), loads=None, **kwargs):
        super().__init__(*args, **kwargs)
        loads = loads or {}
        # The open caseload beside each name, so the team lead spreads the work.
        self.fields["workers"].choices = [
            (
                p.pk,
                _("%(name)s (%(n)s open cases)")
                % {"name": p.get_full_name() or p.username, "n": loads.get(p.pk, 0)},
            )
            for p in people
        ]


class CloseCaseForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Reason for closing"),
        choices=[("", _("– choose –")), *Case.CloseReason.choices],
    )
    explanation = forms.CharField(
        label=_("Explanation"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed for another reason. It goes on the timeline."),
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("reason") == Case.CloseReason.OTHER
            and not (data.get("explanation") or "").strip()
        ):
            self.add_error("explanation", _("Explain the other reason."))
        return data
