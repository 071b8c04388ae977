"""The signal report as pure functions on plain data (issue 14, points 1 and 2).

The selectors read facts — one per obstacle, one per plan — and these functions count them per
blocking rule, per kind of solution and per team, organisation or neighbourhood, then apply the
small-number rule of `core.small_numbers` to every table together, so that the rule totals all
tables share are hidden alike in each. No case, name or free text enters these functions: an
obstacle's rule is its catalogue id, or NEW_RULE for a rule a worker described anew.

Periods are fixed (a quarter or a year), never free date ranges, so that two overlapping
periods cannot be subtracted to single out a household.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from maatwerk.core.small_numbers import SMALL, Cell, Rule, suppress

ZERO = Decimal("0.00")
NEW_RULE = "new"  # the group of newly described rules (counted, never shown as text)
NO_KIND = ""  # plans whose kind of solution is not recorded
BREAKDOWNS = ("team", "organisatie", "wijk")  # the GET values of the breakdown choice
EURO_MEASURES = ("standard", "tailored", "realised")


# --- periods ---------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Period:
    """A calendar year (quarter None) or one quarter of it."""

    year: int
    quarter: int | None = None

    @property
    def key(self) -> str:
        return f"{self.year}" if self.quarter is None else f"{self.year}-K{self.quarter}"

    @property
    def start(self) -> date:
        return date(self.year, 1 if self.quarter is None else 3 * self.quarter - 2, 1)

    @property
    def end(self) -> date:
        """The first day after the period."""
        if self.quarter is None or self.quarter == 4:
            return date(self.year + 1, 1, 1)
        return date(self.year, 3 * self.quarter + 1, 1)


def parse_period(value: str | None) -> Period | None:
    """`2026` or `2026-K3` as a Period; None for anything else."""
    value = (value or "").strip().upper()
    year, _, quarter = value.partition("-K")
    if not (year.isdigit() and len(year) == 4):
        return None
    if not quarter:
        return Period(int(year)) if "-" not in value else None
    if quarter not in {"1", "2", "3", "4"}:
        return None
    return Period(int(year), int(quarter))


def period_choices(today: date, years: int = 3) -> list[Period]:
    """The periods one may choose: this year and the `years - 1` before, and every quarter of
    them up to the current one, newest first."""
    current_q = (today.month - 1) // 3 + 1
    choices = []
    for year in range(today.year, today.year - years, -1):
        choices.append(Period(year))
        last = current_q if year == today.year else 4
        choices += [Period(year, q) for q in range(last, 0, -1)]
    return choices


# --- facts and figures -----------------------------------------------------------------------


class ObstacleFact(NamedTuple):
    """One obstacle recorded in the period: its household, where it belongs and its rule. (A
    named tuple: a report reads one per obstacle, over 100,000 for a year of a large
    organisation, and a tuple is made several times faster than a frozen dataclass.)"""

    obstacle: int
    household: int
    team: int
    organisation: int
    neighbourhood: str
    rule: int | str  # a BlockingRule id, or NEW_RULE


@dataclass(frozen=True)
class PlanFact:
    """One plan for obstacles of the period, with the euros of its latest calculation."""

    plan: int
    household: int
    obstacles: tuple[int, ...]
    kind: str
    approved: bool
    standard: Decimal | None = None
    tailored: Decimal | None = None
    realised: Decimal | None = None  # the realised net benefit, where a follow-up measured it


@dataclass
class Figures:
    """What one row counts, before suppression, with the households that CONTRIBUTE to each
    figure (each figure is judged on its own contributors, `core.small_numbers.Cell.count`)."""

    key: int | str
    households: set[int] = field(default_factory=set)
    plans: set[int] = field(default_factory=set)
    approved: set[int] = field(default_factory=set)
    measured: set[int] = field(default_factory=set)
    # The households behind the plans, the approved plans and the measured plans.
    plan_households: set[int] = field(default_factory=set)
    approved_households: set[int] = field(default_factory=set)
    measured_households: set[int] = field(default_factory=set)
    # Per measure the euros per contributing household (a household is in it when one of its
    # plans carries that measure).
    euros: dict[str, dict[int, Decimal]] = field(
        default_factory=lambda: {m: defaultdict(lambda: ZERO) for m in EURO_MEASURES}
    )

    def add_plan(self, plan: PlanFact) -> None:
        if plan.plan in self.plans:
            return
        self.plans.add(plan.plan)
        self.households.add(plan.household)
        self.plan_households.add(plan.household)
        if plan.approved:
            self.approved.add(plan.plan)
            self.approved_households.add(plan.household)
        for measure in EURO_MEASURES:
            value = getattr(plan, measure)
            if value is not None:
                self.euros[measure][plan.household] += value
        if plan.realised is not None:
            self.measured.add(plan.plan)
            self.measured_households.add(plan.household)

    def count_cell(self, figure: str) -> Cell:
        """A count of plans ("plans", "approved", "measured"), judged on its households."""
        return Cell(len(getattr(self, CONTRIBUTORS[figure])), count=len(getattr(self, figure)))

    def euro_cell(self, measure: str) -> Cell:
        """A euro sum, judged on the households contributing euros to it."""
        per_household = self.euros[measure]
        return Cell(
            len(per_household),
            sum(per_household.values(), ZERO),
            max((abs(v) for v in per_household.values()), default=ZERO),
            count=len(per_household),
        )


def by_rule(obstacles: Iterable[ObstacleFact], plans: Iterable[PlanFact]) -> dict:
    """Figures per blocking rule (NEW_RULE for the newly described ones together): the
    households with an obstacle of the rule in the period, and the plans for those obstacles."""
    rows: dict[int | str, Figures] = {}
    rule_of: dict[int, int | str] = {}
    for o in obstacles:
        row = rows.get(o.rule)
        if row is None:  # (not setdefault: that would build a Figures per obstacle)
            row = rows[o.rule] = Figures(o.rule)
        row.households.add(o.household)
        rule_of[o.obstacle] = o.rule
    for plan in plans:
        for rule in {rule_of[o] for o in plan.obstacles if o in rule_of}:
            rows[rule].add_plan(plan)
    return rows


def by_kind(plans: Iterable[PlanFact]) -> dict:
    """Figures per kind of solution (NO_KIND where a plan does not record it)."""
    rows: dict[str, Figures] = {}
    for plan in plans:
        rows.setdefault(plan.kind, Figures(plan.kind)).add_plan(plan)
    return rows


def group_of(fact: ObstacleFact, breakdown: str) -> int | str:
    if breakdown == "team":
        return fact.team
    if breakdown == "organisatie":
        return fact.organisation
    return fact.neighbourhood


def households_grid(obstacles: list[ObstacleFact], breakdown: str) -> dict:
    """{(rule, group): distinct households} for one breakdown."""
    grid: dict[tuple, set[int]] = defaultdict(set)
    for o in obstacles:
        grid[(o.rule, group_of(o, breakdown))].add(o.household)
    return grid


def households_grids(obstacles: list[ObstacleFact]) -> dict:
    """`households_grid` for every breakdown, in one pass over the obstacles."""
    team: dict[tuple, set[int]] = defaultdict(set)
    organisation: dict[tuple, set[int]] = defaultdict(set)
    neighbourhood: dict[tuple, set[int]] = defaultdict(set)
    for o in obstacles:
        team[(o.rule, o.team)].add(o.household)
        organisation[(o.rule, o.organisation)].add(o.household)
        neighbourhood[(o.rule, o.neighbourhood)].add(o.household)
    return {"team": team, "organisatie": organisation, "wijk": neighbourhood}


# --- suppression -----------------------------------------------------------------------------


@dataclass
class ShownRow:
    """One row as it may be shown: None for a hidden figure, with why it is hidden."""

    key: int | str
    households: int | None
    small: bool  # hidden because too few households ("< 5")
    plans: int | None
    approved: int | None
    standard: Decimal | None
    tailored: Decimal | None
    realised: Decimal | None
    measured: int | None
    # A count hidden for too few contributing households (shown "< 5" inside), not secondary.
    plans_small: bool = False
    approved_small: bool = False
    measured_small: bool = False


@dataclass
class ShownGrid:
    rules: list  # row keys, in the order of the main table
    groups: list  # column keys
    cells: dict  # (rule, group) -> int | None
    small: set  # cells hidden for being small
    rule_totals: dict  # rule -> int | None
    group_totals: dict  # group -> int | None
    total: int | None


@dataclass
class Report:
    rules: list[ShownRow]
    rules_total: ShownRow | None
    kinds: list[ShownRow]
    kinds_total: ShownRow | None
    grid: ShownGrid | None
    hidden_cells: int = 0


def _shown_count(rule: Rule, n: int) -> int:
    return rule.shown_count(n)


COUNT_FIGURES = ("plans", "approved", "measured")
# The households contributing to each count.
CONTRIBUTORS = {
    "plans": "plan_households",
    "approved": "approved_households",
    "measured": "measured_households",
}


def _hidden_total(table) -> bool:
    """Whether the one-column table hides its total (the column total is the grand total)."""
    return bool(table.hidden_column_totals) or table.hidden_grand_total


def _table(
    rows: dict, order: list, rule: Rule, hidden_rows: set, total_households: int
) -> tuple[list[ShownRow], ShownRow | None, int]:
    """The rows of one 1-D table with its total, hidden rows being `hidden_rows` (already
    protected against the totals). Every other figure — plans, approved plans, measured plans
    and each euro sum — is its own one-column grid judged on the households CONTRIBUTING to
    it: hidden when they are fewer than the rule's minimum (a zero, with no contributor, is
    shown), euros also where one household dominates, and secondary suppression so that no
    hidden figure follows from the total and the rows shown. The hidden rows are forced hidden
    in every grid (their figures go with their count); the total is judged on the DISTINCT
    households contributing to it (a plan for two rules counts under each row, once in all)."""
    forced = frozenset(i for i, key in enumerate(order) if key in hidden_rows)
    whole = Figures("total")
    for key in order:
        f = rows[key]
        whole.plan_households |= f.plan_households
        whole.approved_households |= f.approved_households
        whole.measured_households |= f.measured_households
        for measure in EURO_MEASURES:
            for household in f.euros[measure]:
                whole.euros[measure][household] += ZERO
    total_small = rule.small(total_households)

    def hide_total(contributors: int) -> bool:
        return total_small or (contributors > 0 and rule.small(contributors))

    count_tables = {
        figure: suppress(
            [[rows[key].count_cell(figure)] for key in order],
            rule,
            hidden_row_totals=forced,
            hide_grand_total=hide_total(len(getattr(whole, CONTRIBUTORS[figure]))),
        )
        for figure in COUNT_FIGURES
    }
    euro_tables = {
        measure: suppress(
            [[rows[key].euro_cell(measure)] for key in order],
            rule,
            hidden_row_totals=forced,
            hide_grand_total=hide_total(len(whole.euros[measure])),
        )
        for measure in EURO_MEASURES
    }
    shown = []
    hidden_count = 0
    for i, key in enumerate(order):
        f = rows[key]
        hidden = key in hidden_rows
        hidden_count += hidden
        counts, small = {}, {}
        for figure in COUNT_FIGURES:
            why = count_tables[figure].hidden.get((i, 0))
            value = len(getattr(f, figure))
            counts[figure] = None if hidden or why else _shown_count(rule, value)
            small[f"{figure}_small"] = not hidden and why == SMALL
        euros = {}
        for measure in EURO_MEASURES:
            if hidden or (i, 0) in euro_tables[measure].hidden_euros or not f.euros[measure]:
                euros[measure] = None
            else:
                euros[measure] = f.euro_cell(measure).euros
        shown.append(
            ShownRow(
                key=key,
                households=None if hidden else _shown_count(rule, len(f.households)),
                small=hidden and rule.small(len(f.households)),
                **counts,
                **small,
                **euros,
            )
        )
    total = None
    if not total_small and len(order) > 0:
        counts, small = {}, {}
        for figure in COUNT_FIGURES:
            table = count_tables[figure]
            value = sum(len(getattr(rows[k], figure)) for k in order)
            counts[figure] = None if _hidden_total(table) else _shown_count(rule, value)
            small[f"{figure}_small"] = _hidden_total(table) and hide_total(
                len(getattr(whole, CONTRIBUTORS[figure]))
            )
        totals = {}
        for measure in EURO_MEASURES:
            table = euro_tables[measure]
            hidden = (
                bool(table.hidden_euro_column_totals)
                or table.hidden_euro_grand_total
                or _hidden_total(table)
                or not whole.euros[measure]
            )
            value = sum(
                (rows[k].euro_cell(measure).euros for k in order), ZERO
            )  # the sum of the rows' euros (a plan for two rules counts under each)
            totals[measure] = None if hidden else value
        total = ShownRow(
            key="total",
            households=_shown_count(rule, total_households),
            small=False,
            **counts,
            **small,
            **totals,
        )
    return shown, total, hidden_count


def _display_order(rows: list[ShownRow]) -> list[ShownRow]:
    """Shown rows by households, most first; then the hidden ones by key, never by size (the
    order of hidden rows must not tell which is larger)."""
    shown = sorted(
        (r for r in rows if r.households is not None), key=lambda r: (-r.households, str(r.key))
    )
    return shown + sorted((r for r in rows if r.households is None), key=lambda r: str(r.key))


def build(
    obstacles: list[ObstacleFact],
    plans: list[PlanFact],
    rule: Rule,
    breakdown: str | None = None,
) -> Report:
    """The whole report under `rule`: rules sorted by households (most first), kinds of
    solution likewise, and the households per rule × group of `breakdown` when asked.

    The rule totals are shared by the rules table and every breakdown: a rule total hidden in
    one breakdown is hidden in all of them and in the rules table (computed to a fixed point),
    so no view can be combined with another to work it out."""
    rule_rows = by_rule(obstacles, plans)
    order = sorted(rule_rows, key=lambda k: (-len(rule_rows[k].households), str(k)))
    all_households = len({o.household for o in obstacles})

    # Rule totals hidden: by the rules table and by every breakdown, until all agree. The
    # rules table is a one-column grid whose row totals are its cells.
    hidden_rows: set = set()
    grand_hidden = False
    grids = {}
    # The households per rule × group of every breakdown: counted once, suppressed per round.
    counted = {
        name: (grid, sorted({g for _, g in grid}, key=str))
        for name, grid in households_grids(obstacles).items()
    }
    while True:
        before = (set(hidden_rows), grand_hidden)
        forced = frozenset(i for i, k in enumerate(order) if k in hidden_rows)
        main = suppress(
            [[Cell(len(rule_rows[k].households))] for k in order],
            rule,
            hidden_row_totals=forced,
            hide_grand_total=grand_hidden,
            listed=True,
        )
        hidden_rows |= {order[r] for r, _ in main.hidden} | {
            order[i] for i in main.hidden_row_totals
        }
        grand_hidden |= bool(main.hidden_column_totals) or main.hidden_grand_total
        for name in BREAKDOWNS:
            grid, groups = counted[name]
            cells = [[Cell(len(grid.get((k, g), ()))) for g in groups] for k in order]
            table = suppress(
                cells,
                rule,
                hidden_row_totals=frozenset(i for i, k in enumerate(order) if k in hidden_rows),
                hide_grand_total=grand_hidden,
            )
            hidden_rows |= {order[i] for i in table.hidden_row_totals}
            grand_hidden |= table.hidden_grand_total
            grids[name] = (grid, groups, table)
        if (hidden_rows, grand_hidden) == before:
            break
    if grand_hidden:
        all_households = 0  # the total is hidden: counted as small, so it is not shown
    rules, rules_total, hidden_count = _table(rule_rows, order, rule, hidden_rows, all_households)
    rules = _display_order(rules)

    kind_rows = by_kind(plans)
    kind_order = sorted(kind_rows, key=lambda k: (-len(kind_rows[k].households), k))
    kind_table = suppress(
        [[Cell(len(kind_rows[k].households))] for k in kind_order],
        rule,
        row_totals=False,
        listed=True,
    )
    kind_hidden = {kind_order[r] for r, _ in kind_table.hidden}
    plan_households = len({p.household for p in plans})
    if kind_table.hidden_column_totals or kind_table.hidden_grand_total:
        plan_households = 0
    kinds, kinds_total, kinds_hidden_count = _table(
        kind_rows, kind_order, rule, kind_hidden, plan_households
    )
    kinds = _display_order(kinds)

    shown_grid = None
    if breakdown in grids:
        grid, groups, table = grids[breakdown]
        cells, small = {}, set()
        for i, k in enumerate(order):
            for j, g in enumerate(groups):
                why = table.hidden.get((i, j))
                n = len(grid.get((k, g), ()))
                cells[(k, g)] = None if why else _shown_count(rule, n)
                if why == "small":
                    small.add((k, g))
        group_households: dict = defaultdict(set)
        for o in obstacles:
            group_households[group_of(o, breakdown)].add(o.household)
        shown_grid = ShownGrid(
            rules=[r.key for r in rules],
            groups=groups,
            cells=cells,
            small=small,
            rule_totals={
                k: None if k in hidden_rows else _shown_count(rule, len(rule_rows[k].households))
                for k in order
            },
            group_totals={
                g: None
                if j in table.hidden_column_totals or rule.small(len(group_households[g]))
                else _shown_count(rule, len(group_households[g]))
                for j, g in enumerate(groups)
            },
            total=rules_total.households if rules_total and not table.hidden_grand_total else None,
        )
    return Report(
        rules=rules,
        rules_total=rules_total,
        kinds=kinds,
        kinds_total=kinds_total,
        grid=shown_grid,
        hidden_cells=hidden_count + kinds_hidden_count,
    )
