"""Plain rules of follow-up: when the moments fall and when an outcome holds. No database."""

from __future__ import annotations

import calendar
from datetime import date

END_OF_ACTION = "end_of_action"
PLUS_6 = "plus_6"
PLUS_12 = "plus_12"
MOMENTS = (END_OF_ACTION, PLUS_6, PLUS_12)
# The months after the end of the action when the organisation kept the default moments.
DEFAULT_MOMENT_OFFSETS = {END_OF_ACTION: 0, PLUS_6: 6, PLUS_12: 12}

# An outcome counts only when it has held this long at the moment of measurement (after the
# English Supporting Families programme: six months).
HOLDS_AFTER_MONTHS = 6


def add_months(day: date, months: int) -> date:
    """`day` plus whole months; the 31st becomes the last day of a shorter month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_between(start: date, end: date) -> int:
    """Whole months from `start` to `end` (negative when `end` lies before `start`)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if months > 0 and add_months(start, months) > end:
        months -= 1
    elif months < 0 and add_months(start, months) < end:
        months += 1
    return months


def due_dates(end_of_action: date, offsets: tuple[int, ...]) -> dict[str, date]:
    """The moments of one plan: the end of its action, then +offsets months after it
    (the organisation's offsets, `FOLLOWUP_OFFSETS`, 6 and 12 by default)."""
    later = dict(zip((PLUS_6, PLUS_12), offsets, strict=True))
    return {END_OF_ACTION: end_of_action} | {
        moment: add_months(end_of_action, months) for moment, months in later.items()
    }


def moment_offsets(offsets: tuple[int, ...]) -> dict[str, int]:
    """The months after the end of the action of each moment, for the organisation's offsets."""
    return {END_OF_ACTION: 0} | dict(zip((PLUS_6, PLUS_12), offsets, strict=True))


def holds(holds_since: date | None, measured_on: date, months: int = HOLDS_AFTER_MONTHS) -> bool:
    """Whether an outcome holds: it has held at least `months` whole months when measured."""
    if holds_since is None or holds_since > measured_on:
        return False
    return add_months(holds_since, months) <= measured_on


def realised_window(
    start: date, since: date | None, measured_on: date, horizon_months: int
) -> tuple[int, int]:
    """The months after the plan's start, (from, until) with `until` not included, in which a
    measured outcome realised the avoided standard route. Only what has happened counts:

    - only months that had passed by the day of measurement (a measurement on the plan's first
      day has realised nothing yet, whatever it promises);
    - only the whole months the outcome held within the plan's time: from `since`, or from the
      plan's start when it held before (`months_between(max(since, start), measured_on)`),
      counted back from the measurement;
    - nothing at all unless the outcome *holds* (at least six months at the measurement,
      `holds`), and nothing when `since` is None (measured: none of the outcomes holds);
    - never past the calculation's horizon.

    So the realised months are at most the whole months between `since` and the measurement,
    and at most `horizon_months`."""
    until = max(0, months_between(start, measured_on))
    if since is None or not holds(since, measured_on):
        return (min(until, horizon_months), min(until, horizon_months))
    held = max(0, months_between(max(since, start), measured_on))
    return (min(max(0, until - held), horizon_months), min(until, horizon_months))


# --- the organisation's moments ------------------------------------------------------------

OFFSET_MIN, OFFSET_MAX = 1, 60
GRACE_MAX = 365


def offsets_valid(first: int, second: int) -> bool:
    """Two whole months, increasing, each from 1 to 60."""
    return (
        all(isinstance(m, int) and not isinstance(m, bool) for m in (first, second))
        and OFFSET_MIN <= first < second <= OFFSET_MAX
    )


# --- the waakvlam (pilot light) ------------------------------------------------------------

PILOT_LIGHT_INTERVALS = (3, 6)


def next_check_in(last: date, interval_months: int) -> date:
    """The day the next check-in of a pilot light comes due: `interval_months` after the start
    or after the latest check-in."""
    if interval_months not in PILOT_LIGHT_INTERVALS:
        raise ValueError(f"interval {interval_months} is not one of {PILOT_LIGHT_INTERVALS}")
    return add_months(last, interval_months)
