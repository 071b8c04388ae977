from django import template
from django.utils import timezone

from .. import selectors
from ..models import FollowUp

register = template.Library()


@register.inclusion_tag("followup/_plan_followups.html")
def plan_followups(plan):
    """The follow-up moments of a plan and, once one is recorded, its realised return against
    the prediction, on the plan page (which already audited reading the plan and checked the
    user may see it)."""
    rows = selectors.of_plan(plan)
    recorded = [f for f in rows if f.is_recorded]
    latest = max(recorded, key=lambda f: (f.recorded_on, f.pk)) if recorded else None
    not_measured = latest is not None and latest.measured == FollowUp.Measured.NOT_MEASURED
    realised = None
    if latest and not not_measured:
        try:
            realised = selectors.realised_for(plan)
        except ValueError:  # a standard route too irregular for the engine's 200 lines
            realised = None
    return {
        "rows": rows,
        "plan": plan,
        "today": timezone.localdate(),
        "latest": latest,
        "not_measured": not_measured,
        "realised": realised,
    }
