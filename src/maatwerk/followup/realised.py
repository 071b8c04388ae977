"""Realised return: what the tailored route really brought, against what the plan predicted.

Plain data, no database. The prediction is the plan's frozen calculation snapshot (the result
the engine produced when the plan was submitted, `CalculationSnapshot.result`): it is never
recomputed from today's catalogue prices. The realised figures are computed by the same
engine (`maatwerk.costs.engine.evaluate`), so net benefit, ratio and payback keep one
definition each:

- the *standard route avoided* is the snapshot's monthly standard-route series, counted only
  for the months the outcome held (from `held_from_month` up to, not including,
  `held_until_month`, cut to the snapshot's horizon);
- the *tailored route* is what was actually paid from the budget (ledger payments, each in the
  month it was paid) plus the part of the predicted tailored route that the budget was not to
  pay (other bearers' costs, forgone income): predicted tailored total − committed, when > 0,
  counted in month 0.

*Corrected lines*: at a follow-up the worker may correct a line of the predicted standard route
(the benefit was €1,100 a month, not €1,000). A correction is the line's monthly difference
(corrected minus predicted series, `line_difference`); the avoided standard route is computed
from the predicted series plus those differences (never below zero in a month), the
prediction itself stays the snapshot's.

"Not measured" (no contact, moved, refused) gives no realised figure at all: `realised_return`
returns `None`, never zero and never an error, so it cannot be counted as failure or success.

Each month of the standard route enters the engine as a recurring line for that month, so it
counts at the end of the month (the engine's convention for recurring costs): a standard route
that was one-off costs only may show a payback up to one month later than its prediction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from maatwerk.costs import engine

ZERO = Decimal("0.00")
NOT_MEASURED = None  # what realised_return gives for a follow-up that was not measured


@dataclass(frozen=True)
class Prediction:
    """The frozen prediction, read from a snapshot's result."""

    standard_monthly: tuple[Decimal, ...]  # standard-route cost per month, 0..horizon-1
    tailored_total: Decimal
    net_benefit: Decimal
    ratio: Decimal | None
    payback_month: Decimal | None
    horizon_months: int
    discount_rate: Decimal

    @property
    def standard_total(self) -> Decimal:
        return sum(self.standard_monthly, ZERO)


@dataclass(frozen=True)
class Payment:
    amount: Decimal
    month: int = 0  # months after the plan's start in which it was paid


@dataclass(frozen=True)
class Realised:
    avoided: Decimal  # standard-route cost avoided over the months the outcome held
    paid: Decimal  # paid from the budget (ledger)
    released: Decimal  # committed but not spent: committed − paid, not below zero
    tailored: Decimal  # realised tailored-route cost (paid + other predicted tailored costs)
    net_benefit: Decimal
    ratio: Decimal | None
    payback_month: Decimal | None
    held_months: int
    prediction: Prediction

    @property
    def net_difference(self) -> Decimal:
        """Realised net minus predicted net: negative when it paid off less than predicted."""
        return self.net_benefit - self.prediction.net_benefit


