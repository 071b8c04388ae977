from django import template
from django.utils.translation import gettext as _

from maatwerk.costs import explain
from maatwerk.costs.engine import ONCE_UNITS
from maatwerk.costs.forms import COST_TYPE_WORDS

register = template.Library()


@register.filter
def bearer_label(code):
    """A bearer code from the engine as the catalogue names it (free codes as they are)."""
    return explain.bearer_label(code)


@register.filter
def line_is_once(form, row=None):
    """Whether a scenario line counts once whatever months are given (a cost per case): its
    own unit, or else its catalogue item's (`row`, a PricedItem or None)."""
    unit = str(form["unit"].value() or "")
    if not unit and row is not None:
        unit = row.item.unit
    return unit in ONCE_UNITS


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
    """What the payers save and when that is paid back, then what it means for society."""
    payers, *society = explain.net_figures(result)
    payback = explain.payback_sentence(result)
    return [payers, *([payback] if payback else []), *society]
