"""The plan status as one badge everywhere (plan, case, case list, start page):
``{% plan_status plan %}``. Label and tone come from `Plan.Status` and `lifecycle`."""

from django import template

from maatwerk.plans import lifecycle
from maatwerk.plans.models import Plan

register = template.Library()


@register.inclusion_tag("plans/_status.html")
def plan_status(plan_or_status):
    """A badge for a plan (or a bare status value, as an annotated list row carries)."""
    status = getattr(plan_or_status, "status", plan_or_status)
    try:
        label = Plan.Status(status).label
    except ValueError:
        return {"label": "", "tone": ""}
    return {"label": label, "tone": lifecycle.tone(status), "status": status}
