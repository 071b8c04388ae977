"""The cost–benefit engine: the standard route (doormodderen) against the tailored one (doorbreken).

Plain Python on plain data: no Django, no database, no floats. `evaluate` takes a `Calculation`
(two scenarios of `Line`s, a horizon and a discount rate) and returns a `Result` with totals,
present values, monthly and cumulative series, the budget view per bearer, the societal view,
a sensitivity band and the lines that drive the result. Every convention is described in
docs/cost-benefit-engine.md.

How it stays exact and fast: every line's monthly value is kept in *twelfths of a euro*
(amount × quantity × probability × 12, or without the × 12 for `per_year`), so yearly amounts
spread over months stay exact decimals; recurring lines go into a difference array (O(lines +
horizon) instead of O(lines × horizon)); present values use prefix sums of monthly discount
factors computed once per call. Money is rounded to cents only when the result is built.
"""

from __future__ import annotations

import decimal
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from types import MappingProxyType

UNITS = ("per_case", "per_event", "per_day", "per_hour", "per_month", "per_year")
# Units that happen once per case: a line in them never recurs (the calculation layer drops a
# duration given with them).
ONCE_UNITS = ("per_case",)
COST_TYPES = ("fiscal", "transfer", "economic", "social")
GRADES = ("A", "B", "C")
SCENARIOS = ("standard", "tailored")

# Optimism uplift per reliability grade, as a fraction (see the doc for the reasoning and sources).
GRADE_UPLIFT: Mapping[str, Decimal] = MappingProxyType(
    {"A": Decimal("0.05"), "B": Decimal("0.15"), "C": Decimal("0.30")}
)

MAX_HORIZON = 600
MAX_LINES = 200
MAX_DISCOUNT_RATE = Decimal("0.2")
MAX_AMOUNT = Decimal(1_000_000_000)
MAX_QUANTITY = Decimal(1_000_000)
MAX_LABEL = 200
MAX_BEARER = 40
DRIVER_COUNT = 5
DEFAULT_DISCOUNT_RATE = Decimal("0.0225")

# Messages are constant English strings (no values inside) so that the presentation layer can
# translate them with gettext; explain.py marks every one of them for translation.
M_CALCULATION = "this is not a calculation"
M_HORIZON = "horizon must be a whole number of months from 1 to 600"
M_DISCOUNT_RATE = "discount rate must be a decimal number from 0 to 0.2"
M_PRICE_YEAR = "price year must be a whole year"
M_LINES = "lines must be a list of lines"
M_TOO_MANY_LINES = "at most 200 lines per scenario"
M_LINE = "this is not a line"
M_LABEL = "label must be text of at most 200 characters"
M_AMOUNT_NUMBER = "amount must be a decimal number"
M_AMOUNT_NEGATIVE = "amount must not be negative"
M_AMOUNT_TOO_LARGE = "amount must be at most 1,000,000,000 euros"
M_QUANTITY_NUMBER = "quantity must be a decimal number"
M_QUANTITY_NEGATIVE = "quantity must not be negative"
M_QUANTITY_TOO_LARGE = "quantity must be at most 1,000,000"
M_UNIT = "unit is unknown"
M_BEARER = "bearer is missing"
M_COST_TYPE = "cost type is unknown"
M_GRADE = "reliability grade must be A, B or C"
M_START_MONTH = "start month must be a whole number from 0 to the last month of the horizon"
M_DURATION = "duration must be a whole number of at least 1 month, or empty for a one-off cost"
M_PROBABILITY_NUMBER = "probability must be a decimal number"
M_PROBABILITY = "probability must be between 0 and 1"
M_ITEM_CODE = "item code must be text"
M_VERSION_ID = "version id must be a whole number"

MESSAGES = (
    M_CALCULATION, M_HORIZON, M_DISCOUNT_RATE, M_PRICE_YEAR, M_LINES, M_TOO_MANY_LINES, M_LINE,
    M_LABEL, M_AMOUNT_NUMBER, M_AMOUNT_NEGATIVE, M_AMOUNT_TOO_LARGE, M_QUANTITY_NUMBER,
    M_QUANTITY_NEGATIVE, M_QUANTITY_TOO_LARGE, M_UNIT, M_BEARER, M_COST_TYPE, M_GRADE,
    M_START_MONTH, M_DURATION, M_PROBABILITY_NUMBER, M_PROBABILITY, M_ITEM_CODE, M_VERSION_ID,
)  # fmt: skip

