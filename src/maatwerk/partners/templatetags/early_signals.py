"""Early signals where the case page shows them, without the cases app knowing about partners:
``{% case_early_signals request.user case %}`` lists the signals linked to the case (picked up
into it), for whoever may read the case, with a link to a signal only for who triages it."""

from django import template

from maatwerk.partners import selectors

register = template.Library()


@register.inclusion_tag("partners/_case_signals.html")
def case_early_signals(user, case):
    signals = selectors.signals_of_case(user, case)
    triaged = selectors.triaged_ids(user, [s.pk for s in signals]) if signals else set()
    return {"signals": signals, "triaged": triaged}
