"""Before and after a rule change: distinct households per calendar quarter (pure functions).

A signal that ends in "rule changed" shows how many households met the rule in the quarters
before the change and in those after it. The quarter in which the rule changed holds both, so it
is shown on its own. Counts under the small-number threshold show as "< 5" (core.small_numbers).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from maatwerk.core.small_numbers import is_small

Quarter = tuple[int, int]  # (year, 1..4)

BEFORE = "before"
CHANGE = "change"
AFTER = "after"


def quarter_of(day: datetime.date) -> Quarter:
    return day.year, (day.month - 1) // 3 + 1


def shift(quarter: Quarter, steps: int) -> Quarter:
    """The quarter `steps` quarters later (earlier when negative)."""
    index = quarter[0] * 4 + quarter[1] - 1 + steps
    return index // 4, index % 4 + 1


@dataclass(frozen=True)
class QuarterCount:
    quarter: Quarter
    side: str  # BEFORE, CHANGE or AFTER
    households: int | None  # None: fewer than the small-number threshold

    @property
    def label(self) -> str:
        return f"{self.quarter[0]} K{self.quarter[1]}"

    @property
    def small(self) -> bool:
        return self.households is None


def before_after(
    rows: Iterable[tuple[datetime.date, int]],
    changed_on: datetime.date,
    today: datetime.date,
    quarters: int = 4,
) -> list[QuarterCount]:
    """Distinct households per quarter: `quarters` before the change's quarter, the change's
    quarter, and up to `quarters` after it (never beyond today's quarter).

    `rows` are (day an obstacle was recorded, household id). A household counts once per
    quarter, however many obstacles it has there.
    """
    change = quarter_of(changed_on)
    last = min(quarter_of(today), shift(change, quarters))
    wanted = [shift(change, step) for step in range(-quarters, 0)]
    wanted.append(change)
    step = 1
    while shift(change, step) <= last:
        wanted.append(shift(change, step))
        step += 1
    households: dict[Quarter, set[int]] = {q: set() for q in wanted}
    for day, household in rows:
        q = quarter_of(day)
        if q in households:
            households[q].add(household)
    result = []
    for q in wanted:
        side = BEFORE if q < change else CHANGE if q == change else AFTER
        n = len(households[q])
        result.append(QuarterCount(q, side, None if is_small(n) else n))
    return result