_ZERO = Decimal(0)
_ONE = Decimal(1)
_TWELVE = Decimal(12)
_CENT = Decimal("0.01")
_TENTH = Decimal("0.1")
_RATIO_PLACES = Decimal("0.01")
_SHARE_PLACES = Decimal("0.0001")

# Sums are exact: the inputs are finite decimals, their products and sums need at most a few
# dozen digits, far below this precision. Discount factors are irrational and get 34 digits.
_EXACT = decimal.Context(
    prec=80,
    rounding=decimal.ROUND_HALF_EVEN,
    Emax=999_999,
    Emin=-999_999,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)
_FACTORS = _EXACT.copy()
_FACTORS.prec = 34


class EngineError(ValueError):
    """Input the engine refuses. `str()` names the scenario and line, e.g.
    ``tailored line 2: probability must be between 0 and 1``."""

    def __init__(
        self,
        message: str,
        *,
        scenario: str | None = None,
        line: int | None = None,
        field: str | None = None,
    ) -> None:
        self.message = message
        self.scenario = scenario
        self.line = line  # 1-based
        self.field = field
        super().__init__(str(self))

    def __str__(self) -> str:
        if self.scenario and self.line:
            return f"{self.scenario} line {self.line}: {self.message}"
        if self.scenario:
            return f"{self.scenario}: {self.message}"
        return self.message


@dataclass(frozen=True)
class Line:
    label: str
    amount: Decimal  # euros per unit, >= 0
    unit: str  # one of UNITS
    bearer: str  # free code: "municipality", "uwv", "tax_office", "household", ...
    cost_type: str  # one of COST_TYPES
    quantity: Decimal = Decimal(1)  # units per month (recurring) or number of units (once)
    start_month: int = 0  # 0-based month in which the line starts
    duration_months: int | None = None  # None = once, in start_month; else months it recurs
    probability: Decimal = Decimal(1)  # 0..1
    grade: str = "B"  # one of GRADES
    item_code: str | None = None  # catalogue item code, for traceability only
    version_id: int | None = None  # catalogue version id, for traceability only


@dataclass(frozen=True)
class Calculation:
    standard: tuple[Line, ...]
    tailored: tuple[Line, ...]
    horizon_months: int  # 1..600
    discount_rate: Decimal = DEFAULT_DISCOUNT_RATE  # real rate per year, 0..0.2
    price_year: int | None = None  # informational, echoed in the result


@dataclass(frozen=True)
class ScenarioResult:
    total: Decimal  # nominal, over the horizon
    present_value: Decimal
    monthly: tuple[Decimal, ...]  # cost incurred in month m, m = 0..horizon-1
    cumulative: tuple[Decimal, ...]  # cost incurred up to and including month m
    by_bearer: tuple[tuple[str, Decimal], ...]  # (bearer, nominal total), sorted by bearer
    societal_total: Decimal  # nominal, without transfers
    societal_present_value: Decimal
    line_totals: tuple[Decimal, ...]  # nominal total per line, in input order


@dataclass(frozen=True)
class BearerRow:
    bearer: str
    standard: Decimal
    tailored: Decimal
    saving: Decimal  # standard − tailored; negative: this bearer pays for the tailored route


@dataclass(frozen=True)
class SocietalView:
    standard: Decimal
    tailored: Decimal
    net: Decimal


@dataclass(frozen=True)
class Sensitivity:
    low: Decimal  # net benefit, pessimistic for the tailored route
    high: Decimal  # net benefit, optimistic for the tailored route
    uplift_by_grade: Mapping[str, Decimal]


@dataclass(frozen=True)
class Driver:
    scenario: str
    line_index: int  # 1-based, as in EngineError
    label: str
    bearer: str
    total: Decimal  # nominal total of the line
    share: Decimal  # share of its scenario's total, 0..1, four decimals
    grade: str


@dataclass(frozen=True)
class Result:
    standard: ScenarioResult
    tailored: ScenarioResult
    net_benefit: Decimal
    net_benefit_present_value: Decimal
    ratio: Decimal | None
    ratio_note: str  # "ok", "tailored_free" or "both_zero"
    payback_month: Decimal | None
    budget_view: tuple[BearerRow, ...]
    societal_view: SocietalView
    sensitivity: Sensitivity
    drivers: tuple[Driver, ...]
    horizon_months: int
    discount_rate: Decimal
    price_year: int | None


# --- validation -------------------------------------------------------------------------------


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _decimal(value: object, message: str, scenario: str, line: int, field: str) -> Decimal:
    if _is_int(value):
        return Decimal(value)  # type: ignore[arg-type]
    if isinstance(value, Decimal) and value.is_finite():
        return value
    raise EngineError(message, scenario=scenario, line=line, field=field)


