"""Properties of the cost–benefit engine, checked with Hypothesis on generated calculations."""

from dataclasses import fields, replace
from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from maatwerk.costs.engine import (
    COST_TYPES,
    GRADES,
    UNITS,
    Calculation,
    Line,
    Result,
    ScenarioResult,
    evaluate,
)

CENT = D("0.01")
BEARERS = ("municipality", "uwv", "tax_office", "household")
quick = settings(max_examples=200, deadline=None)
light = settings(max_examples=100, deadline=None)


def cents(max_euros: int):
    return st.integers(0, max_euros * 100).map(lambda n: D(n) / 100)


@st.composite
def lines(draw, horizon: int, exact: bool = False, probability=None):
    """A line within `horizon`. With `exact`, every nominal amount is a whole number of cents
    (so doubling it doubles its rounded total exactly)."""
    unit = draw(st.sampled_from(UNITS))
    if exact:
        amount = D(draw(st.integers(0, 5000)) * (12 if unit == "per_year" else 1))
        quantity = D(draw(st.integers(0, 10)))
        prob = draw(st.sampled_from([D(0), D("0.25"), D("0.5"), D("0.75"), D(1)]))
    else:
        amount = draw(cents(20000))
        quantity = draw(st.sampled_from([D(0), D("0.5"), D(1), D(2), D("4.25"), D(21)]))
        prob = draw(st.integers(0, 100).map(lambda n: D(n) / 100))
    return Line(
        label=draw(st.sampled_from(["Bijstand", "Schuldhulp", "Opvang", "Huurachterstand"])),
        amount=amount,
        unit=unit,
        bearer=draw(st.sampled_from(BEARERS)),
        cost_type=draw(st.sampled_from(COST_TYPES)),
        quantity=quantity,
        start_month=draw(st.integers(0, horizon - 1)),
        duration_months=draw(st.none() | st.integers(1, horizon + 12)),
        probability=prob if probability is None else probability,
        grade=draw(st.sampled_from(GRADES)),
    )


@st.composite
def calculations(draw, exact: bool = False):
    horizon = draw(st.integers(1, 72))
    scenario = st.lists(lines(horizon, exact), max_size=6).map(tuple)
    return Calculation(
        standard=draw(scenario),
        tailored=draw(scenario),
        horizon_months=horizon,
        discount_rate=draw(st.integers(0, 2000).map(lambda n: D(n) / 10000)),
    )


def money_fields(s: ScenarioResult) -> list[D]:
    return [
        s.total,
        s.present_value,
        s.societal_total,
        s.societal_present_value,
        *s.monthly,
        *s.cumulative,
        *(total for _, total in s.by_bearer),
        *s.line_totals,
    ]


def doubled(c: Calculation) -> Calculation:
    def double(lines):
        return tuple(replace(line, amount=line.amount * 2) for line in lines)

    return replace(c, standard=double(c.standard), tailored=double(c.tailored))


@quick
@given(calculations())
def test_swapping_scenarios_negates_the_net_benefit(c):
    r = evaluate(c)
    swapped = evaluate(replace(c, standard=c.tailored, tailored=c.standard))
    assert swapped.net_benefit == -r.net_benefit
    assert swapped.net_benefit_present_value == -r.net_benefit_present_value
    assert swapped.societal_view.net == -r.societal_view.net
    assert swapped.sensitivity.low == -r.sensitivity.high
    assert swapped.sensitivity.high == -r.sensitivity.low


@quick
@given(calculations(exact=True))
def test_doubling_every_amount_doubles_every_total_exactly(c):
    r, r2 = evaluate(c), evaluate(doubled(c))
    for name in ("standard", "tailored"):
        one, two = getattr(r, name), getattr(r2, name)
        assert two.total == 2 * one.total
        assert two.societal_total == 2 * one.societal_total
        assert two.monthly == tuple(2 * v for v in one.monthly)
        assert two.by_bearer == tuple((b, 2 * v) for b, v in one.by_bearer)
        # present values are irrational: doubled before rounding, so within a cent
        assert abs(two.present_value - 2 * one.present_value) <= CENT
    assert r2.net_benefit == 2 * r.net_benefit


