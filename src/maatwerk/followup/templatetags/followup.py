from django import template
from django.utils import timezone

from .. import selectors

register = template.Library()


@register.inclusion_tag("followup/_plan_followups.html")
def plan_followups(plan):
    """The follow-up moments of a plan, on the plan page (which already audited reading the
    plan and checked the user may see it)."""
    return {"rows": selectors.of_plan(plan), "plan": plan, "today": timezone.localdate()}