def _validate_calculation(calc: Calculation) -> tuple[int, Decimal]:
    if not isinstance(calc, Calculation):
        raise EngineError(M_CALCULATION)
    horizon = calc.horizon_months
    if not _is_int(horizon) or not 1 <= horizon <= MAX_HORIZON:
        raise EngineError(M_HORIZON, field="horizon_months")
    rate = calc.discount_rate
    if _is_int(rate):
        rate = Decimal(rate)
    if not isinstance(rate, Decimal) or not rate.is_finite() or not 0 <= rate <= MAX_DISCOUNT_RATE:
        raise EngineError(M_DISCOUNT_RATE, field="discount_rate")
    year = calc.price_year
    if year is not None and (not _is_int(year) or not 1900 <= year <= 2200):
        raise EngineError(M_PRICE_YEAR, field="price_year")
    for scenario in SCENARIOS:
        lines = getattr(calc, scenario)
        if not isinstance(lines, tuple | list):
            raise EngineError(M_LINES, scenario=scenario, field="lines")
        if len(lines) > MAX_LINES:
            raise EngineError(M_TOO_MANY_LINES, scenario=scenario, field="lines")
    return horizon, rate


def _line_value(line: object, scenario: str, n: int, horizon: int) -> tuple[Decimal, int, int]:
    """Validate one line; return (value in twelfths of a euro per month or once, start, end).

    `end` is the first month after the line (cut off at the horizon); for a once line it is -1.
    """
    if not isinstance(line, Line):
        raise EngineError(M_LINE, scenario=scenario, line=n)
    if not isinstance(line.label, str) or len(line.label) > MAX_LABEL:
        raise EngineError(M_LABEL, scenario=scenario, line=n, field="label")
    amount = _decimal(line.amount, M_AMOUNT_NUMBER, scenario, n, "amount")
    if amount < 0:
        raise EngineError(M_AMOUNT_NEGATIVE, scenario=scenario, line=n, field="amount")
    if amount > MAX_AMOUNT:
        raise EngineError(M_AMOUNT_TOO_LARGE, scenario=scenario, line=n, field="amount")
    if line.unit not in UNITS:
        raise EngineError(M_UNIT, scenario=scenario, line=n, field="unit")
    bearer = line.bearer
    if not isinstance(bearer, str) or not bearer.strip() or len(bearer) > MAX_BEARER:
        raise EngineError(M_BEARER, scenario=scenario, line=n, field="bearer")
    if line.cost_type not in COST_TYPES:
        raise EngineError(M_COST_TYPE, scenario=scenario, line=n, field="cost_type")
    quantity = _decimal(line.quantity, M_QUANTITY_NUMBER, scenario, n, "quantity")
    if quantity < 0:
        raise EngineError(M_QUANTITY_NEGATIVE, scenario=scenario, line=n, field="quantity")
    if quantity > MAX_QUANTITY:
        raise EngineError(M_QUANTITY_TOO_LARGE, scenario=scenario, line=n, field="quantity")
    start = line.start_month
    if not _is_int(start) or not 0 <= start < horizon:
        raise EngineError(M_START_MONTH, scenario=scenario, line=n, field="start_month")
    duration = line.duration_months
    if duration is not None and (not _is_int(duration) or duration < 1):
        raise EngineError(M_DURATION, scenario=scenario, line=n, field="duration_months")
    probability = _decimal(line.probability, M_PROBABILITY_NUMBER, scenario, n, "probability")
    if not 0 <= probability <= 1:
        raise EngineError(M_PROBABILITY, scenario=scenario, line=n, field="probability")
    if line.grade not in GRADES:
        raise EngineError(M_GRADE, scenario=scenario, line=n, field="grade")
    if line.item_code is not None and not isinstance(line.item_code, str):
        raise EngineError(M_ITEM_CODE, scenario=scenario, line=n, field="item_code")
    if line.version_id is not None and not _is_int(line.version_id):
        raise EngineError(M_VERSION_ID, scenario=scenario, line=n, field="version_id")
    value = amount * quantity * probability
    if duration is None:
        return value * _TWELVE, start, -1
    if line.unit != "per_year":
        value *= _TWELVE
    return value, start, min(start + duration, horizon)


# --- arithmetic -------------------------------------------------------------------------------


