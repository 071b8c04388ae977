"""Expressing an amount in another year's price level with the CBS consumer price index.

Plain functions on plain data: `changes` maps a year to its yearly CPI change in percent.
"""

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def index_amount(
    amount: Decimal, from_year: int, to_year: int, changes: Mapping[int, Decimal]
) -> tuple[Decimal, int]:
    """Return (amount in the price level of the reached year, that year).

    Indexation stops at the last year the index knows, so the caller can say honestly which
    price year it shows (e.g. asked for 2026, index known up to 2024 → 2024 price level).
    """
    factor = Decimal(1)
    year = from_year
    if to_year >= from_year:
        while year < to_year and (year + 1) in changes:
            year += 1
            factor *= 1 + changes[year] / 100
    else:
        while year > to_year and year in changes:
            factor /= 1 + changes[year] / 100
            year -= 1
    return (amount * factor).quantize(CENT, rounding=ROUND_HALF_UP), year


def yearly_amount(amount: Decimal, unit: str) -> Decimal | None:
    """What one unit going on for a year costs; None for one-off units (case, event)."""
    per_year = {
        "per_day": Decimal(365),
        "per_month": Decimal(12),
        "per_year": Decimal(1),
    }
    if unit not in per_year:
        return None
    return (amount * per_year[unit]).quantize(CENT, rounding=ROUND_HALF_UP)
