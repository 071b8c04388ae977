from django import forms
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from maatwerk.core import dates
from maatwerk.core.errors import to_form
from maatwerk.core.formatting import money
from maatwerk.core.forms import DateField, LocalMoneyField
from maatwerk.costs.models import Unit

from . import rules
from .models import (
    CheckIn,
    FollowUp,
    Outcome,
    PilotLight,
    since_missing_message,
    ticked_with_none_holds_message,
    ticked_with_not_measured_message,
)


def _event_date(label, required=True, help_text=""):
    field = DateField(label=label, required=required, help_text=help_text)
    dates.bound(field, dates.EVENT_DATE)
    return field


# The record form's third answer: measured, and none of the outcomes holds (the service's
# `measured="yes", none_holds=True`).
NONE_HOLDS = "none_holds"


class RecordForm(forms.Form):
    """Record a follow-up: measured with coded outcomes; measured with none of the outcomes
    holding; or not measured with the reason. Per outcome: a box to tick, the date since when
    it holds and a short text."""

    measured = forms.ChoiceField(
        label=_("Could you measure the outcome?"),
        choices=[
            (
                FollowUp.Measured.YES,
                _("Yes, measured, with outcomes: I spoke with the household or know it otherwise"),
            ),
            (NONE_HOLDS, _("Yes, measured: none of the outcomes holds")),
            (FollowUp.Measured.NOT_MEASURED, _("No, not measured")),
        ],
        widget=forms.RadioSelect,
        help_text=_(
            "“None of the outcomes holds”: measured, and no outcome of the list was reached or "
            "kept. It counts as measured, with no costs avoided. Did an outcome start only "
            "recently? Then tick it with its date: it counts once it has held six months."
        ),
    )
    reason = forms.ChoiceField(
        label=_("Why not measured"),
        choices=FollowUp.Reason.choices,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("Only when not measured. It counts as unmeasured, never as failure."),
    )
    recorded_on = _event_date(_("Day of measurement"))

    def __init__(self, *args, lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recorded_on"].initial = timezone.localdate
        # Corrected lines (optional): per correctable line of the predicted standard route,
        # the amount it really was (followup.selectors.correctable_lines).
        self.lines = list(lines)
        for line in self.lines:
            self.fields[f"line_{line.pk}"] = LocalMoneyField(
                label=line.label or (line.cost_item.name_nl if line.cost_item_id else ""),
                required=False,
                min_value=0,
                max_digits=12,
                decimal_places=2,
                help_text=_("Predicted: %(amount)s (%(unit)s). Leave empty when it was right.")
                % {
                    "amount": money(line.predicted),
                    "unit": dict(Unit.choices).get(line.predicted_unit, line.predicted_unit),
                },
            )
        # Required when not measured (the service's rule): said so, not "(optional)".
        self.fields["reason"].needed_for = _("needed when “not measured”")
        self.outcome_errors: list[str] = []
        for code, label in Outcome.Code.choices:
            self.fields[code] = forms.BooleanField(label=capfirst(label), required=False)
            self.fields[f"{code}_since"] = _event_date(_("Holds since"), required=False)
            self.fields[f"{code}_since"].needed_for = _("needed when ticked")
            # Every outcome's date reads "Holds since" under its box; the error summary at the
            # top names the outcome, or a bad date there would not say whose it is.
            self.fields[f"{code}_since"].summary_label = _("%(outcome)s, holds since") % {
                "outcome": capfirst(label)
            }
            self.fields[f"{code}_text"] = forms.CharField(
                label=_("In short"), max_length=300, required=False
            )

    def clean(self):
        """A ticked outcome without its date is refused here too, so that it comes in the same
        round as the form's other errors (walk 13: "Geldt sinds" only after the rest was
        fixed); each message names its outcome."""
        cleaned = super().clean()
        # An answer that takes no outcomes, with outcomes ticked: that contradiction is what
        # to fix (untick them), not their missing dates; said here too, so that it comes in
        # the same round as the form's other errors (the service refuses it as well).
        ticked = any(cleaned.get(code) for code in Outcome.Code.values)
        answer = cleaned.get("measured")
        if ticked and answer == NONE_HOLDS:
            self.outcome_errors = [ticked_with_none_holds_message()]
            return cleaned
        if ticked and answer == FollowUp.Measured.NOT_MEASURED:
            self.outcome_errors = [ticked_with_not_measured_message()]
            return cleaned
        for code in Outcome.Code.values:
            field = f"{code}_since"
            if cleaned.get(code) and not cleaned.get(field) and field not in self.errors:
                self.add_error(field, since_missing_message(code))
        return cleaned

    def outcome_rows(self):
        """Per outcome: (box, since, text), for the template: the box carries the outcome's
        name, the date and text under it are shown only when it is ticked."""
        return [
            (self[code], self[f"{code}_since"], self[f"{code}_text"])
            for code in Outcome.Code.values
        ]

    def correction_fields(self):
        return [self[f"line_{line.pk}"] for line in self.lines]

    @property
    def corrections_refused(self) -> bool:
        """A corrected line has an error: its fieldset stays shown whatever the answer."""
        return any(self.errors.get(f"line_{line.pk}") for line in self.lines)

    def add_service_error(self, error) -> None:
        """The service's refusal on the form: errors about the outcomes as a whole at their
        fieldset (`outcome_errors`), the rest at their field (core.errors.to_form)."""
        if hasattr(error, "error_dict") and "outcomes" in error.error_dict:
            self.outcome_errors = [m for e in error.error_dict.pop("outcomes") for m in e]
            if not error.error_dict:
                return
        to_form(self, error)

    @property
    def outcome_links(self) -> list[tuple[str, str, str]]:
        """The outcome errors for the error summary: (anchor, where, message)."""
        return [("outcome-fields", _("Outcomes"), e) for e in self.outcome_errors]

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        corrections = {
            line.pk: d[f"line_{line.pk}"]
            for line in self.lines
            if d.get(f"line_{line.pk}") is not None and d[f"line_{line.pk}"] != line.predicted
        }
        none_holds = d["measured"] == NONE_HOLDS
        return {
            "corrections": corrections,
            "measured": FollowUp.Measured.YES if none_holds else d["measured"],
            "none_holds": none_holds,
            "reason": d.get("reason") or "",
            "recorded_on": d["recorded_on"],
            "outcomes": [
                {
                    "code": code,
                    "holds_since": d.get(f"{code}_since"),
                    "text": d.get(f"{code}_text", ""),
                }
                for code in Outcome.Code.values
                if d.get(code)
            ],
        }


# The session key under which a refused end-of-action form waits for the plan page (once).
CARRIED_OUT_KEY = "followup.carried_out.%s"


class CarriedOutForm(forms.Form):
    """The day the plan's tailored action was carried out (the end of the action)."""

    carried_out_on = _event_date(
        _("Carried out on"),
        help_text=_("The follow-ups not yet recorded are scheduled from this day."),
    )

    @classmethod
    def refused(cls, stored: dict) -> "CarriedOutForm":
        """The form as it was refused: bound to what was typed, with the form's own errors and
        those the service gave (`stored` as the view put it in the session)."""
        form = cls(data=stored.get("data") or {})
        if form.is_valid():
            for message in stored.get("refused") or ():
                form.add_error("carried_out_on", message)
        return form


class StartPilotLightForm(forms.Form):
    """Start the waakvlam of a closed case: how often to check in."""

    interval_months = forms.TypedChoiceField(
        label=_("How often do you check in?"),
        choices=PilotLight.Interval.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose every three or every six months.")},
        help_text=_("For as long as the team chooses: you can stop it at any time."),
    )


class CheckInForm(forms.Form):
    """One check-in of the waakvlam: the day, how it is going and one line."""

    checked_on = _event_date(_("Day of the check-in"))
    outcome = forms.ChoiceField(
        label=_("How is it going?"),
        choices=CheckIn.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how it is going from the list.")},
    )
    text = forms.CharField(
        label=_("In one line"),
        max_length=200,
        required=False,
        help_text=_("At most 200 characters. No more than the team needs to know."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["checked_on"].initial = timezone.localdate


class MomentsForm(forms.Form):
    """The organisation's follow-up moments (functional administrator)."""

    first = forms.IntegerField(
        label=_("First follow-up after the end of the action (months)"),
        min_value=rules.OFFSET_MIN,
        max_value=rules.OFFSET_MAX,
    )
    second = forms.IntegerField(
        label=_("Second follow-up after the end of the action (months)"),
        min_value=rules.OFFSET_MIN,
        max_value=rules.OFFSET_MAX,
        help_text=_("Later than the first; at most 60 months."),
    )
    grace_days = forms.IntegerField(
        label=_("Days before an overdue follow-up goes to the team lead"),
        min_value=0,
        max_value=rules.GRACE_MAX,
    )
