"""The engine's result in a few sentences a decision maker can read (presentation layer).

The engine itself holds no prose; this module turns a `engine.Result` into 2–5 translatable
sentences: what each route costs and whether the tailored route pays back, which lines drive the
result, who pays and who saves (the "wrong pocket"), the sensitivity band, and a warning when an
indicative (grade C) figure drives the result.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, pgettext

from maatwerk.core.formatting import money

from . import engine
from .models import Bearer

# The engine's refusals are constant English strings; the calculator and the API translate them
# with gettext. Marked here so that makemessages collects them (a test keeps this list in step
# with engine.MESSAGES).
ENGINE_MESSAGES = (
    gettext_noop("this is not a calculation"),
    gettext_noop("horizon must be a whole number of months from 1 to 600"),
    gettext_noop("discount rate must be a decimal number from 0 to 0.2"),
    gettext_noop("price year must be a whole year"),
    gettext_noop("lines must be a list of lines"),
    gettext_noop("at most 200 lines per scenario"),
    gettext_noop("this is not a line"),
    gettext_noop("label must be text of at most 200 characters"),
    gettext_noop("amount must be a decimal number"),
    gettext_noop("amount must not be negative"),
    gettext_noop("amount must be at most 1,000,000,000 euros"),
    gettext_noop("quantity must be a decimal number"),
    gettext_noop("quantity must not be negative"),
    gettext_noop("quantity must be at most 1,000,000"),
    gettext_noop("unit is unknown"),
    gettext_noop("bearer is missing"),
    gettext_noop("cost type is unknown"),
    gettext_noop("reliability grade must be A, B or C"),
    gettext_noop("start month must be a whole number from 0 to the last month of the horizon"),
    gettext_noop(
        "duration must be a whole number of at least 1 month, or empty for a one-off cost"
    ),
    gettext_noop("probability must be a decimal number"),
    gettext_noop("probability must be between 0 and 1"),
    gettext_noop("item code must be text"),
    gettext_noop("version id must be a whole number"),
)


def bearer_label(code: str) -> str:
    """The interface name of a bearer code; unknown (free) codes are shown as they are."""
    labels = dict(Bearer.choices)
    return str(labels[code]) if code in labels else code


def _route(scenario: str) -> str:
    return _("standard route") if scenario == "standard" else _("tailored route")


@dataclass(frozen=True)
class Verdict:
    """What the comparison comes to, decided once for every sentence that words it.

    `kind` is "empty" (no costs at all), "saves" (the tailored route is cheaper at the end of
    the horizon), "costs_more" (it is dearer at the end) or "equal". `net` is the difference
    without its sign (the sentence says which way it goes). `paid_back` is the month in which the
    tailored route has paid for itself, only when it is still ahead at the end; `briefly_ahead`
    is that first crossing when the tailored route fell behind again by the end.
    """

    kind: str
    net: Decimal
    paid_back: Decimal | None = None
    briefly_ahead: Decimal | None = None


def verdict(result: engine.Result) -> Verdict:
    net = result.net_benefit
    crossing = result.payback_month
    if not result.standard.total and not result.tailored.total:
        return Verdict("empty", Decimal(0))
    if net > 0:
        return Verdict("saves", net, paid_back=crossing)
    if net < 0:
        return Verdict("costs_more", -net, briefly_ahead=crossing)
    return Verdict("equal", Decimal(0))


def summary(result: engine.Result) -> str:
    """The result in a sentence or two: never a negative amount, and "paid back" only when the
    tailored route is still ahead at the end of the horizon."""
    v = verdict(result)
    values = {"net": money(v.net)}
    if v.kind == "empty":
        return _("Neither route has any costs yet.")
    if v.kind == "equal":
        return _("Both routes cost the same over the horizon: the tailored route saves nothing.")
    if v.kind == "saves":
        net = _("The tailored route saves %(net)s over the horizon.") % values
    else:
        net = _("The tailored route costs %(net)s more over the horizon.") % values
    return f"{net} {payback_sentence(result)}"


def payback_sentence(result: engine.Result) -> str:
    """When the tailored route has paid for itself, decided by the same verdict as `summary`;
    empty when neither route costs anything or both cost the same."""
    v = verdict(result)
    values = {"months": result.horizon_months}
    if v.kind in ("empty", "equal"):
        return ""
    if v.kind == "saves":
        if v.paid_back is not None and v.paid_back > 0:
            values["m"] = number_format(v.paid_back, decimal_pos=1)
            return _("It has paid for itself after %(m)s months.") % values
        return _("It costs no more than the standard route from the start.")
    if v.briefly_ahead == 0:
        return _(
            "It starts out no dearer than the standard route, but by the end of the horizon it "
            "is more expensive."
        )
    if v.briefly_ahead is not None:
        values["m"] = number_format(v.briefly_ahead, decimal_pos=1)
        return (
            _(
                "It was briefly paid back in month %(m)s, but by the end of the horizon it is "
                "more expensive again."
            )
            % values
        )
    return _("It does not pay for itself within %(months)s months.") % values


def payback_text(result: engine.Result) -> str:
    """The "Payback" figure, worded by the same verdict as `summary`."""
    v = verdict(result)
    if v.paid_back is not None:
        return _("month %(m)s") % {"m": number_format(v.paid_back, decimal_pos=1)}
    if v.briefly_ahead is not None:
        return _("not within the horizon (briefly in month %(m)s)") % {
            "m": number_format(v.briefly_ahead, decimal_pos=1)
        }
    return _("not within the horizon")


def _headline(result: engine.Result) -> list[str]:
    standard, tailored = result.standard.total, result.tailored.total
    v = verdict(result)
    values = {
        "months": result.horizon_months,
        "standard": money(standard),
        "tailored": money(tailored),
        "net": money(v.net),
    }
    if v.kind == "empty":
        return [
            _("Neither route has any costs yet."),
            _("Add lines to both routes to compare them."),
        ]
    if v.kind == "saves":
        if v.paid_back is not None and v.paid_back > 0:
            values["payback"] = number_format(v.paid_back, decimal_pos=1)
            text = _(
                "Over %(months)s months the standard route costs %(standard)s and the tailored "
                "route %(tailored)s: the tailored route saves %(net)s and has paid for itself "
                "after %(payback)s months."
            )
        else:
            text = _(
                "Over %(months)s months the standard route costs %(standard)s and the tailored "
                "route %(tailored)s: the tailored route saves %(net)s and costs no more than the "
                "standard route from the start."
            )
    elif v.kind == "costs_more" and v.briefly_ahead is not None:
        values["payback"] = number_format(v.briefly_ahead, decimal_pos=1)
        text = _(
            "Over %(months)s months the standard route costs %(standard)s and the tailored route "
            "%(tailored)s: the tailored route costs %(net)s more; it was briefly paid back in "
            "month %(payback)s, but by the end of the period it is more expensive again."
        )
    elif v.kind == "costs_more":
        text = _(
            "Over %(months)s months the standard route costs %(standard)s and the tailored route "
            "%(tailored)s: the tailored route costs %(net)s more and does not pay for itself "
            "within this period."
        )
    else:
        text = _(
            "Over %(months)s months both routes cost %(standard)s: the tailored route saves "
            "nothing."
        )
    return [text % values]


def _drivers(result: engine.Result) -> list[str]:
    drivers = result.drivers
    if not drivers:
        return []
    values = {
        "first": drivers[0].label or _route(drivers[0].scenario),
        "first_amount": money(drivers[0].total),
        "first_route": _route(drivers[0].scenario),
    }
    if len(drivers) == 1:
        text = _("The result rests mostly on %(first)s (%(first_amount)s, %(first_route)s).")
        return [text % values]
    values |= {
        "second": drivers[1].label or _route(drivers[1].scenario),
        "second_amount": money(drivers[1].total),
        "second_route": _route(drivers[1].scenario),
    }
    text = _(
        "The result rests mostly on %(first)s (%(first_amount)s, %(first_route)s) and "
        "%(second)s (%(second_amount)s, %(second_route)s)."
    )
    return [text % values]


# Bearers named by a common noun, written in lower case in the middle of a sentence ("terwijl
# meerdere partijen ... besparen"); the others are names (UWV, Belastingdienst) and keep theirs.
COMMON_NOUN_BEARERS = frozenset(
    {
        Bearer.MUNICIPALITY,
        Bearer.HOUSING_CORPORATION,
        Bearer.HEALTH_INSURER,
        Bearer.EMPLOYER,
        Bearer.HOUSEHOLD,
        Bearer.SEVERAL,
    }
)


def _in_sentence(code: str) -> str:
    """A bearer's name in the middle of a sentence."""
    label = bearer_label(code)
    return label[:1].lower() + label[1:] if code in COMMON_NOUN_BEARERS else label


