"""costs/engine.py: examples that kill mutants the older tests let survive (issue 10, point 8):
sums over two or more lines, half-up rounding where half-even differs, and payback exactly at
break-even."""

from decimal import Decimal as D

from maatwerk.costs import engine
from maatwerk.costs.engine import evaluate

from .test_engine import calc, line


def _non_transfer_lines():
    return [
        line("100", "per_case", cost_type="fiscal", label="fiscal"),
        line("50", "per_case", cost_type="social", label="social", start_month=3),
        line("25", cost_type="economic", label="economic", duration_months=12),
        line("1000", "per_case", bearer="uwv", cost_type="transfer", label="transfer"),
    ]


def test_the_societal_total_adds_every_non_transfer_line():
    r = evaluate(
        calc(
            standard=_non_transfer_lines(),
            tailored=[
                line("10", "per_case", cost_type="fiscal"),
                line("20", "per_case", cost_type="economic"),
                line("5", "per_case", bearer="household", cost_type="transfer"),
            ],
        )
    )
    assert r.standard.societal_total == D("450.00")  # 100 + 50 + 12 × 25, not the transfer
    assert r.standard.societal_present_value == D("450.00")  # no discounting at rate 0
    assert r.standard.total == D("1450.00")
    assert r.tailored.societal_total == D("30.00")
    assert r.societal_view == engine.SocietalView(D("450.00"), D("30.00"), D("420.00"))


def test_the_societal_present_value_adds_every_non_transfer_line_when_discounted():
    lines = _non_transfer_lines()
    with_transfer = evaluate(calc(standard=lines, rate="0.04"))
    without = evaluate(calc(standard=lines[:3], rate="0.04"))
    assert with_transfer.standard.societal_present_value == without.standard.present_value
    assert without.standard.present_value < D("450.00")
    each = [evaluate(calc(standard=[x], rate="0.04")).standard.present_value for x in lines[:3]]
    # Each line's present value is rounded on its own: the sum may differ by a cent per line.
    assert abs(without.standard.present_value - sum(each)) <= D("0.02")
    assert without.standard.present_value > max(each)


def test_money_is_rounded_half_up_not_half_even():
    """12.5 cents is 0.13 half up and 0.12 half even (banker's rounding)."""
    r = evaluate(calc(standard=[line("0.125", "per_case")], tailored=[line("0.125", "per_case")]))
    assert r.standard.total == D("0.13")
    assert r.standard.present_value == D("0.13")
    assert r.standard.societal_total == D("0.13")
    assert r.standard.monthly[0] == D("0.13")
    assert r.standard.cumulative[-1] == D("0.13")
    assert r.standard.line_totals == (D("0.13"),)
    # 2.5 cents a month for a year: each month 0.03 (half up), the year 0.30.
    monthly = evaluate(calc(standard=[line("0.025", duration_months=12)]))
    assert monthly.standard.monthly == (D("0.03"),) * 12
    assert monthly.standard.total == D("0.30")


def test_ratio_share_and_payback_round_half_up():
    # Ratio 9 / 8 = 1.125: 1.13 half up (1.12 half even).
    r = evaluate(calc(standard=[line("9", "per_case")], tailored=[line("8", "per_case")]))
    assert r.ratio == D("1.13")
    # A line of 1 in a scenario of 32 has a share of 0.03125: 0.0313 half up.
    r = evaluate(
        calc(standard=[line("31", "per_case", label="big"), line("1", "per_case", label="small")])
    )
    assert {d.label: d.share for d in r.drivers} == {"big": D("0.9688"), "small": D("0.0313")}
    # Standard 1,000 a month, tailored 2,250 at once: even after 2.25 months, 2.3 half up.
    r = evaluate(
        calc(standard=[line("1000", duration_months=12)], tailored=[line("2250", "per_case")])
    )
    assert r.payback_month == D("2.3")


def test_payback_exactly_at_break_even_on_the_last_month():
    """Both routes cost 1,200 after exactly 12 months: it pays back at 12, not never."""
    r = evaluate(
        calc(
            standard=[line("100", duration_months=12)],
            tailored=[line("1200", "per_case")],
            horizon=12,
        )
    )
    assert r.net_benefit == D("0.00")
    assert r.payback_month == D("12.0")
    # A cent more for the tailored route and it never pays back within the horizon.
    r = evaluate(
        calc(
            standard=[line("100", duration_months=12)],
            tailored=[line("1200.01", "per_case")],
            horizon=12,
        )
    )
    assert r.payback_month is None
