"""From what a worker or API client asks to a cost–benefit result.

The page and the API both call `calculate`, so they give the same numbers. Catalogue lines are
priced here (the user's local price first, indexed to the price year); the arithmetic itself is
the pure engine in `engine.py`.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import engine, selectors
from .explain import explain, verdict
from .explain import payback_text as explain_payback_text
from .explain import summary as explain_summary

SCENARIOS = ("standard", "tailored")
# The Dutch MKBA standard real discount rate (Werkgroep Discontovoet 2020).
DEFAULT_DISCOUNT_RATE = Decimal("0.0225")
MAX_LINES = 200
# Where the calculator's "Make a plan of this" leaves a comparison for the plans app to pick up
# (a session key, so costs never imports plans: the layers run downward).
FOR_PLAN_SESSION_KEY = "calculator_for_plan"
# The URL name of the page that turns that comparison into a plan. The plans app fills it in when
# it starts (PlansConfig.ready); while it is empty the calculator offers no "Make a plan of this".
MAKE_PLAN_URL_NAME: str | None = None


@dataclass(frozen=True)
class LineRequest:
    """One line as asked for: a catalogue item (`item_id`) or a free amount with its own terms.

    Fields left `None` on a catalogue line take the item's value.
    """

    item_id: int | None = None
    label: str = ""
    amount: Decimal | None = None
    unit: str | None = None
    bearer: str | None = None
    cost_type: str | None = None
    grade: str | None = None
    quantity: Decimal = Decimal(1)
    start_month: int = 0
    duration_months: int | None = None
    probability: Decimal = Decimal(1)


@dataclass(frozen=True)
class CalculationRequest:
    standard: tuple[LineRequest, ...] = ()
    tailored: tuple[LineRequest, ...] = ()
    horizon_months: int = 12
    discount_rate: Decimal = DEFAULT_DISCOUNT_RATE
    price_year: int | None = None


@dataclass(frozen=True)
class Outcome:
    """A result with what a reader needs beside the numbers."""

    result: engine.Result
    explanation: list[str]
    price_year: int
    items: dict = field(default_factory=dict)  # item id -> PricedItem, for labels and sources

    @property
    def summary(self) -> str:
        """The result in a sentence or two, worded by `explain.verdict` (sign and payback)."""
        return explain_summary(self.result)

    @property
    def payback_text(self) -> str:
        return explain_payback_text(self.result)

    @property
    def paid_back(self) -> bool:
        """Whether the tailored route has paid for itself and is still ahead at the end."""
        return verdict(self.result).paid_back is not None

    @property
    def months(self) -> list[tuple[int, Decimal, Decimal]]:
        """(month number from 1, cumulative standard, cumulative tailored): the chart's table."""
        r = self.result
        return [
            (m + 1, s, t)
            for m, (s, t) in enumerate(
                zip(r.standard.cumulative, r.tailored.cumulative, strict=True)
            )
        ]


