"""The decision trail as an inclusion tag, so the plans app's pages and plan document can show
it without the plans views knowing about decisions: ``{% decision_trail plan %}``."""

from django import template

from maatwerk.decisions import selectors
from maatwerk.plans.lifecycle import PAYABLE

register = template.Library()


@register.inclusion_tag("decisions/_steps.html")
def decision_trail(plan, heading_level=3):
    """Every decision step (who, when, what, why) and the MDT consultations of `plan`.

    Two or three queries whatever the number of plans: the steps with their deciders, the
    consultations and (only when there are any) their participants.
    """
    return {
        "trail": selectors.trail(plan),
        "consultations": selectors.consultations(plan),
        "heading_level": heading_level,
    }


@register.inclusion_tag("decisions/_recent_for_author.html")
def recent_decisions(user):
    """The latest decisions on the plans `user` wrote, for the start page."""
    return {"decisions": selectors.decisions_for_author(user)}


@register.inclusion_tag("decisions/_waiting.html")
def waiting_for(plan):
    """Who decides the plan now and by when: the people of its open step, by name."""
    step = selectors.open_step(plan)
    return {"step": step, "deciders": selectors.step_deciders(step) if step else []}


@register.inclusion_tag("decisions/_payment.html")
def payment(plan, user):
    """Granted, paid and still open on an approved plan, with "Record a payment" for whoever
    holds its budget (the service checks again). Nothing before approval."""
    if plan.status not in PAYABLE:
        return {"show": False}
    position = selectors.plan_payment(plan)
    commitment = position.commitment
    may_pay = commitment is not None and selectors.manages_budget(user, commitment.budget)
    return {"show": True, "plan": plan, "position": position, "may_pay": may_pay}
