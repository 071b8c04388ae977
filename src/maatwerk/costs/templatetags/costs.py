from django import template

from maatwerk.costs import explain

register = template.Library()


@register.filter
def bearer_label(code):
    """A bearer code from the engine as the catalogue names it (free codes as they are)."""
    return explain.bearer_label(code)