@quick
@given(calculations())
def test_doubling_every_amount_doubles_every_total_within_rounding(c):
    r, r2 = evaluate(c), evaluate(doubled(c))
    for name in ("standard", "tailored"):
        one, two = money_fields(getattr(r, name)), money_fields(getattr(r2, name))
        assert len(one) == len(two)
        assert all(abs(b - 2 * a) <= CENT for a, b in zip(one, two, strict=True))
    # shares and the payback month depend on ratios only
    assert r2.payback_month == r.payback_month
    assert [d.share for d in r2.drivers] == [d.share for d in r.drivers]


@quick
@given(calculations(), st.integers(0, 2000), st.integers(0, 2000))
def test_a_higher_discount_rate_never_raises_a_present_value(c, a, b):
    low_rate, high_rate = sorted((D(a) / 10000, D(b) / 10000))
    low = evaluate(replace(c, discount_rate=low_rate))
    high = evaluate(replace(c, discount_rate=high_rate))
    for name in ("standard", "tailored"):
        assert getattr(high, name).present_value <= getattr(low, name).present_value
        assert (
            getattr(high, name).societal_present_value <= getattr(low, name).societal_present_value
        )
        assert getattr(low, name).present_value <= getattr(low, name).total


@quick
@given(st.data())
def test_lines_with_probability_zero_change_nothing(data):
    c = data.draw(calculations())
    zero = lines(c.horizon_months, probability=D(0))
    extra_s = tuple(data.draw(st.lists(zero, min_size=1, max_size=4)))
    extra_t = tuple(data.draw(st.lists(zero, max_size=4)))
    r = evaluate(c)
    r2 = evaluate(replace(c, standard=c.standard + extra_s, tailored=c.tailored + extra_t))
    for f in fields(Result):
        if f.name in ("standard", "tailored"):
            one, two = getattr(r, f.name), getattr(r2, f.name)
            assert replace(two, line_totals=one.line_totals) == one
            assert two.line_totals[: len(one.line_totals)] == one.line_totals
            assert set(two.line_totals[len(one.line_totals) :]) <= {D("0.00")}
        else:
            assert getattr(r2, f.name) == getattr(r, f.name), f.name


@quick
@given(calculations())
def test_per_bearer_totals_sum_to_the_scenario_totals(c):
    r = evaluate(c)
    for s in (r.standard, r.tailored):
        assert sum((total for _, total in s.by_bearer), D(0)) == s.total
        assert [b for b, _ in s.by_bearer] == sorted(b for b, _ in s.by_bearer)
    assert sum((row.standard for row in r.budget_view), D(0)) == r.standard.total
    assert sum((row.tailored for row in r.budget_view), D(0)) == r.tailored.total
    assert sum((row.saving for row in r.budget_view), D(0)) == r.net_benefit
    savings = [row.saving for row in r.budget_view]
    assert savings == sorted(savings, reverse=True)


@light
@given(calculations())
def test_sensitivity_band_contains_the_net_benefit(c):
    r = evaluate(c)
    assert r.sensitivity.low <= r.net_benefit <= r.sensitivity.high


@light
@given(calculations())
def test_series_shapes_and_consistency(c):
    r = evaluate(c)
    for s in (r.standard, r.tailored):
        assert len(s.monthly) == len(s.cumulative) == c.horizon_months
        assert s.cumulative[-1] == s.total
        assert all(a <= b for a, b in zip(s.cumulative, s.cumulative[1:], strict=False))
        assert s.societal_total <= s.total
        assert all(v == v.quantize(CENT) for v in money_fields(s))
    if r.net_benefit > 0:
        assert r.payback_month is not None
    if r.payback_month is not None:
        assert 0 <= r.payback_month <= c.horizon_months
    if c.discount_rate == 0:
        assert r.standard.present_value == r.standard.total
