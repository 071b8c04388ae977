from decimal import Decimal

from django import template
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from maatwerk.cases.selectors import may_write
from maatwerk.core.formatting import long_date

from .. import rules, selectors
from ..forms import CARRIED_OUT_KEY, CarriedOutForm
from ..models import ActionCarriedOut, FollowUp

register = template.Library()


@register.inclusion_tag("followup/_plan_followups.html", takes_context=True)
def plan_followups(context, plan):
    """The follow-up moments of a plan and, once one is recorded, its realised return against
    the prediction, on the plan page (which already audited reading the plan and checked the
    user may see it)."""
    rows = selectors.of_plan(plan)
    recorded = [f for f in rows if f.is_recorded]
    latest = max(recorded, key=lambda f: (f.recorded_on, f.pk)) if recorded else None
    not_measured = latest is not None and latest.measured == FollowUp.Measured.NOT_MEASURED
    realised = None
    basis_holds = False
    basis = None  # the outcome the realised months count from
    if latest and not not_measured:
        outcomes = list(latest.outcomes.all())
        if outcomes:
            basis = min(outcomes, key=lambda o: (o.holds_since, o.pk))
            basis_holds = rules.holds(basis.holds_since, latest.recorded_on)
        try:
            realised = selectors.realised_for(plan)
        except ValueError:  # a standard route too irregular for the engine's 200 lines
            realised = None
    # With more than one outcome: per outcome, why it carries the figure or not.
    outcome_reasons = (
        _outcome_reasons(outcomes, basis, latest.recorded_on)
        if basis is not None and len(outcomes) > 1
        else []
    )
    # Earlier measurements that the latest replaces (only the latest counts).
    replaced = [
        f
        for f in recorded
        if f is not latest and f.measured == FollowUp.Measured.YES and latest is not None
    ]
    request = context.get("request")
    user = getattr(request, "user", None)
    writer = bool(user and user.is_authenticated and may_write(user, plan.case))
    marking = ActionCarriedOut.objects.filter(plan=plan).first()
    session = getattr(request, "session", None)
    stored = session.pop(CARRIED_OUT_KEY % plan.pk, None) if session is not None else None
    if stored:
        carried_out_form = CarriedOutForm.refused(stored)
    else:
        carried_out_form = CarriedOutForm(
            initial={"carried_out_on": marking.carried_out_on if marking else None}
        )
    return {
        "rows": rows,
        "action_over": marking is not None or selectors.action_over(plan),
        "marking": marking,
        "may_mark": writer and bool(rows) and plan.status != plan.Status.CLOSED,
        "carried_out_form": carried_out_form,
        "plan": plan,
        "today": timezone.localdate(),
        "latest": latest,
        "not_measured": not_measured,
        "realised": realised,
        "basis_holds": basis_holds,
        "none_holds": bool(latest and latest.none_holds),
        "basis": basis,
        "start": selectors.plan_start(plan) if basis is not None else None,
        "replaced": replaced,
        "outcome_reasons": outcome_reasons,
        "replaced_list": _and_list(
            [
                f"{long_date(f.recorded_on)} (“{f.get_moment_display()}”)"
                for f in sorted(replaced, key=lambda f: (f.recorded_on, f.pk))
            ]
        ),
    }


def _and_list(items: list[str]) -> str:
    """ "a, b and c" in the interface language."""
    if len(items) < 2:
        return "".join(items)
    return _("%(first)s and %(last)s") % {"first": ", ".join(items[:-1]), "last": items[-1]}


def _outcome_reasons(outcomes, basis, measured_on) -> list[str]:
    """One sentence per outcome: the realised months count from the outcome that holds since
    the earliest day (`selectors.realised_from`), up to the day of measurement, and only once
    it has held six months (`rules.realised_window`). The others carry nothing."""
    first = basis.get_code_display()
    reasons = []
    for o in sorted(outcomes, key=lambda o: (o.holds_since, o.pk)):
        values = {
            "outcome": o.get_code_display(),
            "since": long_date(o.holds_since),
            "first": first,
        }
        held = rules.holds(o.holds_since, measured_on)
        if o is basis and held:
            text = _(
                "%(outcome)s (since %(since)s): has held six months at this measurement; "
                "the figure counts from it, up to the day of this measurement."
            )
        elif o is basis:
            text = _(
                "%(outcome)s (since %(since)s): has not held six months yet, so it does not "
                "count yet: no months are counted until it has held six months."
            )
        elif held:
            text = _(
                "%(outcome)s (since %(since)s): holds too, but started later than "
                "“%(first)s”; it adds nothing to the figure."
            )
        else:
            text = _(
                "%(outcome)s (since %(since)s): has not held six months yet and started "
                "later than “%(first)s”; it does not count (yet)."
            )
        reasons.append(text % values)
    return reasons


@register.filter
def ratio(value):
    """A ratio with two decimals in the interface language (1,85 in Dutch), the same
    precision for the predicted and the realised one."""
    if value is None or value == "":
        return ""
    return formats.number_format(Decimal(value).quantize(Decimal("0.01")), 2, use_l10n=True)


@register.inclusion_tag("followup/_case_pilot_light.html", takes_context=True)
def case_pilot_light(context, case):
    """The waakvlam on the case page (which already checked the user may see the case and
    audited the read): shown for a closed case, or any case that had one."""
    lights = selectors.pilot_lights_of(case)
    request = context.get("request")
    user = getattr(request, "user", None)
    writer = bool(user and user.is_authenticated and may_write(user, case))
    closed = case.status == case.Status.CLOSED
    return {
        "show": closed or bool(lights),
        "case": case,
        "active": next((light for light in lights if light.is_active), None),
        "latest": lights[0] if lights else None,
        "may_keep": writer and closed,
        "today": timezone.localdate(),
    }


@register.inclusion_tag("followup/_status.html")
def followup_status(followup, today=None, action_over=True):
    """One follow-up's status badge, in the same words on every page: "gepland" (not due
    yet), "wacht op de actie" (the end of the action, not marked carried out nor paid yet:
    never due before), "aan de beurt" (due today), "te laat" (past its day), "vastgelegd",
    "niet gemeten" (neutral: never a success or a failure) and "vervallen"."""
    today = today or timezone.localdate()
    if followup.is_recorded:
        kind = "not_measured" if followup.measured == FollowUp.Measured.NOT_MEASURED else "recorded"
    elif followup.status == FollowUp.Status.CANCELLED:
        kind = "cancelled"
    elif not action_over and followup.moment == FollowUp.Moment.END_OF_ACTION:
        kind = "awaiting_action"
    else:
        # Past its day it is late, in the start page's words (its task says "te laat" too).
        if followup.due_on < today:
            kind = "overdue"
        else:
            kind = "due" if followup.due_on == today else "scheduled"
    return {"kind": kind}
