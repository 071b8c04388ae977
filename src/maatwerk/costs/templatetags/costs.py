from django import template
from django.utils.translation import gettext as _

from maatwerk.costs import explain
from maatwerk.costs.forms import COST_TYPE_WORDS

register = template.Library()


@register.filter
def bearer_label(code):
    """A bearer code from the engine as the catalogue names it (free codes as they are)."""
    return explain.bearer_label(code)


@register.filter
def cost_type_label(code):
    """A cost type code in the plan form's plain words ("–" for none)."""
    return COST_TYPE_WORDS.get(code, code or "–")


@register.filter
def grade_label(grade):
    """A reliability grade with its word: "A · officieel", "C · indicatief" ("" for none)."""
    words = {"A": _("official"), "B": _("study"), "C": _("indicative")}
    return f"{grade} · {words[grade]}" if grade in words else ""


@register.simple_tag
def result_summary(result):
    """The sentences that say what the net benefit and the societal net each are."""
    return explain.summary(result)
