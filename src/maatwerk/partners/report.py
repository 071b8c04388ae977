"""Counts of early signals per partner type and result for the signals report (issue 15, item 6):
a pure function from counted rows to what may be shown under the inside small-number rule
(core.small_numbers: fewer than the minimum shows "< 5", with secondary suppression so that no
hidden count follows from the totals). The unit is a signal (one signal is about one household).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from maatwerk.core.small_numbers import Cell, Rule, suppress

from .models import EndResult, PartnerType, Status

# A signal without an end result is counted by where it stands.
NOT_YET = "nog-niet-opgepakt"
PICKED_UP_OPEN = "opgepakt"
RESULT_LABELS = {
    NOT_YET: _("Not yet picked up"),
    PICKED_UP_OPEN: _("Picked up, no end result yet"),
    **dict(EndResult.choices),
}
RESULT_ORDER = [NOT_YET, PICKED_UP_OPEN, *EndResult.values]
_RESULT_OF_STATUS = {
    Status.NEW: NOT_YET,
    Status.PICKED_UP: PICKED_UP_OPEN,
    Status.REPEATED: EndResult.REPEATED,
    Status.UNJUSTIFIED: EndResult.UNJUSTIFIED,
    Status.DECEASED: EndResult.DECEASED,
    Status.NOT_RESIDENT: EndResult.NOT_RESIDENT,
    Status.OTHER_REASON: EndResult.OTHER_REASON,
}


def result_of(status: str, end_result: str) -> str:
    return end_result or str(_RESULT_OF_STATUS[Status(status)])


@dataclass(frozen=True)
class Line:
    result: str
    label: str
    count: int | None  # None: hidden
    small: bool  # hidden because it is small (else to protect another)


@dataclass(frozen=True)
class Group:
    partner_type: str
    label: str
    total: int | None
    lines: list[Line]
    total_small: bool = False  # hidden because small (else to protect another)


@dataclass(frozen=True)
class Counts:
    groups: list[Group]
    total: int | None
    minimum: int
    total_small: bool = False  # hidden because small (else to protect another)


def build(rows: list[tuple[str, str, int]], rule: Rule) -> Counts:
    """`rows`: (partner type, result key, signals). The grid partner type × result, suppressed
    with its row totals (per partner type), column totals and grand total."""
    counted: dict[tuple[str, str], int] = {}
    for kind, result, n in rows:
        counted[(kind, result)] = counted.get((kind, result), 0) + n
    types = [t for t in PartnerType.values if any(k == t for k, _r in counted)]
    results = [r for r in RESULT_ORDER if any(x == r for _k, x in counted)]
    if not types:
        return Counts(groups=[], total=0, minimum=rule.minimum)
    grid = [[Cell(households=counted.get((t, r), 0)) for r in results] for t in types]
    table = suppress(grid, rule)
    groups = []
    labels = dict(PartnerType.choices)
    for i, t in enumerate(types):
        lines = [
            Line(
                result=r,
                label=str(RESULT_LABELS[r]),
                count=None if (i, j) in table.hidden else counted.get((t, r), 0),
                small=table.hidden.get((i, j)) == "small",
            )
            for j, r in enumerate(results)
            if counted.get((t, r))
        ]
        total = sum(counted.get((t, r), 0) for r in results)
        groups.append(
            Group(
                partner_type=t,
                label=str(labels[t]),
                total=None if i in table.hidden_row_totals else total,
                lines=lines,
                total_small=i in table.hidden_row_totals and rule.small(total),
            )
        )
    grand = sum(counted.values())
    return Counts(
        groups=groups,
        total=None if table.hidden_grand_total else grand,
        minimum=rule.minimum,
        total_small=table.hidden_grand_total and rule.small(grand),
    )
