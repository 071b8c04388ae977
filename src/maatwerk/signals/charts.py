"""The signal report's chart: one horizontal bar per blocking rule for its households (the
table beneath it gives the same figures). Drawn as a list, one line per rule: the rule's name,
then a bar whose length is a percentage of the widest (an inline SVG `rect`) and the figure
right after it, so the figure stays readable at any width: from 40rem down the name stands on
its own line above the bar (walk: at 320 px the one wide SVG scrolled its numbers out of view).
A suppressed rule gets no bar, only the small-number rule's mark (`small_count`)."""

from __future__ import annotations

from dataclasses import dataclass

TEXT_COLOUR = "#1a1a1a"
BAR_COLOUR = "#24578f"  # 7.6:1 on white
MAX_ROWS = 12
# The longest bar takes this share of its line, leaving room for the figure after it.
BAR_SHARE = 85


@dataclass(frozen=True)
class Bar:
    label: str
    value: int | None  # None: suppressed
    small: bool  # suppressed because too few households (else to protect another figure)
    percent: int  # the bar's length, in percent of its line (0: no bar)


@dataclass(frozen=True)
class Chart:
    rows: tuple[Bar, ...]
    bar_colour: str = BAR_COLOUR
    text_colour: str = TEXT_COLOUR


def bars(rows: list[tuple[str, int | None, bool]]) -> Chart | None:
    """`rows`: (label, households or None, hidden because small). The first MAX_ROWS rows (the
    report's order: most households first); None when no row has a figure to draw."""
    rows = rows[:MAX_ROWS]
    largest = max((v for _, v, _s in rows if v), default=0)
    if not largest:
        return None
    return Chart(
        rows=tuple(
            Bar(
                label=label,
                value=value,
                small=small,
                percent=max(1, round(BAR_SHARE * value / largest)) if value else 0,
            )
            for label, value, small in rows
        )
    )