def _verbs(code: str) -> dict[str, str]:
    """The verbs agreeing with a bearer: plural for "several parties"."""
    if code == Bearer.SEVERAL:
        return {
            "pays": pgettext("several parties", "pay"),
            "saves": pgettext("several parties", "save"),
        }
    return {"pays": pgettext("one party", "pays"), "saves": pgettext("one party", "saves")}


def _pockets(result: engine.Result) -> list[str]:
    """Who pays for the tailored route and who saves by it."""
    payers = [row for row in result.budget_view if row.saving < 0]
    savers = [row for row in result.budget_view if row.saving > 0]
    payer = min(payers, key=lambda row: row.saving) if payers else None
    saver = max(savers, key=lambda row: row.saving) if savers else None
    if payer and saver:
        text = _(
            "%(payer)s %(pays)s %(cost)s more on the tailored route, while %(saver)s %(saves)s "
            "%(saving)s: the saving lands in a different pocket than the cost."
        )
    elif saver:
        text = _("%(saver)s %(saves)s the most on the tailored route: %(saving)s.")
    elif payer:
        text = _("%(payer)s %(pays)s %(cost)s more on the tailored route, and nobody saves by it.")
    else:
        return []
    values = {}
    if payer:
        values |= {
            "payer": bearer_label(payer.bearer),
            "cost": money(-payer.saving),
            "pays": _verbs(payer.bearer)["pays"],
        }
    if saver:
        values |= {
            # Mid-sentence after a payer; at the start of the sentence otherwise.
            "saver": _in_sentence(saver.bearer) if payer else bearer_label(saver.bearer),
            "saving": money(saver.saving),
            "saves": _verbs(saver.bearer)["saves"],
        }
    return [text % values]


