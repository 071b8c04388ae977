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
    # The figure shown when it is not the households themselves (plans, approved plans, or the
    # households contributing to a euro sum): then `households` are the households that
    # CONTRIBUTE to it, the cell is judged on them, and a cell no household contributes to
    # shows its zero (it points at nobody), so an onlooker knows a hidden one is not zero.
    count: int | None = None

    @property
    def value(self) -> int:
        return self.households if self.count is None else self.count


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


def _reduce(vector: list[Fraction], pivots: list[tuple[int, list[Fraction]]]) -> list[Fraction]:
    for col, prow in pivots:
        if vector[col]:
            factor = vector[col]
            vector = [a - factor * b for a, b in zip(vector, prow, strict=True)]
    return vector


def _echelon(matrix: list[list[Fraction]]) -> list[tuple[int, list[Fraction]]]:
    """The rows of `matrix` reduced, as (pivot column, row) pairs."""
    pivots: list[tuple[int, list[Fraction]]] = []
    for row in matrix:
        row = _reduce(row, pivots)
        lead = next((i for i, a in enumerate(row) if a), None)
        if lead is None:
            continue
        row = [a / row[lead] for a in row]
        pivots = [
            (
                col,
                [a - prow[lead] * b for a, b in zip(prow, row, strict=True)]
                if prow[lead]
                else prow,
            )
            for col, prow in pivots
        ]
        pivots.append((lead, row))
    return pivots


def exposed(
    values: dict[tuple[int, int], Fraction],
    hidden: set[tuple[int, int]],
    equations: list[list[tuple[int, int]]],
    bounds: dict[tuple[int, int], tuple[Fraction, Fraction | None]],
    secrets: dict[object, list[tuple[int, int]]] | None = None,
) -> set:
    """What someone could work out from the published totals (`equations`: the cells of every
    line whose total is shown) and the shown cells: hidden cells, and the hidden totals in
    `secrets` (key: the cells it sums).

    Only figures that are not zero count (an empty cell points at no household). Two ways: a
    sum of hidden cells the linear equations determine (its vector lies in their
    row space — a hidden total whose cells are all shown is the simplest case), and a cell
    pinned by one line's sum and the other hidden cells' known bounds (two cells shown "< 5"
    whose total is 8 are both 4)."""
    order = sorted(hidden)
    index = {cell: i for i, cell in enumerate(order)}
    matrix: list[list[Fraction]] = []
    line_sums: list[tuple[list[tuple[int, int]], Fraction]] = []

    def vector(cells) -> list[Fraction]:
        row = [Fraction(0)] * len(order)
        for c in cells:
            if c in index:
                row[index[c]] = Fraction(1)
        return row

    for cells in equations:
        in_line = [c for c in cells if c in index]
        if not in_line:
            continue
        matrix.append(vector(in_line))
        line_sums.append((in_line, sum((values[c] for c in in_line), Fraction(0))))
    pivots = _echelon(matrix)
    found: set = set()
    # Only a figure that is not zero is a disclosure: that a hidden cell is empty points at
    # no household (and a zero cell is never a secret worth a row of other hidden figures).
    for cell in order:
        if values[cell] and not any(_reduce(vector([cell]), pivots)):
            found.add(cell)
    for key, cells in (secrets or {}).items():
        total = sum((values[c] for c in cells), Fraction(0))
        if total and not any(_reduce(vector(cells), pivots)):
            found.add(key)
    # Bounds: one line's sum and the others' bounds pin a cell.
    for cells, total in line_sums:
        for cell in cells:
            others = [c for c in cells if c != cell]
            lo, hi = bounds[cell]
            others_hi = [bounds[c][1] for c in others]
            low = None
            if None not in others_hi:
                low = total - sum((h for h in others_hi), Fraction(0))
            high = total - sum((bounds[c][0] for c in others), Fraction(0))
            low = lo if low is None else max(lo, low)
            high = high if hi is None else min(hi, high)
            if low >= high and values[cell]:
                found.add(cell)
    return found


