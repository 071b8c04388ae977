"""The decision trail as an inclusion tag, so the plans app's pages and plan document can show
it without the plans views knowing about decisions: ``{% decision_trail plan %}``."""

from django import template

from maatwerk.decisions import selectors
from maatwerk.decisions.models import DecisionStep
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


@register.inclusion_tag("decisions/_next_step_waiting.html")
def next_step_waiting(plan):
    """The first "next step" of a submitted plan: wait for the decider's answer by its date."""
    step = selectors.open_step(plan)
    return {"step": step, "deciders": selectors.step_deciders(step) if step else []}


# The outcomes that end a plan's way up the ladder: what a revision answers to.
FINAL_OUTCOMES = (
    DecisionStep.Outcome.REJECT,
    DecisionStep.Outcome.WITHDRAW,
    DecisionStep.Outcome.APPROVE,
)


@register.inclusion_tag("decisions/_previous_decision.html")
def previous_decision(plan):
    """On the edit page of a revised plan: the decision on the version it revises (outcome,
    who, when, the reason), so the worker sees what to change. Nothing for a first version."""
    previous = plan.previous_version
    if previous is None:
        return {}
    final = [s for s in selectors.trail(previous) if s.outcome in FINAL_OUTCOMES]
    return {"previous": previous, "step": final[-1] if final else None}


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


@register.inclusion_tag("decisions/_decision_block.html")
def plan_decision(plan):
    """The decision for the plan document: the step that ended the plan's way up the ladder
    (outcome, decider, level and the mandate that level holds, date, reason), or who decides
    now and by when, or that the plan is not submitted yet."""
    steps = selectors.trail(plan)
    final = [s for s in steps if s.outcome in FINAL_OUTCOMES]
    step = final[-1] if final else None
    waiting = next((s for s in steps if s.is_open), None)
    mandate = None
    shown = step or waiting
    if shown is not None and shown.organisation_id and shown.key:
        found = selectors.config_for(shown.organisation).mandates.get(shown.key)
        mandate = found
    return {"plan": plan, "step": step, "waiting": waiting, "mandate": mandate}
