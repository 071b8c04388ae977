from django import template
from django.utils import timezone
from django.utils.translation import get_language

from maatwerk.core import formatting

register = template.Library()


@register.filter
def money(value):
    return formatting.money(value)


@register.filter
def long_date(value):
    if value is None:
        return ""
    if hasattr(value, "tzinfo") and hasattr(value, "hour"):
        value = timezone.localtime(value).date()
    if (get_language() or "nl").startswith("nl"):
        return formatting.long_date(value)
    return value.strftime("%-d %B %Y")
