"""The cohort chart, drawn server-side as SVG like the plan's cost chart (`costs.charts`): per
cohort its label and two bars, predicted and realised net benefit of its measured plans.
Small cohorts are left out (they show no figures at all). Plain functions; the table beside
the chart carries the same figures for whoever does not read the chart."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from maatwerk.core.formatting import money
from maatwerk.costs.charts import PAYBACK_COLOUR, TAILORED_COLOUR, TEXT_COLOUR

# A narrow drawing that scales to the page's width (viewBox, width 100%): each group's label
# on its own line above its two bars, so that on a phone the bars keep most of the width and
# the amounts after them stay inside the drawing.
WIDTH = 360
LABEL_WIDTH = 8  # the left margin: the bars start here at the lowest value
RIGHT = 104  # room for the amount after the bar
LABEL_HEIGHT = 20  # the group's label line above its bars
BAR, GAP, GROUP_GAP, TOP = 14, 4, 14, 4


@dataclass(frozen=True)
class Bar:
    y: int
    x: float
    width: float
    text_x: float
    amount: str
    colour: str
    kind: str  # "predicted" or "realised"


@dataclass(frozen=True)
class Row:
    label: str
    label_y: int
    bars: tuple[Bar, ...]


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    zero_x: float
    rows: tuple[Row, ...]
    predicted_colour: str = TAILORED_COLOUR
    realised_colour: str = PAYBACK_COLOUR
    text_colour: str = TEXT_COLOUR
    left: int = LABEL_WIDTH


def cohort_chart(cohorts) -> Chart | None:
    """Bars for the cohorts with figures; None when none has a measured plan."""
    shown = [c for c in cohorts if not c.euros_small and c.measured]
    if not shown:
        return None
    values = [v for c in shown for v in (c.predicted, c.realised)]
    low = min(min(values), Decimal(0))
    high = max(max(values), Decimal(0))
    span = (high - low) or Decimal(1)
    plot = WIDTH - LABEL_WIDTH - RIGHT

    def x(value: Decimal) -> float:
        return round(LABEL_WIDTH + float((value - low) / span) * plot, 1)

    zero = x(Decimal(0))
    rows, y = [], TOP
    for c in shown:
        label_y = y + LABEL_HEIGHT // 2
        y += LABEL_HEIGHT
        bars = []
        for kind, value, colour in (
            ("predicted", c.predicted, TAILORED_COLOUR),
            ("realised", c.realised, PAYBACK_COLOUR),
        ):
            end = x(value)
            left, right = min(zero, end), max(zero, end)
            bars.append(Bar(y, left, max(right - left, 1), right + 6, money(value), colour, kind))
            y += BAR + GAP
        rows.append(Row(c.label, label_y, tuple(bars)))
        y += GROUP_GAP
    return Chart(WIDTH, y, zero, tuple(rows))
