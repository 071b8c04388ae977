"""Small-number suppression: the one rule for every aggregate report (the signals report, the
figures per outside organisation, the follow-up cohorts), as pure functions on plain data.

Two rules (issue 14, point 2), each a `Rule`:

- INSIDE the organisation: a cell with fewer than 5 distinct households shows "< 5" and its
  euros are hidden.
- OUTSIDE (the public page, the national export), after how CBS publishes municipal
  social-domain tables and its dominance rule for income statistics: a cell shows only at 10 or
  more households, counts rounded to a multiple of 5, and a euro sum only when no single
  household holds more than 30 % of it.

Both add SECONDARY suppression (`suppress`): where a published total and the cells still shown
would let someone work out a hidden cell, more cells (or the total) are hidden too.

The thresholds are settings (MAATWERK_SMALL_NUMBER_INSIDE, MAATWERK_SMALL_NUMBER_OUTSIDE,
MAATWERK_DOMINANCE_PERCENT) with these defaults and a FLOOR the settings cannot go below
(`check_thresholds`, called from settings.py, refuses lower values).

Nothing here imports a model: `suppress` takes a grid of `Cell`s and returns what may be shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

# Today's single rule, kept for the cohorts and the cooperation figures.
SMALL_NUMBER = 5

# Defaults and floors of the thresholds (settings may raise them, never lower them).
INSIDE_DEFAULT = INSIDE_FLOOR = 5
OUTSIDE_DEFAULT = OUTSIDE_FLOOR = 10
ROUNDING_DEFAULT = ROUNDING_FLOOR = 5
# Dominance: a euro sum shows only when no single household holds more than this share of it.
# A HIGHER percentage is the laxer rule, so the "floor" of this one is a ceiling.
DOMINANCE_DEFAULT = DOMINANCE_CEILING = 30


def is_small(count: int) -> bool:
    """A count too small to show inside the organisation (fewer than SMALL_NUMBER)."""
    return count < SMALL_NUMBER


def check_thresholds(*, inside: int, outside: int, dominance_percent: int) -> list[str]:
    """What is wrong with configured thresholds (empty when they may be used)."""
    problems = []
    if inside < INSIDE_FLOOR:
        problems.append(f"the inside threshold may not be below {INSIDE_FLOOR}")
    if outside < OUTSIDE_FLOOR:
        problems.append(f"the outside threshold may not be below {OUTSIDE_FLOOR}")
    if outside < inside:
        problems.append("the outside threshold may not be below the inside one")
    if not 0 < dominance_percent <= DOMINANCE_CEILING:
        problems.append(f"the dominance share must lie between 1 and {DOMINANCE_CEILING} %")
    return problems


@dataclass(frozen=True)
class Rule:
    """A suppression rule: the smallest count shown, the rounding of shown counts and the
    largest share one household may hold of a euro sum that is shown (None: no such check)."""

    name: str
    minimum: int
    rounding: int = 1
    dominance: Fraction | None = None

    def __post_init__(self):
        if self.minimum < INSIDE_FLOOR:
            raise ValueError(f"a rule may not show cells below {INSIDE_FLOOR} households")

    def small(self, households: int) -> bool:
        return households < self.minimum

    def dominated(self, euros: Decimal, largest: Decimal) -> bool:
        """One household holds more than the allowed share of the sum (never when no check)."""
        if self.dominance is None:
            return False
        if euros <= 0:
            return largest > 0
        return Fraction(largest) > self.dominance * Fraction(euros)

    def shown_count(self, households: int) -> int:
        """A count as shown: rounded to the nearest multiple of `rounding` (half up)."""
        if self.rounding <= 1:
            return households
        return ((households + self.rounding // 2) // self.rounding) * self.rounding


INSIDE = Rule("inside", minimum=INSIDE_DEFAULT)
OUTSIDE = Rule(
    "outside",
    minimum=OUTSIDE_DEFAULT,
    rounding=ROUNDING_DEFAULT,
    dominance=Fraction(DOMINANCE_DEFAULT, 100),
)


def inside_rule() -> Rule:
    """The inside rule with the deployment's settings."""
    from django.conf import settings

    return Rule("inside", minimum=getattr(settings, "MAATWERK_SMALL_NUMBER_INSIDE", INSIDE_DEFAULT))


def outside_rule() -> Rule:
    """The outside rule with the deployment's settings."""
    from django.conf import settings

    return Rule(
        "outside",
        minimum=getattr(settings, "MAATWERK_SMALL_NUMBER_OUTSIDE", OUTSIDE_DEFAULT),
        rounding=ROUNDING_DEFAULT,
        dominance=Fraction(getattr(settings, "MAATWERK_DOMINANCE_PERCENT", DOMINANCE_DEFAULT), 100),
    )