def _band(result: engine.Result) -> list[str]:
    low, high = result.sensitivity.low, result.sensitivity.high
    values = {"low": money(low), "high": money(high)}
    if low > 0:
        text = _(
            "Allowing for optimistic estimates, with a wider margin for less reliable figures, "
            "the net benefit lies between %(low)s and %(high)s: the tailored route saves money "
            "even in the pessimistic case."
        )
    elif high < 0:
        text = _(
            "Allowing for optimistic estimates, with a wider margin for less reliable figures, "
            "the net benefit lies between %(low)s and %(high)s: the tailored route costs more "
            "even in the optimistic case."
        )
    else:
        text = _(
            "Allowing for optimistic estimates, with a wider margin for less reliable figures, "
            "the net benefit lies between %(low)s and %(high)s: whether the tailored route saves "
            "money depends on how the estimates turn out."
        )
    return [text % values]


def _warning(result: engine.Result) -> list[str]:
    indicative = [d for d in result.drivers if d.grade == "C"]
    if not indicative:
        return []
    text = _(
        "Check %(label)s before deciding: it is one of the lines that drive the result, but its "
        "amount is indicative (reliability C)."
    )
    return [text % {"label": indicative[0].label or _route(indicative[0].scenario)}]


def net_figures(result: engine.Result) -> list[str]:
    """What the two net figures mean, in two sentences that cannot contradict each other.

    The net benefit counts what every payer spends, benefits and allowances included; the
    societal net leaves out transfers (a benefit moves money from a payer to the household, it
    uses none up). So a route can save the payers much and still cost society a little more.
    """
    net = result.net_benefit
    values = {"net": money(abs(net))}
    if net > 0:
        payers = _(
            "For the payers together the tailored route costs %(net)s less than the standard route."
        )
    elif net < 0:
        payers = _(
            "For the payers together the tailored route costs %(net)s more than the standard route."
        )
    else:
        payers = _("For the payers together both routes cost the same.")
    societal = result.societal_view.net
    transfers = (
        result.standard.total != result.standard.societal_total
        or result.tailored.total != result.tailored.societal_total
    )
    if not transfers:
        whole = _(
            "For society as a whole that is the same: these routes hold no benefits or other "
            "transfers."
        )
    elif societal > 0:
        whole = _(
            "For society as a whole it costs %(net)s less: benefits and other transfers do not "
            "count there, they only move money from one party to another."
        )
    elif societal < 0:
        whole = _(
            "For society as a whole it costs %(net)s more: benefits and other transfers do not "
            "count there, they only move money from one party to another."
        )
    else:
        whole = _(
            "For society as a whole both routes cost the same: benefits and other transfers do "
            "not count there, they only move money from one party to another."
        )
    return [payers % values, whole % {"net": money(abs(societal))}]


def explain(result: engine.Result) -> list[str]:
    """2–5 sentences in the active language."""
    sentences = _headline(result)
    if result.standard.total or result.tailored.total:
        sentences += _drivers(result) + _pockets(result) + _band(result) + _warning(result)
    return sentences[:5]


__all__ = [
    "ENGINE_MESSAGES",
    "Verdict",
    "bearer_label",
    "explain",
    "net_figures",
    "payback_sentence",
    "payback_text",
    "summary",
    "verdict",
]
