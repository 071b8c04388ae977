"""Bounds for every date a person enters: one rule per kind of date, used by forms, serializers,
model `clean()` and services alike, so no door lets `0001-01-01` (or a typo like `2206`) in.

The bounds, and why:

- `BIRTH_DATE` (a resident's birth date): 1 January 1900 up to today. Nobody alive was born
  earlier; an expected child is not a resident yet.
- `EVENT_DATE` (when a note's contact happened, when the resident agreed): at most 20 years ago,
  not in the future. It records what happened in the casework, and 20 years is the longest
  retention period of a file in the social domain (youth care), so nothing older can be in one.
- `PLANNED_DATE` (when a plan's solution happens, the date of an MDT consultation): the same
  floor, at most two years ahead: a plan or a meeting further out is not a plan but a wish.
- `PRICE_DATE` (the date a catalogue price holds): 1 January 1990 up to today, the same floor as
  a plan's price year; the catalogue holds prices that were observed, not forecasts.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

EVENT_YEARS_BACK = 20
PLANNED_YEARS_AHEAD = 2


def years_from(today: date, years: int) -> date:
    """The same calendar day `years` later (earlier when negative); 29 February becomes 28."""
    try:
        return today.replace(year=today.year + years)
    except ValueError:
        return today.replace(year=today.year + years, day=28)


def _today(today: date) -> date:
    return today


@dataclass(frozen=True)
class DateRule:
    """The earliest and latest allowed date (functions of today) and what to say otherwise.

    An instance is a validator: `rule(value)` raises a ValidationError for a date out of bounds
    (None passes: whether a date is required is the field's business).
    """

    earliest: Callable[[date], date]
    latest: Callable[[date], date]
    too_early: str | Promise
    too_late: str | Promise

    def bounds(self, today: date | None = None) -> tuple[date, date]:
        today = today or timezone.localdate()
        return self.earliest(today), self.latest(today)

    def __call__(self, value: date | None) -> None:
        if value is None:
            return
        earliest, latest = self.bounds()
        if value < earliest:
            raise ValidationError(self.too_early, code="date_too_early")
        if value > latest:
            raise ValidationError(self.too_late, code="date_too_late")

    def widget_attrs(self) -> dict[str, str]:
        """`min` and `max` for an `<input type="date">`, so the browser's picker agrees."""
        earliest, latest = self.bounds()
        return {"min": earliest.isoformat(), "max": latest.isoformat()}


TOO_FAR_BACK = _("This date lies too far back: at most 20 years ago.")

BIRTH_DATE = DateRule(
    earliest=lambda today: date(1900, 1, 1),
    latest=_today,
    too_early=_("A birth date cannot lie before 1900."),
    too_late=_("A birth date cannot lie in the future."),
)
EVENT_DATE = DateRule(
    earliest=lambda today: years_from(today, -EVENT_YEARS_BACK),
    latest=_today,
    too_early=TOO_FAR_BACK,
    too_late=_("This date cannot lie in the future."),
)
PLANNED_DATE = DateRule(
    earliest=lambda today: years_from(today, -EVENT_YEARS_BACK),
    latest=lambda today: years_from(today, PLANNED_YEARS_AHEAD),
    too_early=TOO_FAR_BACK,
    too_late=_("This date lies too far in the future: at most two years ahead."),
)
PRICE_DATE = DateRule(
    earliest=lambda today: date(1990, 1, 1),
    latest=_today,
    too_early=_("A price date cannot lie before 1990."),
    too_late=_("A price date cannot lie in the future."),
)


def check(values: Mapping, rules: Mapping[str, DateRule]) -> None:
    """Apply `rules` to the dates present in `values`; one ValidationError naming every field."""
    errors: dict[str, list] = {}
    for field, rule in rules.items():
        try:
            rule(values.get(field))
        except ValidationError as error:
            errors[field] = error.error_list
    if errors:
        raise ValidationError(errors)


def bound(field, rule: DateRule) -> None:
    """Give a form's date field the rule as validator and the bounds as min/max of its input."""
    field.validators.append(rule)
    field.widget.attrs.update(rule.widget_attrs())