@dataclass(frozen=True)
class Cell:
    """One cell of an aggregate table: distinct households, and optionally a euro sum with the
    largest part of it that one household holds (for the dominance rule)."""

    households: int
    euros: Decimal | None = None
    largest: Decimal | None = None


# Why a cell is hidden.
SMALL = "small"  # too few households (shown as "< 5")
DOMINANT = "dominant"  # one household holds too much of the euros
SECONDARY = "secondary"  # hidden so that another hidden cell cannot be worked out


@dataclass
class Table:
    """What may be shown of a grid: hidden counts and hidden euros by (row, column); a margin
    index is a row or column number, and `None` is the grand total."""

    rows: int
    columns: int
    hidden: dict[tuple[int, int], str] = field(default_factory=dict)
    hidden_euros: dict[tuple[int, int], str] = field(default_factory=dict)
    hidden_row_totals: set[int] = field(default_factory=set)
    hidden_column_totals: set[int] = field(default_factory=set)
    hidden_grand_total: bool = False
    hidden_euro_row_totals: set[int] = field(default_factory=set)
    hidden_euro_column_totals: set[int] = field(default_factory=set)
    hidden_euro_grand_total: bool = False


# --- the disclosure check -------------------------------------------------------------------


def _lines(rows: int, columns: int, row_totals: bool, column_totals: bool):
    """The published equations as (kind, index, cells): a row, a column, or the grand total."""
    lines = []
    if row_totals:
        lines += [("row", r, [(r, c) for c in range(columns)]) for r in range(rows)]
    if column_totals:
        lines += [("col", c, [(r, c) for r in range(rows)]) for c in range(columns)]
    if row_totals or column_totals:
        lines.append(("all", None, [(r, c) for r in range(rows) for c in range(columns)]))
    return lines


def exposed(
    values: dict[tuple[int, int], Fraction],
    hidden: set[tuple[int, int]],
    equations: list[list[tuple[int, int]]],
    bounds: dict[tuple[int, int], tuple[Fraction, Fraction | None]],
) -> set[tuple[int, int]]:
    """The hidden cells someone could work out from the published totals (`equations`: the
    cells of every line whose total is shown) and the shown cells.

    Two ways: a cell the linear equations determine on their own (its unit vector lies in their
    row space), and a cell pinned by one line's sum and the other hidden cells' known bounds
    (two cells shown "< 5" whose total is 8 are both 4)."""
    order = sorted(hidden)
    index = {cell: i for i, cell in enumerate(order)}
    matrix: list[list[Fraction]] = []
    line_sums: list[tuple[list[tuple[int, int]], Fraction]] = []
    for cells in equations:
        in_line = [c for c in cells if c in index]
        if not in_line:
            continue
        row = [Fraction(0)] * len(order)
        for c in in_line:
            row[index[c]] = Fraction(1)
        matrix.append(row)
        line_sums.append((in_line, sum((values[c] for c in in_line), Fraction(0))))
    found: set[tuple[int, int]] = set()
    # Linear: reduce to row echelon form; a pivot variable whose row has no other entry is fixed.
    pivots: list[tuple[int, list[Fraction]]] = []
    for row in matrix:
        row = row[:]
        for col, prow in pivots:
            if row[col]:
                factor = row[col]
                row = [a - factor * b for a, b in zip(row, prow, strict=True)]
        lead = next((i for i, a in enumerate(row) if a), None)
        if lead is None:
            continue
        row = [a / row[lead] for a in row]
        new = []
        for col, prow in pivots:
            if prow[lead]:
                factor = prow[lead]
                prow = [a - factor * b for a, b in zip(prow, row, strict=True)]
            new.append((col, prow))
        pivots = [*new, (lead, row)]
    for col, prow in pivots:
        if sum(1 for a in prow if a) == 1:
            found.add(order[col])
    # Bounds: one line's sum and the others' bounds pin a cell.
    for cells, total in line_sums:
        for cell in cells:
            others = [c for c in cells if c != cell]
            lo, hi = bounds[cell]
            others_hi = [bounds[c][1] for c in others]
            low = (
                total - sum((h for h in others_hi), Fraction(0)) if None not in others_hi else None
            )
            high = total - sum((bounds[c][0] for c in others), Fraction(0))
            low = lo if low is None else max(lo, low)
            high = high if hi is None else min(hi, high)
            if low >= high:
                found.add(cell)
    return found