def _decimal(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def exact_monthly(
    monthly: Sequence[Decimal], cumulative: Sequence[Decimal] | None
) -> tuple[Decimal, ...]:
    """The month-by-month standard route that adds up to its total: each month rounded to cents
    on its own (the engine's `monthly`) drifts a few cents from the total (12 × €966,67 for
    €11.600 a year); differences of the rounded cumulative series (€966,67, €966,66, …) add up
    to it exactly, so six months of €11.600 a year are €5.800,00. Falls back to `monthly` when
    the cumulative series is missing (older snapshots)."""
    if not cumulative or len(cumulative) != len(monthly):
        return tuple(Decimal(v) for v in monthly)
    cumulative = [Decimal(v) for v in cumulative]
    return tuple(b - a for a, b in zip([ZERO, *cumulative[:-1]], cumulative, strict=True))


def prediction_from_snapshot(result: Mapping) -> Prediction:
    """Read the frozen prediction from `CalculationSnapshot.result` (see
    `costs.calculations.result_as_dict`)."""
    standard = result["standard"]
    return Prediction(
        standard_monthly=exact_monthly(standard["monthly"], standard.get("cumulative")),
        tailored_total=Decimal(result["tailored"]["total"]),
        net_benefit=Decimal(result["net_benefit"]),
        ratio=_decimal(result.get("ratio")),
        payback_month=_decimal(result.get("payback_month")),
        horizon_months=int(result["horizon_months"]),
        discount_rate=Decimal(result["discount_rate"]),
    )


def prediction_from_result(result: engine.Result) -> Prediction:
    """The same prediction straight from an engine result (what the snapshot stores)."""
    return Prediction(
        standard_monthly=exact_monthly(result.standard.monthly, result.standard.cumulative),
        tailored_total=result.tailored.total,
        net_benefit=result.net_benefit,
        ratio=result.ratio,
        payback_month=result.payback_month,
        horizon_months=result.horizon_months,
        discount_rate=result.discount_rate,
    )


def held_window(prediction: Prediction, held_from_month: int, held_until_month: int) -> range:
    """The months of the horizon in which the outcome held."""
    start = max(0, held_from_month)
    end = min(prediction.horizon_months, held_until_month)
    return range(start, max(start, end))


def _runs(monthly: Sequence[Decimal], months: range) -> list[tuple[int, int, Decimal]]:
    """(start, length, amount) runs of equal, non-zero monthly amounts within `months`."""
    runs: list[tuple[int, int, Decimal]] = []
    for m in months:
        amount = monthly[m]
        if runs and runs[-1][2] == amount and runs[-1][0] + runs[-1][1] == m:
            start, length, _ = runs[-1]
            runs[-1] = (start, length + 1, amount)
        elif amount:
            runs.append((m, 1, amount))
    return runs


def _line(label: str, amount: Decimal, start: int, duration: int | None) -> engine.Line:
    return engine.Line(
        label=label,
        amount=amount,
        unit="per_month" if duration else "per_case",
        bearer="realised",
        cost_type="fiscal",
        start_month=start,
        duration_months=duration,
    )


def line_difference(
    predicted: engine.Line, corrected_amount: Decimal, horizon_months: int
) -> tuple[Decimal, ...]:
    """The monthly difference a corrected line makes to the standard route: the engine's series
    of the line with `corrected_amount` minus its series as predicted (same unit, quantity,
    start and duration), over the horizon, undiscounted; each series month by month as
    `exact_monthly` gives it, so the corrected route adds up to the corrected amount exactly."""

    def series(line: engine.Line) -> tuple[Decimal, ...]:
        calc = engine.Calculation(
            standard=(line,), tailored=(), horizon_months=horizon_months, discount_rate=ZERO
        )
        standard = engine.evaluate(calc).standard
        # Exact to the cent over a run of months, as the prediction (`exact_monthly`): 9.000 a
        # year instead of 11.600 over six months is 4.500,00 avoided, not 4.499,98.
        return exact_monthly(standard.monthly, standard.cumulative)

    corrected = replace(predicted, amount=Decimal(corrected_amount))
    return tuple(c - p for c, p in zip(series(corrected), series(predicted), strict=True))


def corrected_monthly(
    monthly: Sequence[Decimal], corrections: Iterable[Sequence[Decimal]] = ()
) -> tuple[Decimal, ...]:
    """The standard route's monthly series with the corrected lines' differences added, never
    below zero in a month (a correction cannot make the standard route pay out)."""
    result = list(monthly)
    for difference in corrections:
        for m, delta in enumerate(difference[: len(result)]):
            result[m] += delta
    return tuple(max(v, ZERO) for v in result)


def _smoothed(prediction: Prediction, corrections) -> tuple[Decimal, ...]:
    """The corrected monthly series with each run of near-equal months (within a cent) at its
    average: one line per run for the engine."""
    monthly = corrected_monthly(prediction.standard_monthly, corrections)
    out: list[Decimal] = []
    i = 0
    while i < len(monthly):
        j = i + 1
        while j < len(monthly) and abs(monthly[j] - monthly[i]) <= Decimal("0.01") and monthly[j]:
            j += 1
        out.extend([sum(monthly[i:j], ZERO) / (j - i)] * (j - i))
        i = j
    return tuple(out)


def realised_return(
    prediction: Prediction,
    *,
    held_from_month: int | None,
    held_until_month: int,
    committed: Decimal,
    payments: Iterable[Payment],
    corrections: Iterable[Sequence[Decimal]] = (),
) -> Realised | None:
    """The realised return of one plan; `None` when the outcome was not measured
    (`held_from_month` is None).

    `held_from_month`/`held_until_month`: months after the plan's start from which the outcome
    held and at which it was measured. `committed`: what the budget committed for the plan;
    `payments`: what the ledger paid (reversed payments left out by the caller).
    `corrections`: the monthly differences of the lines the worker corrected
    (`line_difference`); the prediction stays as it was.
    """
    if held_from_month is None:
        return NOT_MEASURED
    horizon = prediction.horizon_months
    window = held_window(prediction, held_from_month, held_until_month)
    runs = _runs(corrected_monthly(prediction.standard_monthly, corrections), window)
    if len(runs) > engine.MAX_LINES:
        # Cents alternating over a long horizon: months rounded on their own (a few cents off
        # the total) rather than more lines than the engine takes.
        rounded = tuple(m.quantize(Decimal("0.01")) for m in _smoothed(prediction, corrections))
        runs = _runs(rounded, window)
    standard = [_line("avoided", amount, start, length) for start, length, amount in runs]
    paid_lines = []
    paid = ZERO
    for payment in payments:
        amount = Decimal(payment.amount)
        paid += amount
        if amount:
            month = min(max(payment.month, 0), horizon - 1)
            paid_lines.append(_line("paid", amount, month, None))
    committed = Decimal(committed)
    other = prediction.tailored_total - committed
    tailored = paid_lines + ([_line("other", other, 0, None)] if other > 0 else [])
    if len(standard) > engine.MAX_LINES or len(tailored) > engine.MAX_LINES:
        raise ValueError("too many distinct monthly amounts for the engine")
    result = engine.evaluate(
        engine.Calculation(
            standard=tuple(standard),
            tailored=tuple(tailored),
            horizon_months=horizon,
            discount_rate=prediction.discount_rate,
        )
    )
    return Realised(
        avoided=result.standard.total,
        paid=paid,
        released=max(committed - paid, ZERO),
        tailored=result.tailored.total,
        net_benefit=result.net_benefit,
        ratio=result.ratio,
        payback_month=result.payback_month,
        held_months=len(window),
        prediction=prediction,
    )
