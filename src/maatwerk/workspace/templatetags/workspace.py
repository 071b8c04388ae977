"""Tags of the top layer for pages of lower apps: the case page shows its next step with
``{% case_next_step case plans %}`` without the cases app knowing plans or decisions."""

from django import template

from maatwerk.workspace.next_step import next_step

register = template.Library()


@register.inclusion_tag("workspace/_next_step.html", takes_context=True)
def case_next_step(context, case, plans):
    """The case's one main button; `plans` are the case's plans, newest first."""
    return {"next_step": next_step(case, plans), "csrf_token": context.get("csrf_token")}
