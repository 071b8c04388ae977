"""Before/after counts of a rule change: households per quarter (pure, property-tested)."""

import datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maatwerk.signals import counts


def test_quarters_around_the_change():
    rows = [(datetime.date(2026, 2, 1), h) for h in range(7)]  # 7 households in 2026 K1
    rows += [(datetime.date(2026, 2, 3), 1)]  # the same household twice counts once
    rows += [(datetime.date(2026, 8, 1), h) for h in range(3)]  # 3 after: small
    result = counts.before_after(rows, datetime.date(2026, 5, 10), datetime.date(2026, 11, 1))
    assert [r.label for r in result] == [
        "2025 K2", "2025 K3", "2025 K4", "2026 K1", "2026 K2", "2026 K3", "2026 K4",
    ]  # fmt: skip
    by = {r.label: r for r in result}
    assert by["2026 K1"].households == 7 and by["2026 K1"].side == "before"
    assert by["2026 K2"].side == "change"
    assert by["2026 K3"].small and by["2026 K3"].side == "after"


dates = st.dates(datetime.date(2020, 1, 1), datetime.date(2030, 12, 31))


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(dates, st.integers(0, 30)), max_size=60), dates, dates)
def test_counts_are_distinct_households_and_never_small(rows, changed_on, today):
    result = counts.before_after(rows, changed_on, max(today, changed_on))
    quarters = [r.quarter for r in result]
    assert quarters == sorted(set(quarters))
    assert sum(r.side == "change" for r in result) == 1
    assert len([r for r in result if r.side == "after"]) <= 4
    for r in result:
        truth = {h for d, h in rows if counts.quarter_of(d) == r.quarter}
        if r.small:
            assert len(truth) < 5
        else:
            assert r.households == len(truth) >= 5


@given(st.tuples(st.integers(2000, 2100), st.integers(1, 4)), st.integers(-50, 50))
def test_shift_is_reversible(quarter, steps):
    assert counts.shift(counts.shift(quarter, steps), -steps) == quarter
