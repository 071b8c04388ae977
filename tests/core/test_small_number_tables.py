"""Small-number suppression over tables (issue 14, point 2): the inside and outside rules,
secondary suppression, and the floors the settings cannot go below."""

import os
import subprocess
import sys
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from maatwerk.core import small_numbers as sn
from maatwerk.core.small_numbers import INSIDE, OUTSIDE, Cell, suppress, suppress_column


def test_inside_rule_hides_small_cells_and_their_euros():
    cells = [Cell(6, Decimal("600"), Decimal("100")), Cell(4, Decimal("50"), Decimal("20"))]
    cells.append(Cell(3, Decimal("70"), Decimal("30")))
    table = suppress_column(cells)
    assert table.hidden == {(1, 0): sn.SMALL, (2, 0): sn.SMALL}
    assert set(table.hidden_euros) == {(1, 0), (2, 0)}
    assert not table.hidden_column_totals


def test_one_small_cell_beside_a_total_takes_another_with_it():
    table = suppress_column([Cell(6), Cell(9), Cell(2)])
    # 6 + 9 + 2 = 17 is published: with only the 2 hidden it would be 17 - 6 - 9.
    assert table.hidden == {(2, 0): sn.SMALL, (0, 0): sn.SECONDARY}


def test_two_small_cells_whose_sum_pins_them_are_protected():
    # Both "< 5" with a sum of 8: each must be 4. A third cell goes too.
    table = suppress_column([Cell(4), Cell(4), Cell(7)])
    assert len(table.hidden) == 3 or table.hidden_column_totals


def test_outside_rule_rounds_and_needs_ten():
    assert OUTSIDE.small(9) and not OUTSIDE.small(10)
    assert OUTSIDE.shown_count(12) == 10 and OUTSIDE.shown_count(13) == 15
    assert INSIDE.shown_count(13) == 13


def test_outside_dominance_hides_euros_but_not_the_count():
    cells = [
        Cell(12, Decimal("1000"), Decimal("400")),  # one household holds 40 %
        Cell(15, Decimal("1000"), Decimal("100")),
        Cell(20, Decimal("1000"), Decimal("50")),
    ]
    table = suppress_column(cells, OUTSIDE)
    assert table.hidden == {}
    assert table.hidden_euros[(0, 0)] == sn.DOMINANT
    assert len(table.hidden_euros) >= 2  # and a second, so the total does not give it away


def test_thresholds_below_the_floor_are_refused():
    assert sn.check_thresholds(inside=5, outside=10, dominance_percent=30) == []
    assert sn.check_thresholds(inside=4, outside=10, dominance_percent=30)
    assert sn.check_thresholds(inside=5, outside=9, dominance_percent=30)
    assert sn.check_thresholds(inside=5, outside=10, dominance_percent=31)
    assert sn.check_thresholds(inside=7, outside=20, dominance_percent=20) == []
    with pytest.raises(ValueError):
        sn.Rule("lax", minimum=3)


def test_settings_refuse_a_lower_threshold():
    code = "import django; django.setup()"
    src = str(Path(sn.__file__).resolve().parents[2])
    env = {
        "DJANGO_SETTINGS_MODULE": "maatwerk.conf.settings",
        "MAATWERK_SMALL_NUMBER_INSIDE": "3",
        "PYTHONPATH": src,
    }
    result = subprocess.run(
        [sys.executable, "-c", code], env={**os.environ, **env}, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "Small-number thresholds" in result.stderr


@settings(max_examples=60, deadline=None)
@given(
    inside=st.integers(min_value=-5, max_value=50),
    outside=st.integers(min_value=-5, max_value=80),
    dominance=st.integers(min_value=-5, max_value=100),
)
def test_thresholds_are_never_accepted_below_the_floor(inside, outside, dominance):
    if not sn.check_thresholds(inside=inside, outside=outside, dominance_percent=dominance):
        assert inside >= sn.INSIDE_FLOOR and outside >= sn.OUTSIDE_FLOOR
        assert 0 < dominance <= sn.DOMINANCE_CEILING


# --- property: no published total reveals a hidden cell -------------------------------------


def _feasible_range(total, cell, others, bounds):
    """Exact range of one hidden cell given the sum of a line's hidden cells (one line)."""
    lo, hi = bounds[cell]
    his = [bounds[c][1] for c in others]
    low = lo if None in his else max(lo, total - sum(his))
    high = total - sum(bounds[c][0] for c in others)
    high = high if hi is None else min(hi, high)
    return low, high


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(min_value=1, max_value=30), min_size=1, max_size=12),
    st.sampled_from([INSIDE, OUTSIDE]),
)
def test_no_total_reveals_a_hidden_cell_in_a_column(counts, rule):
    """A listed column (every row occurs, so holds at least 1): an onlooker knows a "< 5"
    row holds 1 to 4, a secondary one at least 5."""
    table = suppress_column([Cell(n) for n in counts], rule)
    for (r, _), why in table.hidden.items():
        assert why != sn.SMALL or rule.small(counts[r])
    for r, n in enumerate(counts):
        if rule.small(n):
            assert (r, 0) in table.hidden  # every small cell is hidden
    if table.hidden_column_totals or table.hidden_grand_total:
        return  # the total is not shown: nothing to subtract from
    hidden = sorted(table.hidden)
    # What an onlooker knows: the total minus the shown cells, and each hidden cell's bounds.
    total = sum(counts[r] for r, _ in hidden)
    bounds = {
        c: (1, rule.minimum - 1) if table.hidden[c] == sn.SMALL else (rule.minimum, None)
        for c in hidden
    }
    assert len(hidden) != 1 or counts[hidden[0][0]] == 0
    for cell in hidden:
        low, high = _feasible_range(total, cell, [c for c in hidden if c != cell], bounds)
        # Pinned is allowed only at zero: an empty cell points at no household.
        assert low < high or counts[cell[0]] == 0, f"cell {cell} is pinned to {low}"


