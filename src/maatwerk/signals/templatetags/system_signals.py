"""System signals where other pages show them, without those apps knowing about signals:

- ``{% rule_signal request.user rule %}`` on the regelbank's rule page: its open (or last)
  signal, or a button to raise one for those who may;
- ``{% obstacle_signals request.user case as signals %}`` and
  ``{% obstacle_signal signals obstacle %}`` on the case page: the status of the signal an
  obstacle fed, or "dit komt vaker voor".
"""

from django import template

from maatwerk.signals import selectors

register = template.Library()


@register.inclusion_tag("signals/_rule_signal.html")
def rule_signal(user, rule):
    return {
        "signal": selectors.latest_signal_for_rule(user, rule),
        "rule": rule,
        "may_raise": selectors.may_raise_from_rule(user),
    }


@register.simple_tag
def obstacle_signals(user, case) -> dict:
    """One read for the whole case page: obstacle id → its signal information."""
    return selectors.obstacle_signals(user, case)


@register.inclusion_tag("signals/_obstacle_signal.html")
def obstacle_signal(signals, obstacle):
    row = (signals or {}).get(obstacle.pk) or {}
    return {"obstacle": obstacle, **row}