def _discount_factors(rate: Decimal, horizon: int) -> tuple[list[Decimal], list[Decimal]]:
    """(factor[t] for t = 0..horizon, prefix[t] = factor[1] + … + factor[t]).

    factor[t] = (1 + rate) ** (-t / 12): a cost counted t months after the start.
    """
    if rate == 0:
        factors = [_ONE] * (horizon + 1)
        return factors, [Decimal(t) for t in range(horizon + 1)]
    with decimal.localcontext(_FACTORS):
        step = _ONE / ((_ONE + rate) ** (_ONE / _TWELVE))
        factors = [_ONE]
        prefix = [_ZERO]
        factor = _ONE
        total = _ZERO
        for _ in range(horizon):
            factor = factor * step
            total = total + factor
            factors.append(factor)
            prefix.append(total)
    return factors, prefix


def _money(twelfths: Decimal) -> Decimal:
    """Twelfths of a euro → euros rounded to cents, half up."""
    return (twelfths / _TWELVE).quantize(_CENT, rounding=ROUND_HALF_UP)


def _allocate(parts: dict[str, Decimal], total: Decimal) -> dict[str, Decimal]:
    """Round non-negative parts (in twelfths) to cents so that they add up to `total` (cents,
    already rounded): largest remainder method."""
    floors: dict[str, int] = {}
    remainders: list[tuple[Decimal, str]] = []
    for key, value in parts.items():
        cents = value * 25 / 3  # twelfths of a euro → cents
        floor = int(cents.to_integral_value(rounding=ROUND_FLOOR))
        floors[key] = floor
        remainders.append((cents - floor, key))
    missing = int(total * 100) - sum(floors.values())
    remainders.sort(key=lambda pair: (-pair[0], pair[1]))
    for _, key in remainders[:missing]:
        floors[key] += 1
    return {key: Decimal(cents).scaleb(-2) for key, cents in floors.items()}


@dataclass
class _Scenario:
    """Exact working sums of one scenario, all in twelfths of a euro."""

    once: list[Decimal]
    recurring: list[Decimal]  # per month (after the difference array is summed up)
    lines: list[Decimal]
    total: Decimal
    present_value: Decimal
    societal_total: Decimal
    societal_present_value: Decimal
    by_bearer: dict[str, Decimal]
    by_grade: dict[str, Decimal]


def _scenario(
    name: str,
    lines: tuple[Line, ...] | list[Line],
    horizon: int,
    factors: list[Decimal],
    prefix: list[Decimal],
) -> _Scenario:
    once = [_ZERO] * horizon
    diff = [_ZERO] * (horizon + 1)
    line_totals: list[Decimal] = []
    total = pv = societal = societal_pv = _ZERO
    by_bearer: dict[str, Decimal] = {}
    by_grade = dict.fromkeys(GRADES, _ZERO)
    for n, line in enumerate(lines, start=1):
        value, start, end = _line_value(line, name, n, horizon)
        if end < 0:
            once[start] += value
            line_total = value
            line_pv = value * factors[start]
        else:
            diff[start] += value
            diff[end] -= value
            line_total = value * (end - start)
            # Recurring costs count at the end of each month: t = start+1 .. end.
            line_pv = value * (prefix[end] - prefix[start])
        line_totals.append(line_total)
        if not line_total:
            continue
        total += line_total
        pv += line_pv
        if line.cost_type != "transfer":
            societal += line_total
            societal_pv += line_pv
        by_bearer[line.bearer] = by_bearer.get(line.bearer, _ZERO) + line_total
        by_grade[line.grade] += line_total
    recurring = []
    running = _ZERO
    for month in range(horizon):
        running += diff[month]
        recurring.append(running)
    return _Scenario(
        once=once,
        recurring=recurring,
        lines=line_totals,
        total=total,
        present_value=pv,
        societal_total=societal,
        societal_present_value=societal_pv,
        by_bearer=by_bearer,
        by_grade=by_grade,
    )


def _series(s: _Scenario, horizon: int) -> tuple[tuple[Decimal, ...], tuple[Decimal, ...]]:
    monthly = []
    cumulative = []
    running = _ZERO
    twelve, cent, half_up = _TWELVE, _CENT, ROUND_HALF_UP
    for once, recurring in zip(s.once, s.recurring, strict=True):
        cost = once + recurring
        running += cost
        monthly.append((cost / twelve).quantize(cent, rounding=half_up))
        cumulative.append((running / twelve).quantize(cent, rounding=half_up))
    return tuple(monthly), tuple(cumulative)