def _rank(rows):
    rows = [[Fraction(x) for x in row] for row in rows]
    rank, width = 0, len(rows[0]) if rows else 0
    for col in range(width):
        pivot = next((i for i in range(rank, len(rows)) if rows[i][col]), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        for i in range(len(rows)):
            if i != rank and rows[i][col]:
                f = rows[i][col] / rows[rank][col]
                rows[i] = [a - f * b for a, b in zip(rows[i], rows[rank], strict=True)]
        rank += 1
    return rank


@settings(max_examples=120, deadline=None)
@given(
    st.integers(min_value=1, max_value=4).flatmap(
        lambda w: st.lists(
            st.lists(st.integers(min_value=0, max_value=25), min_size=w, max_size=w),
            min_size=1,
            max_size=4,
        )
    ),
    st.sampled_from([INSIDE, OUTSIDE]),
)
def test_no_margin_reveals_a_hidden_cell_in_a_grid(values, rule):
    grid = [[Cell(v) for v in row] for row in values]
    table = suppress(grid, rule)
    rows, cols = len(values), len(values[0])
    for r in range(rows):
        for c in range(cols):
            if rule.small(values[r][c]):
                assert (r, c) in table.hidden
    hidden = sorted(table.hidden)
    if not hidden:
        return
    # The published margins as equations over the hidden cells (an independent rank test:
    # a cell is worked out exactly when its unit vector lies in the equations' row space).
    equations = []
    for r in range(rows):
        if r not in table.hidden_row_totals:
            equations.append([1 if h[0] == r else 0 for h in hidden])
    for c in range(cols):
        if c not in table.hidden_column_totals:
            equations.append([1 if h[1] == c else 0 for h in hidden])
    if not table.hidden_grand_total:
        equations.append([1] * len(hidden))
    equations = [e for e in equations if any(e)]
    base = _rank(equations) if equations else 0
    for i, cell in enumerate(hidden):
        unit = [1 if j == i else 0 for j in range(len(hidden))]
        if values[cell[0]][cell[1]]:  # an empty cell may follow: it points at no household
            assert _rank([*equations, unit]) > base, f"cell {cell} follows from the margins"
    # A hidden row total cannot be worked out either (it is the sum of its hidden cells plus
    # the shown ones, so its hidden part must not follow from the equations).
    for r in table.hidden_row_totals:
        part = [1 if h[0] == r else 0 for h in hidden]
        if not sum(values[r]):
            continue
        assert any(part), f"row total {r} is hidden but all its cells are shown"
        assert _rank([*equations, part]) > base, f"row total {r} follows from the margins"
    # And no published line holds exactly one hidden cell (unless it is empty).
    for r in range(rows):
        if r not in table.hidden_row_totals:
            line = [h for h in hidden if h[0] == r]
            assert len(line) != 1 or values[r][line[0][1]] == 0
    for c in range(cols):
        if c not in table.hidden_column_totals:
            line = [h for h in hidden if h[1] == c]
            assert len(line) != 1 or values[line[0][0]][c] == 0


@settings(max_examples=120, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=30),
            st.integers(min_value=0, max_value=5000),
            st.integers(min_value=0, max_value=100),
        ),
        min_size=1,
        max_size=10,
    )
)
def test_no_euro_total_reveals_hidden_euros(rows):
    cells = [Cell(n, Decimal(e), Decimal(e * p // 100)) for n, e, p in rows]
    table = suppress_column(cells, OUTSIDE)
    for key in table.hidden:
        assert key in table.hidden_euros  # a hidden count hides its euros
    for r, c in enumerate(cells):
        if c.euros and OUTSIDE.dominated(c.euros, c.largest):
            assert (r, 0) in table.hidden_euros
    if not (table.hidden_euro_column_totals or table.hidden_euro_grand_total):
        hidden = list(table.hidden_euros)
        assert len(hidden) != 1
        # Each hidden sum keeps room: the other hidden ones could hold any part of the rest.
        rest = sum(cells[r].euros for r, _ in hidden)
        for r, _ in hidden:
            assert cells[r].euros == 0 or rest > cells[r].euros or len(hidden) > 1
