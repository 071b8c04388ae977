"""The signal report's chart: one horizontal bar per blocking rule for its households, as plain
numbers for an inline SVG (the table beside it gives the same figures). A suppressed rule gets
no bar, only its "< 5"."""

from __future__ import annotations

from dataclasses import dataclass

TEXT_COLOUR = "#1a1a1a"
BAR_COLOUR = "#24578f"  # 7.6:1 on white
LABEL_WIDTH = 260
BAR_AREA = 340
ROW_HEIGHT = 26
MAX_ROWS = 12


@dataclass(frozen=True)
class Bar:
    label: str
    value: int | None  # None: suppressed
    y: int
    width: int
    text_x: int


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    label_width: int
    rows: tuple[Bar, ...]
    bar_colour: str = BAR_COLOUR
    text_colour: str = TEXT_COLOUR


def bars(rows: list[tuple[str, int | None]]) -> Chart | None:
    """The first MAX_ROWS rows (the report's order: most households first); None when no row
    has a figure to draw."""
    rows = rows[:MAX_ROWS]
    largest = max((v for _, v in rows if v), default=0)
    if not largest:
        return None
    made = []
    for n, (label, value) in enumerate(rows):
        width = round(BAR_AREA * value / largest) if value else 0
        made.append(
            Bar(
                label=label,
                value=value,
                y=n * ROW_HEIGHT + 4,
                width=width,
                text_x=LABEL_WIDTH + width + 6,
            )
        )
    return Chart(
        width=LABEL_WIDTH + BAR_AREA + 60,
        height=len(made) * ROW_HEIGHT + 8,
        label_width=LABEL_WIDTH,
        rows=tuple(made),
    )