class CalculationError(ValueError):
    """Input the engine cannot take; `errors` maps a field path to messages (for API and page)."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(errors)
        self.errors = errors


def _priced_items(user, requests: CalculationRequest, year: int) -> dict:
    ids = {
        line.item_id
        for scenario in SCENARIOS
        for line in getattr(requests, scenario)
        if line.item_id is not None
    }
    if not ids:
        return {}
    rows = selectors.priced(selectors.items_for(user).filter(pk__in=ids), year=year)
    return {row.item.pk: row for row in rows}


def _duration(line: LineRequest, unit: str) -> int | None:
    """A cost per case happens once: months given with it do not multiply it."""
    return None if unit in engine.ONCE_UNITS else line.duration_months


def _engine_line(line: LineRequest, priced) -> engine.Line:
    if priced is not None:
        item, version = priced.item, priced.version
        unit = line.unit or item.unit
        return engine.Line(
            label=line.label or item.name_nl,
            amount=line.amount if line.amount is not None else priced.indexed_amount,
            unit=unit,
            bearer=line.bearer or item.bearer,
            cost_type=line.cost_type or item.cost_type,
            quantity=line.quantity,
            start_month=line.start_month,
            duration_months=_duration(line, unit),
            probability=line.probability,
            grade=line.grade or version.grade,
            item_code=item.code,
            version_id=version.pk,
        )
    return engine.Line(
        label=line.label,
        amount=line.amount if line.amount is not None else Decimal(-1),
        unit=line.unit or "",
        bearer=line.bearer or "",
        cost_type=line.cost_type or "",
        quantity=line.quantity,
        start_month=line.start_month,
        duration_months=_duration(line, line.unit or ""),
        probability=line.probability,
        grade=line.grade or "C",
    )


def calculate(user, requests: CalculationRequest, *, priced: dict | None = None) -> Outcome:
    """Price the lines for `user`, evaluate both scenarios, explain the result.

    `priced` may pass catalogue rows the caller already priced for `user` at the same price
    year (item id -> PricedItem), to save pricing them twice. Raises CalculationError naming
    the scenario and line of the first problem found.
    """
    year = requests.price_year or timezone.localdate().year
    errors: dict[str, list[str]] = {}
    if priced is None:
        priced = _priced_items(user, requests, year)
    lines: dict[str, list[engine.Line]] = {}
    for scenario in SCENARIOS:
        asked = getattr(requests, scenario)
        if len(asked) > MAX_LINES:
            errors[scenario] = [_("At most %(n)s lines per scenario.") % {"n": MAX_LINES}]
            continue
        lines[scenario] = []
        for index, line in enumerate(asked):
            if line.item_id is not None and line.item_id not in priced:
                errors[f"{scenario}.{index}.item"] = [
                    _("Line %(n)s: this cost item does not exist or is not available to you.")
                    % {"n": index + 1}
                ]
                continue
            if line.item_id is None and (line.amount is None or not line.unit):
                errors[f"{scenario}.{index}"] = [
                    _("Line %(n)s: choose a cost item, or give an amount and a unit.")
                    % {"n": index + 1}
                ]
                continue
            lines[scenario].append(_engine_line(line, priced.get(line.item_id)))
    if errors:
        raise CalculationError(errors)
    try:
        result = engine.evaluate(
            engine.Calculation(
                standard=tuple(lines["standard"]),
                tailored=tuple(lines["tailored"]),
                horizon_months=requests.horizon_months,
                discount_rate=requests.discount_rate,
                price_year=year,
            )
        )
    except engine.EngineError as e:
        raise CalculationError({_error_path(e): [_engine_message(e)]}) from e
    return Outcome(result=result, explanation=explain(result), price_year=year, items=priced)


def _error_path(error: engine.EngineError) -> str:
    parts = [p for p in (error.scenario, error.line) if p is not None]
    if error.line is not None:
        parts[-1] = str(error.line - 1)  # the engine counts lines from 1, paths from 0
    if error.field:
        parts.append(error.field)
    return ".".join(str(p) for p in parts) or "non_field_errors"


# The engine speaks English and has no Django; its messages are translated here. Each literal
# repeats an engine constant so makemessages finds it; a test checks none is missing.
ENGINE_MESSAGES = {
    engine.M_AMOUNT_NEGATIVE: gettext_lazy("amount must not be negative"),
    engine.M_AMOUNT_NUMBER: gettext_lazy("amount must be a decimal number"),
    engine.M_AMOUNT_TOO_LARGE: gettext_lazy("amount must be at most 1,000,000,000 euros"),
    engine.M_BEARER: gettext_lazy("bearer is missing"),
    engine.M_CALCULATION: gettext_lazy("this is not a calculation"),
    engine.M_COST_TYPE: gettext_lazy("cost type is unknown"),
    engine.M_DISCOUNT_RATE: gettext_lazy("discount rate must be a decimal number from 0 to 0.2"),
    engine.M_DURATION: gettext_lazy(
        "duration must be a whole number of at least 1 month, or empty for a one-off cost"
    ),
    engine.M_GRADE: gettext_lazy("reliability grade must be A, B or C"),
    engine.M_HORIZON: gettext_lazy("horizon must be a whole number of months from 1 to 600"),
    engine.M_ITEM_CODE: gettext_lazy("item code must be text"),
    engine.M_LABEL: gettext_lazy("label must be text of at most 200 characters"),
    engine.M_LINE: gettext_lazy("this is not a line"),
    engine.M_LINES: gettext_lazy("lines must be a list of lines"),
    engine.M_PRICE_YEAR: gettext_lazy("price year must be a whole year"),
    engine.M_PROBABILITY: gettext_lazy("probability must be between 0 and 1"),
    engine.M_PROBABILITY_NUMBER: gettext_lazy("probability must be a decimal number"),
    engine.M_QUANTITY_NEGATIVE: gettext_lazy("quantity must not be negative"),
    engine.M_QUANTITY_NUMBER: gettext_lazy("quantity must be a decimal number"),
    engine.M_QUANTITY_TOO_LARGE: gettext_lazy("quantity must be at most 1,000,000"),
    engine.M_START_MONTH: gettext_lazy(
        "start month must be a whole number from 0 to the last month of the horizon"
    ),
    engine.M_TOO_MANY_LINES: gettext_lazy("at most 200 lines per scenario"),
    engine.M_UNIT: gettext_lazy("unit is unknown"),
    engine.M_VERSION_ID: gettext_lazy("version id must be a whole number"),
}


def _engine_message(error: engine.EngineError) -> str:
    """The engine's English message, framed in the interface language with scenario and line."""
    if error.scenario and error.line:
        scenario = _("standard route") if error.scenario == "standard" else _("tailored route")
        return _("%(scenario)s, line %(n)s: %(message)s") % {
            "scenario": scenario,
            "n": error.line,
            "message": ENGINE_MESSAGES.get(error.message, error.message),
        }
    return str(ENGINE_MESSAGES.get(error.message, error.message))