def _payback(standard: _Scenario, tailored: _Scenario, horizon: int) -> Decimal | None:
    """Months from the start until the tailored route has cost no more than the standard route.

    Points t = 0..horizon: once costs of month t count at t, recurring costs of month m at m+1.
    The first point where tailored ≤ standard and standard > 0 is interpolated linearly with the
    point before it.
    """
    cum_s = cum_t = _ZERO  # everything that has counted before point t
    previous_gap = _ZERO
    for t in range(horizon + 1):
        point_s, point_t = cum_s, cum_t
        if t < horizon:
            point_s += standard.once[t]
            point_t += tailored.once[t]
        gap = point_t - point_s
        if point_s > 0 and gap <= 0:
            if t == 0 or previous_gap <= 0:
                return Decimal(max(t - 1, 0)).quantize(_TENTH)
            crossing = (t - 1) + previous_gap / (previous_gap - gap)
            return crossing.quantize(_TENTH, rounding=ROUND_HALF_UP)
        previous_gap = gap
        if t < horizon:
            cum_s += standard.once[t] + standard.recurring[t]
            cum_t += tailored.once[t] + tailored.recurring[t]
    return None


def _scenario_result(s: _Scenario, horizon: int) -> ScenarioResult:
    total = _money(s.total)
    monthly, cumulative = _series(s, horizon)
    by_bearer = _allocate(s.by_bearer, total)
    return ScenarioResult(
        total=total,
        present_value=_money(s.present_value),
        monthly=monthly,
        cumulative=cumulative,
        by_bearer=tuple(sorted(by_bearer.items())),
        societal_total=_money(s.societal_total),
        societal_present_value=_money(s.societal_present_value),
        line_totals=tuple(_money(v) for v in s.lines),
    )


def _uplifted(s: _Scenario, sign: int) -> Decimal:
    return sum(
        (value * (_ONE + sign * GRADE_UPLIFT[grade]) for grade, value in s.by_grade.items()),
        _ZERO,
    )


def _drivers(calc: Calculation, sums: dict[str, _Scenario]) -> tuple[Driver, ...]:
    candidates = []
    for order, name in enumerate(SCENARIOS):
        for index, value in enumerate(sums[name].lines):
            if value:
                candidates.append((-value, order, index, name))
    candidates.sort()
    drivers = []
    for negative, _, index, name in candidates[:DRIVER_COUNT]:
        line = getattr(calc, name)[index]
        value = -negative
        drivers.append(
            Driver(
                scenario=name,
                line_index=index + 1,
                label=line.label,
                bearer=line.bearer,
                total=_money(value),
                share=(value / sums[name].total).quantize(_SHARE_PLACES, rounding=ROUND_HALF_UP),
                grade=line.grade,
            )
        )
    return tuple(drivers)


def evaluate(calc: Calculation) -> Result:
    """Evaluate both scenarios. Raises EngineError on the first problem in the input."""
    with decimal.localcontext(_EXACT):
        horizon, rate = _validate_calculation(calc)
        factors, prefix = _discount_factors(rate, horizon)
        sums = {
            name: _scenario(name, getattr(calc, name), horizon, factors, prefix)
            for name in SCENARIOS
        }
        s, t = sums["standard"], sums["tailored"]
        standard = _scenario_result(s, horizon)
        tailored = _scenario_result(t, horizon)

        if tailored.total:
            ratio = (standard.total / tailored.total).quantize(_RATIO_PLACES, ROUND_HALF_UP)
            note = "ok"
        else:
            ratio = None
            note = "tailored_free" if standard.total else "both_zero"

        bearers = dict(standard.by_bearer), dict(tailored.by_bearer)
        rows = [
            BearerRow(
                bearer=b,
                standard=bearers[0].get(b, _ZERO),
                tailored=bearers[1].get(b, _ZERO),
                saving=bearers[0].get(b, _ZERO) - bearers[1].get(b, _ZERO),
            )
            for b in sorted(bearers[0].keys() | bearers[1].keys())
        ]
        rows.sort(key=lambda row: -row.saving)  # stable: ties stay in bearer order

        low = _money(_uplifted(s, -1)) - _money(_uplifted(t, +1))
        high = _money(_uplifted(s, +1)) - _money(_uplifted(t, -1))

        return Result(
            standard=standard,
            tailored=tailored,
            net_benefit=standard.total - tailored.total,
            net_benefit_present_value=standard.present_value - tailored.present_value,
            ratio=ratio,
            ratio_note=note,
            payback_month=_payback(s, t, horizon),
            budget_view=tuple(rows),
            societal_view=SocietalView(
                standard=standard.societal_total,
                tailored=tailored.societal_total,
                net=standard.societal_total - tailored.societal_total,
            ),
            sensitivity=Sensitivity(low=low, high=high, uplift_by_grade=dict(GRADE_UPLIFT)),
            drivers=_drivers(calc, sums),
            horizon_months=horizon,
            discount_rate=rate,
            price_year=calc.price_year,
        )
