"""Geometry of the cumulative-cost chart, drawn server-side as SVG (no chart script, no CSP
exceptions). Plain functions on the engine's result.

The colours live here too and the SVG carries them as presentation attributes (``stroke=``,
``fill="none"``), not only as CSS classes: WeasyPrint, which prints the plan document, does not
apply the page's stylesheet inside an SVG, and a polyline without ``fill="none"`` is filled black
there (the "black wedge"). Each colour has at least 3:1 contrast against white (WCAG 1.4.11)."""

from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar

from maatwerk.core.formatting import money

WIDTH, HEIGHT = 720, 320
LEFT, RIGHT, TOP, BOTTOM = 96, 16, 16, 40

# Line colours, also used by the legend: red for the standard route, blue for the tailored one
# (dashed, so the two differ without colour too), green for the payback line; light grid.
STANDARD_COLOUR = "#b30000"
TAILORED_COLOUR = "#24578f"
PAYBACK_COLOUR = "#1e6b34"
GRID_COLOUR = "#d9d9d9"
TEXT_COLOUR = "#1a1a1a"


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: int
    bottom: int  # y of the x axis
    right: int  # x of the end of the x axis
    standard: str  # SVG polyline points
    tailored: str
    y_ticks: list[tuple[float, str]]
    x_ticks: list[tuple[float, int]]
    payback_x: float | None
    # Class-level constants (not fields): the template reads them as chart.standard_colour etc.
    standard_colour: ClassVar[str] = STANDARD_COLOUR
    tailored_colour: ClassVar[str] = TAILORED_COLOUR
    payback_colour: ClassVar[str] = PAYBACK_COLOUR
    grid_colour: ClassVar[str] = GRID_COLOUR
    text_colour: ClassVar[str] = TEXT_COLOUR

    @property
    def top(self) -> int:
        """y of the top of the plot area (where the payback line starts)."""
        return TOP


def nice_step(top: Decimal, ticks: int = 5) -> Decimal:
    """A round step (1, 2, 2.5 or 5 × 10^k) that divides `top` into about `ticks` parts."""
    if top <= 0:
        return Decimal(1)
    raw = top / ticks
    magnitude = Decimal(10) ** (len(str(int(raw))) - 1) if raw >= 1 else Decimal(1)
    for factor in (1, 2, Decimal("2.5"), 5, 10):
        if magnitude * factor >= raw:
            return magnitude * factor
    return magnitude * 10


def cumulative_chart(result) -> Chart:
    horizon = result.horizon_months
    series = (result.standard.cumulative, result.tailored.cumulative)
    top = max([Decimal(0), *series[0], *series[1]])
    step = nice_step(top)
    y_max = max(step, (top / step).to_integral_value(rounding="ROUND_CEILING") * step)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(t) -> float:
        return round(LEFT + plot_w * float(t) / horizon, 1)

    def y(value) -> float:
        return round(TOP + plot_h * (1 - float(value / y_max)), 1)

    def points(cumulative) -> str:
        # Month m's cumulative cost is drawn at its end (t = m + 1), starting from zero.
        coords = [(x(0), y(0))] + [(x(m + 1), y(v)) for m, v in enumerate(cumulative)]
        return " ".join(f"{a},{b}" for a, b in coords)

    count = int(y_max / step)
    y_ticks = [(y(step * i), money(step * i).removesuffix(",00")) for i in range(count + 1)]
    every = max(1, -(-horizon // 12))
    for nice in (1, 2, 3, 6, 12, 24, 60, 120):
        if nice >= every:
            every = nice
            break
    x_ticks = [(x(t), t) for t in range(0, horizon + 1, every)]
    payback = result.payback_month
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        bottom=HEIGHT - BOTTOM,
        right=WIDTH - RIGHT,
        standard=points(series[0]),
        tailored=points(series[1]),
        y_ticks=y_ticks,
        x_ticks=x_ticks,
        payback_x=x(payback) if payback is not None and payback <= horizon else None,
    )
