from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from maatwerk.library import selectors
from maatwerk.library.deidentify import PLACEHOLDER_RE

register = template.Library()


@register.filter
def marked(text: str):
    """The text with every placeholder (what de-identification replaced) in a <mark>."""
    escaped = escape(text or "")
    return mark_safe(  # noqa: S308  (escaped above; placeholders hold no markup)
        PLACEHOLDER_RE.sub(lambda m: f'<mark class="om-replaced">{m.group()}</mark>', escaped)
    )


@register.inclusion_tag("library/_plan_examples.html")
def plan_examples(plan, user):
    """On the plan page: the team's examples from this plan and, for a decided plan, the button
    to propose one."""
    return {
        "plan": plan,
        "may_propose": selectors.may_propose(user, plan),
        "examples": list(selectors.examples_of_plan(user, plan)),
    }