def _protect(
    values: dict[tuple[int, int], Fraction],
    hidden: dict[tuple[int, int], str],
    lines: list[tuple[str, int | None, list[tuple[int, int]]]],
    hidden_lines: set[tuple[str, int | None]],
    bounds_of,
) -> None:
    """Secondary suppression, in place: while a hidden cell can be worked out, hide the
    smallest shown cell on one of its published lines, or else that line's total."""
    while True:
        published = [(k, i, cells) for k, i, cells in lines if (k, i) not in hidden_lines]
        bounds = {c: bounds_of(c, hidden[c]) for c in hidden}
        found = exposed(values, set(hidden), [cells for _, _, cells in published], bounds)
        if not found:
            return
        cell = min(found)
        for _kind, _i, cells in sorted(published, key=lambda line: len(line[2])):
            if cell not in cells:
                continue
            candidates = [c for c in cells if c not in hidden]
            if candidates:
                hidden[min(candidates, key=lambda c: (values[c], c))] = SECONDARY
                break
        else:
            # Every cell on its lines is hidden already: hide the shortest line's total.
            kind, i, _ = min(
                (line for line in published if cell in line[2]), key=lambda line: len(line[2])
            )
            hidden_lines.add((kind, i))


def suppress(
    grid: list[list[Cell]],
    rule: Rule = INSIDE,
    *,
    row_totals: bool = True,
    column_totals: bool = True,
) -> Table:
    """What of `grid` (rows × columns of cells) may be shown under `rule`, with its row totals,
    column totals and grand total when asked (a total is taken to be the sum of its cells, the
    most an onlooker could know).

    Counts: primary suppression of small cells (and small totals), then secondary suppression
    until no hidden count can be worked out. Euros: hidden where the count is, where one
    household dominates (outside rule), and then secondary the same way."""
    rows = len(grid)
    columns = len(grid[0]) if rows else 0
    table = Table(rows=rows, columns=columns)
    if not rows or not columns:
        return table
    cells = {(r, c): grid[r][c] for r in range(rows) for c in range(columns)}
    lines = _lines(rows, columns, row_totals, column_totals)

    def line_cells(cells_of_line):
        return [cells[c] for c in cells_of_line]

    # Counts.
    counts = {k: Fraction(v.households) for k, v in cells.items()}
    hidden = {k: SMALL for k, v in cells.items() if rule.small(v.households)}
    hidden_lines = {
        (kind, i)
        for kind, i, members in lines
        if rule.small(sum(v.households for v in line_cells(members)))
    }
    small_hi = Fraction(rule.minimum - 1)
    _protect(
        counts,
        hidden,
        lines,
        hidden_lines,
        lambda c, why: (Fraction(0), small_hi) if why == SMALL else (Fraction(rule.minimum), None),
    )
    table.hidden = hidden
    table.hidden_row_totals = {i for kind, i in hidden_lines if kind == "row"}
    table.hidden_column_totals = {i for kind, i in hidden_lines if kind == "col"}
    table.hidden_grand_total = ("all", None) in hidden_lines

    # Euros: only when the grid carries them.
    if any(v.euros is not None for v in cells.values()):
        euros = {k: Fraction(v.euros or 0) for k, v in cells.items()}
        hidden_e = dict(hidden)
        for k, v in cells.items():
            if k not in hidden_e and rule.dominated(v.euros or Decimal(0), v.largest or Decimal(0)):
                hidden_e[k] = DOMINANT
        euro_lines = set(hidden_lines)
        for kind, i, members in lines:
            part = line_cells(members)
            total = sum((v.euros or Decimal(0) for v in part), Decimal(0))
            largest = max((v.largest or Decimal(0) for v in part), default=Decimal(0))
            if rule.dominated(total, largest):
                euro_lines.add((kind, i))
        _protect(euros, hidden_e, lines, euro_lines, lambda c, why: (Fraction(0), None))
        table.hidden_euros = hidden_e
        table.hidden_euro_row_totals = {i for kind, i in euro_lines if kind == "row"}
        table.hidden_euro_column_totals = {i for kind, i in euro_lines if kind == "col"}
        table.hidden_euro_grand_total = ("all", None) in euro_lines
    return table


def suppress_column(cells: list[Cell], rule: Rule = INSIDE) -> Table:
    """A list of rows with one total beneath them (the common report shape)."""
    return suppress([[c] for c in cells], rule, row_totals=False, column_totals=True)
