"""Dutch public holidays, computed: no list to keep up to date, no Django.

Deadlines in working days (a decision step's deadline, `decisions.routing.deadline`) skip
weekends and the days in a `Calendar`: the Dutch public holidays below plus the extra dates an
organisation sets in ``MAATWERK_HOLIDAYS`` (docs/decisions.md, "Deadlines").

The holidays (*algemeen erkende feestdagen*):

- Nieuwjaarsdag (1 January);
- Goede Vrijdag, Eerste en Tweede Paasdag (Easter Sunday − 2, Easter Sunday, + 1);
- Koningsdag: 27 April, or 26 April when the 27th is a Sunday (from 2014; before, Koninginnedag
  on 30 April, or 29 April when the 30th is a Sunday);
- Bevrijdingsdag (5 May): **every year** by default. The Algemene termijnenwet (art. 3) counts
  5 May every year for statutory time limits, and the collective agreements of municipalities
  and central government give it off every year; many others only every fifth year (2025,
  2030, …). An organisation whose staff works on 5 May outside lustrum years sets
  ``MAATWERK_LIBERATION_DAY=lustrum``;
- Hemelvaartsdag (Easter + 39 days);
- Eerste en Tweede Pinksterdag (Easter + 49 and + 50 days);
- Eerste en Tweede Kerstdag (25 and 26 December).

Sundays among them change nothing: a deadline skips weekends anyway.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

YEARLY = "yearly"
LUSTRUM = "lustrum"
LIBERATION_DAY_CHOICES = (YEARLY, LUSTRUM)


def easter_sunday(year: int) -> date:
    """Easter Sunday of ``year`` in the Gregorian calendar (the anonymous Gregorian algorithm,
    also known as Meeus/Jones/Butcher)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month, day = divmod(h + el - 7 * m + 114, 31)
    return date(year, month, day + 1)


def kings_day(year: int) -> date:
    """Koningsdag (from 2014) or Koninginnedag (before): moved a day earlier from a Sunday."""
    day = date(year, 4, 27) if year >= 2014 else date(year, 4, 30)
    return day - timedelta(days=1) if day.weekday() == 6 else day


def liberation_day(year: int, rule: str = YEARLY) -> date | None:
    """5 May, every year (``YEARLY``) or only when ``year`` is a multiple of 5 (``LUSTRUM``)."""
    if rule not in LIBERATION_DAY_CHOICES:
        raise ValueError(f"liberation day rule must be one of {LIBERATION_DAY_CHOICES}")
    if rule == LUSTRUM and year % 5:
        return None
    return date(year, 5, 5)


@lru_cache(maxsize=256)
def dutch_public_holidays(year: int, liberation: str = YEARLY) -> frozenset[date]:
    """The Dutch public holidays of ``year`` (see the module's docstring)."""
    easter = easter_sunday(year)
    days = {
        date(year, 1, 1),
        easter - timedelta(days=2),
        easter,
        easter + timedelta(days=1),
        kings_day(year),
        easter + timedelta(days=39),
        easter + timedelta(days=49),
        easter + timedelta(days=50),
        date(year, 12, 25),
        date(year, 12, 26),
    }
    freedom = liberation_day(year, liberation)
    if freedom is not None:
        days.add(freedom)
    return frozenset(days)


@dataclass(frozen=True)
class Calendar:
    """The days off besides weekends: Dutch public holidays of any year, plus ``extra`` dates.

    A container (``day in calendar``), so deadlines of any length and year can ask it.
    """

    extra: frozenset[date] = field(default_factory=frozenset)
    liberation: str = YEARLY

    def __post_init__(self) -> None:
        liberation_day(2000, self.liberation)  # refuse an unknown rule at once

    def __contains__(self, day: object) -> bool:
        if not isinstance(day, date):
            return False
        return day in self.extra or day in dutch_public_holidays(day.year, self.liberation)

    def between(self, start: date, end: date) -> list[date]:
        """The days off from ``start`` to ``end`` (both included), in order."""
        days = []
        for year in range(start.year, end.year + 1):
            days.extend(dutch_public_holidays(year, self.liberation))
        days.extend(self.extra)
        return sorted({d for d in days if start <= d <= end})


def parse_dates(values: Iterable[str]) -> frozenset[date]:
    """ISO dates (``2026-12-24``) as dates; raises ValueError naming the first bad one."""
    result = set()
    for value in values:
        try:
            result.add(date.fromisoformat(value.strip()))
        except ValueError:
            raise ValueError(f"{value!r} is not a date like 2026-12-24") from None
    return frozenset(result)
