"""Triage deadlines and priority (issue 15, item 4): plain functions on plain data.

Crisis and end-of-supply signals come first and are due within 3 working days of arrival
(weekends and the organisation's holidays skipped); every other signal within a configurable
number of weeks (settings.MAATWERK_EARLY_SIGNAL_TRIAGE_WEEKS, default 4).
"""

from __future__ import annotations

from collections.abc import Container
from datetime import date, timedelta

from maatwerk.decisions.routing import deadline as working_day_deadline

URGENT_WORKING_DAYS = 3


def is_urgent(kind: str, crisis: bool) -> bool:
    return bool(crisis) or kind == "eindelevering"


def due_date(
    *, kind: str, crisis: bool, received_on: date, weeks: int, holidays: Container[date] = ()
) -> date:
    if is_urgent(kind, crisis):
        return working_day_deadline(received_on, URGENT_WORKING_DAYS, holidays)
    return received_on + timedelta(weeks=weeks)


def sort_key(*, kind: str, crisis: bool, due: date, received_on: date) -> tuple:
    """Urgent signals first, then the earliest deadline, then the oldest."""
    return (not is_urgent(kind, crisis), due, received_on)