def result_as_dict(outcome: Outcome) -> dict:
    """The whole result as JSON-ready data (money as strings with two decimals)."""
    r = outcome.result

    def money(value):
        return None if value is None else str(value)

    def scenario(s):
        return {
            "total": money(s.total),
            "present_value": money(s.present_value),
            "societal_total": money(s.societal_total),
            "societal_present_value": money(s.societal_present_value),
            "by_bearer": [{"bearer": b, "total": money(t)} for b, t in s.by_bearer],
            "monthly": [money(v) for v in s.monthly],
            "cumulative": [money(v) for v in s.cumulative],
        }

    return {
        "horizon_months": r.horizon_months,
        "discount_rate": str(r.discount_rate),
        "price_year": outcome.price_year,
        "standard": scenario(r.standard),
        "tailored": scenario(r.tailored),
        "net_benefit": money(r.net_benefit),
        "net_benefit_present_value": money(r.net_benefit_present_value),
        "ratio": money(r.ratio),
        "ratio_note": r.ratio_note,
        "payback_month": money(r.payback_month),
        "budget_view": [
            {
                "bearer": row.bearer,
                "standard": money(row.standard),
                "tailored": money(row.tailored),
                "saving": money(row.saving),
            }
            for row in r.budget_view
        ],
        "societal_view": {
            "standard": money(r.societal_view.standard),
            "tailored": money(r.societal_view.tailored),
            "net": money(r.societal_view.net),
        },
        "sensitivity": {
            "low": money(r.sensitivity.low),
            "high": money(r.sensitivity.high),
            "uplift_by_grade": {g: str(p) for g, p in r.sensitivity.uplift_by_grade.items()},
        },
        "drivers": [
            {
                "scenario": d.scenario,
                "line": d.line_index,
                "label": d.label,
                "bearer": d.bearer,
                "total": money(d.total),
                "share": str(d.share),
            }
            for d in r.drivers
        ],
        "explanation": outcome.explanation,
    }
