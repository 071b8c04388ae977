"""Destruction of personal data past its retention period: the generic part, shared by the
early signals (partners: signals never picked up, after MAATWERK_EARLY_SIGNAL_RETENTION_MONTHS)
and, later, the cases of the privacy issue.

A `Policy` names the personal fields to blank, the field marking a row destroyed and the path
to the row's organisation. `destroy` blanks the fields of the rows of a queryset not yet
destroyed and marks them, in one transaction under row locks, and records one audit event per
organisation with the action and the count — never the data. A run is idempotent: rows already
marked are left alone, so a second run finds nothing. The row itself stays as an anonymous
tombstone, so counts over it (exports, reports) do not change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction

CHUNK = 1000


@dataclass(frozen=True)
class Policy:
    object_type: str  # the audit event's object type, e.g. "partners.earlysignal"
    reason: str  # the audit event's reason, e.g. "retention period of signals not picked up"
    blank: dict  # field -> the value that replaces it
    marker: str = "destroyed_at"  # a nullable datetime field, set to the time of destruction
    organisation: str = "organisation_id"  # the path to the row's organisation id


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time `months` calendar months earlier (the month's last day when the
    day does not exist in it: 31 August less 6 months is 28 or 29 February)."""
    import calendar

    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def pending(queryset, policy: Policy):
    return queryset.filter(**{f"{policy.marker}__isnull": True})


def counts(queryset, policy: Policy) -> dict[int | None, int]:
    """Rows to destroy per organisation (a dry run)."""
    found: dict[int | None, int] = {}
    for org in pending(queryset, policy).values_list(policy.organisation, flat=True):
        found[org] = found.get(org, 0) + 1
    return found


def destroy(
    queryset, policy: Policy, *, now: datetime, record: Callable[[int | None, int], None]
) -> dict[int | None, int]:
    """Blank and mark the rows of `queryset` not yet destroyed; the count per organisation.
    `record(organisation_id, count)` is called per organisation inside the transaction."""
    done: dict[int | None, int] = {}
    with transaction.atomic():
        rows = list(
            pending(queryset, policy)
            .select_for_update(of=("self",))
            .values_list("pk", policy.organisation)
        )
        model = queryset.model
        for start in range(0, len(rows), CHUNK):
            ids = [pk for pk, _org in rows[start : start + CHUNK]]
            model.objects.filter(pk__in=ids).update(**policy.blank, **{policy.marker: now})
        for _pk, org in rows:
            done[org] = done.get(org, 0) + 1
        for org, n in sorted(done.items(), key=lambda item: item[0] or 0):
            record(org, n)
    return done
