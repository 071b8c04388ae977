"""Escalations beyond the organisation in a plan's decision trail, so the plan page, the
decision page and the plan document show them without the plans or decisions apps knowing about
cooperation: ``{% load referrals %}{% referral_trail plan request.user %}``."""

from django import template

from maatwerk.cooperation import selectors

register = template.Library()


@register.inclusion_tag("cooperation/_referral_trail.html")
def referral_trail(plan, user=None, heading_level=3):
    """The plan's referrals (route, date, why, answer and outcome) and, for whoever may write
    the case (`user` given), the refused or overdue requests that may be escalated now."""
    may_write = user is not None and selectors.may_write_case(user, plan.case)
    return {
        "plan": plan,
        "referrals": selectors.plan_referrals(plan),
        "escalatable": selectors.escalatable_requests(plan) if may_write else [],
        "links": user is not None,
        "heading_level": heading_level,
    }


@register.inclusion_tag("cooperation/_request_referrals.html")
def request_referrals(coop, user):
    """On a request's own page: its referrals and, when it is refused or overdue and `user`
    may write the case, "Escalate beyond the organisation"."""
    return {
        "referrals": [r for r in coop.referrals.all() if r.status != r.Status.DRAFT],
        "may_escalate": selectors.may_write(user, coop) and not selectors.escalation_blocker(coop),
        "coop": coop,
    }