def _protect(
    values: dict[tuple[int, int], Fraction],
    hidden: dict[tuple[int, int], str],
    lines: list[tuple[str, int | None, list[tuple[int, int]]]],
    hidden_lines: set[tuple[str, int | None]],
    bounds_of,
) -> None:
    """Secondary suppression, in place: while a hidden cell or hidden total can be worked out,
    hide the smallest shown cell on one of its lines, or else a total."""
    members = {(kind, i): cells for kind, i, cells in lines}
    while True:
        published = [(k, i, cells) for k, i, cells in lines if (k, i) not in hidden_lines]
        bounds = {c: bounds_of(c, hidden[c]) for c in hidden}
        secrets = {key: members[key] for key in hidden_lines if key in members}
        found = exposed(values, set(hidden), [cells for _, _, cells in published], bounds, secrets)
        if not found:
            return
        target = min(found, key=lambda f: (isinstance(f[0], str), str(f)))
        if isinstance(target[0], str):
            # A hidden total: hide the smallest shown cell it sums, or a line through its cells.
            candidates = [c for c in members[target] if c not in hidden]
            if candidates:
                hidden[min(candidates, key=lambda c: (values[c], c))] = SECONDARY
                continue
            # Its cells are all hidden, so it follows from the grand total less the other
            # totals of its kind: hide the smallest of those too (as CBS does with margins).
            parallel = [line for line in published if line[0] == target[0] and line[0] != "all"]
            if parallel:
                kind, i, _ = min(
                    parallel, key=lambda line: (sum(values[c] for c in line[2]), line[1])
                )
            else:
                through = [line for line in published if set(line[2]) & set(members[target])]
                kind, i, _ = min(through, key=lambda line: len(line[2]))
            hidden_lines.add((kind, i))
            continue
        for _kind, _i, cells in sorted(published, key=lambda line: len(line[2])):
            if target not in cells:
                continue
            candidates = [c for c in cells if c not in hidden]
            if candidates:
                hidden[min(candidates, key=lambda c: (values[c], c))] = SECONDARY
                break
        else:
            # Every cell on its lines is hidden already: hide the shortest line's total.
            kind, i, _ = min(
                (line for line in published if target in line[2]), key=lambda line: len(line[2])
            )
            hidden_lines.add((kind, i))


def suppress(
    grid: list[list[Cell]],
    rule: Rule = INSIDE,
    *,
    row_totals: bool = True,
    column_totals: bool = True,
    hidden_row_totals: frozenset[int] = frozenset(),
    hide_grand_total: bool = False,
    listed: bool = False,
) -> Table:
    """What of `grid` (rows × columns of cells) may be shown under `rule`, with its row totals,
    column totals and grand total when asked (a total is taken to be the sum of its cells, the
    most an onlooker could know). `hidden_row_totals` are row totals hidden elsewhere (so that
    two tables sharing them agree): they stay hidden, and are protected like hidden cells; so
    does the grand total with `hide_grand_total`. `listed`: every cell is known to hold at
    least one household (a list of rules shows only rules that occur), so a small cell lies
    between 1 and the threshold, not 0.

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
    def too_small(households: int, counted: bool) -> bool:
        # A counted figure without contributors is a zero that points at nobody.
        return rule.small(households) and not (counted and households == 0)

    counts = {k: Fraction(v.value) for k, v in cells.items()}
    hidden = {k: SMALL for k, v in cells.items() if too_small(v.households, v.count is not None)}
    hidden_lines = {
        (kind, i)
        for kind, i, members in lines
        if too_small(
            sum(v.households for v in line_cells(members)),
            all(v.count is not None for v in line_cells(members)),
        )
    } | {("row", r) for r in hidden_row_totals if row_totals}
    if hide_grand_total:
        hidden_lines.add(("all", None))
    small_hi = Fraction(rule.minimum - 1)
    small_lo = Fraction(1 if listed else 0)

    def count_bounds(c, why):
        if cells[c].count is not None:
            # Judged on its contributors, not on its value: a hidden one is only known to be
            # more than zero (plans can outnumber their households).
            return (Fraction(1), None) if why == SMALL else (Fraction(0), None)
        return (small_lo, small_hi) if why == SMALL else (Fraction(rule.minimum), None)

    _protect(counts, hidden, lines, hidden_lines, count_bounds)
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
    return suppress([[c] for c in cells], rule, row_totals=False, column_totals=True, listed=True)
