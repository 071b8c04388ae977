"""The cost–benefit engine (pure Python) and its explanation in words."""

import ast
from dataclasses import replace
from decimal import Decimal as D
from pathlib import Path

import pytest
from django.utils import translation

from maatwerk.costs import engine
from maatwerk.costs.engine import Calculation, EngineError, Line, evaluate
from maatwerk.costs.explain import ENGINE_MESSAGES, explain


def line(amount="1000", unit="per_month", bearer="municipality", cost_type="fiscal", **kw):
    return Line(
        label=kw.pop("label", "line"),
        amount=D(amount),
        unit=unit,
        bearer=bearer,
        cost_type=cost_type,
        **kw,
    )


def calc(standard=(), tailored=(), horizon=12, rate="0", **kw):
    return Calculation(
        standard=tuple(standard),
        tailored=tuple(tailored),
        horizon_months=horizon,
        discount_rate=D(rate),
        **kw,
    )


def worked_example(rate="0") -> Calculation:
    """Pay the childcare once (€ 6,500) instead of a year of benefit (€ 1,000 a month)."""
    return calc(
        standard=[
            line(
                "1000",
                "per_month",
                "municipality",
                "transfer",
                duration_months=12,
                label="Bijstand",
            )
        ],
        tailored=[line("6500", "per_case", "municipality", "fiscal", label="Kinderopvang")],
        horizon=12,
        rate=rate,
    )


# --- the worked example -------------------------------------------------------------------------


def test_worked_example():
    r = evaluate(worked_example())
    assert r.standard.total == D("12000.00")
    assert r.tailored.total == D("6500.00")
    assert r.net_benefit == D("5500.00")
    assert r.ratio == D("1.85")
    assert r.ratio_note == "ok"
    assert r.payback_month == D("6.5")
    # undiscounted: present values equal the nominal totals
    assert r.standard.present_value == D("12000.00")
    assert r.net_benefit_present_value == D("5500.00")


def test_worked_example_series_and_views():
    r = evaluate(worked_example())
    assert r.standard.monthly == (D("1000.00"),) * 12
    assert r.tailored.monthly == (D("6500.00"),) + (D("0.00"),) * 11
    assert r.standard.cumulative[0] == D("1000.00")
    assert r.standard.cumulative[-1] == r.standard.total
    assert len(r.tailored.cumulative) == 12
    assert r.budget_view == (
        engine.BearerRow("municipality", D("12000.00"), D("6500.00"), D("5500.00")),
    )
    # the benefit is a transfer: not a cost to society
    assert r.societal_view == engine.SocietalView(D("0.00"), D("6500.00"), D("-6500.00"))
    assert r.standard.societal_total == D("0.00")
    assert r.horizon_months == 12 and r.discount_rate == D("0") and r.price_year is None


def test_worked_example_sensitivity_grade_b():
    r = evaluate(worked_example())
    # standard lowered by 15 %, tailored raised by 15 %, and the reverse
    assert r.sensitivity.low == D("12000") * D("0.85") - D("6500") * D("1.15")
    assert r.sensitivity.high == D("12000") * D("1.15") - D("6500") * D("0.85")
    assert r.sensitivity.uplift_by_grade == {"A": D("0.05"), "B": D("0.15"), "C": D("0.30")}


# --- units, timing, cut-off -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("unit", "quantity", "duration", "expected"),
    [
        ("per_month", "1", 12, "12000.00"),
        ("per_day", "2", 3, "6000.00"),  # 2 days a month for 3 months
        ("per_hour", "1.5", 4, "6000.00"),
        ("per_year", "1", 12, "1000.00"),  # a year's amount spread over 12 months
        ("per_year", "1", 6, "500.00"),
        ("per_case", "3", None, "3000.00"),  # once: 3 units in the start month
        ("per_year", "1", None, "1000.00"),  # once: one year's amount at once
    ],
)
def test_unit_semantics(unit, quantity, duration, expected):
    r = evaluate(
        calc(standard=[line("1000", unit, quantity=D(quantity), duration_months=duration)])
    )
    assert r.standard.total == D(expected)


def test_per_year_monthly_series_is_a_twelfth():
    r = evaluate(calc(standard=[line("100", "per_year", duration_months=12)]))
    assert r.standard.monthly == (D("8.33"),) * 12
    assert r.standard.total == D("100.00")  # exact internally: not 12 × 8.33
    assert r.standard.cumulative[-1] == D("100.00")


def test_lines_beyond_the_horizon_are_cut_off():
    r = evaluate(calc(standard=[line("1000", start_month=10, duration_months=12)], horizon=12))
    assert r.standard.total == D("2000.00")
    assert r.standard.monthly[:10] == (D("0.00"),) * 10


def test_probability_weights_the_cost():
    r = evaluate(calc(standard=[line("1000", duration_months=4, probability=D("0.25"))]))
    assert r.standard.total == D("1000.00")
    assert r.standard.line_totals == (D("1000.00"),)


# --- discounting --------------------------------------------------------------------------------


def test_discounting_one_year_later():
    """€ 1,000 counted at the end of month 12 at 2.25 % a year is worth 1000 / 1.0225 now."""
    month_11 = line("1000000", start_month=11, duration_months=1)  # counts at t = 12
    r = evaluate(calc(standard=[month_11], horizon=12, rate="0.0225"))
    assert r.standard.present_value == (D(1000000) / D("1.0225")).quantize(D("0.01"))
    assert r.standard.present_value == D("977995.11")
    assert r.standard.total == D("1000000.00")


def test_once_cost_counts_at_the_start_of_its_month():
    at_start = evaluate(calc(standard=[line("1000000", "per_case")], rate="0.0225"))
    assert at_start.standard.present_value == D("1000000.00")
    month_12 = evaluate(
        calc(standard=[line("1000000", "per_case", start_month=12)], horizon=13, rate="0.0225")
    )
    assert month_12.standard.present_value == D("977995.11")


def test_discounting_a_monthly_stream():
    r = evaluate(calc(standard=[line("1000", duration_months=24)], horizon=24, rate="0.0225"))
    # independent reference: every month's factor from exp/ln at 50 digits
    import decimal

    with decimal.localcontext() as ctx:
        ctx.prec = 50
        log = D("1.0225").ln()
        expected = sum(D(1000) * (-(log * t) / 12).exp() for t in range(1, 25))
    assert r.standard.present_value == expected.quantize(D("0.01"))
    assert r.standard.present_value < r.standard.total


def test_discount_rate_zero_gives_nominal_values():
    r = evaluate(calc(standard=[line("123.45", duration_months=7, probability=D("0.3"))]))
    assert r.standard.present_value == r.standard.total


# --- payback, ratio --------------------------------------------------------------------------


def test_payback_is_interpolated():
    r = evaluate(
        calc(standard=[line("1000", duration_months=12)], tailored=[line("2500", "per_case")])
    )
    assert r.payback_month == D("2.5")


def test_payback_never():
    r = evaluate(
        calc(standard=[line("100", duration_months=12)], tailored=[line("6500", "per_case")])
    )
    assert r.payback_month is None
    assert r.net_benefit == D("-5300.00")


def test_payback_at_the_start():
    r = evaluate(calc(standard=[line("5000", "per_case")], tailored=[line("4000", "per_case")]))
    assert r.payback_month == D("0.0")


def test_tailored_free():
    r = evaluate(calc(standard=[line("1000", duration_months=12)]))
    assert r.ratio is None
    assert r.ratio_note == "tailored_free"
    assert r.payback_month == D("0.0")


def test_both_zero():
    r = evaluate(calc())
    assert r.ratio is None
    assert r.ratio_note == "both_zero"
    assert r.payback_month is None
    assert r.net_benefit == D("0.00")
    assert r.standard.monthly == (D("0.00"),) * 12
    assert r.budget_view == ()
    assert r.drivers == ()


# --- budget view, rounding -------------------------------------------------------------------


def test_budget_view_shows_the_wrong_pocket():
    r = evaluate(
        calc(
            standard=[
                line("1000", bearer="uwv", cost_type="transfer", duration_months=12),
                line("200", bearer="municipality", duration_months=12),
            ],
            tailored=[line("6500", "per_case", bearer="municipality")],
        )
    )
    assert [(row.bearer, row.saving) for row in r.budget_view] == [
        ("uwv", D("12000.00")),
        ("municipality", D("-4100.00")),
    ]
    assert sum(row.saving for row in r.budget_view) == r.net_benefit
    assert r.societal_view.standard == D("2400.00")


def test_bearer_totals_add_up_after_rounding():
    """Three bearers of half a cent each: rounded one by one they would not add up."""
    lines = [line("0.01", "per_case", bearer=b, probability=D("0.5")) for b in ("a", "b", "c")]
    r = evaluate(calc(standard=lines))
    assert r.standard.total == D("0.02")  # 0.015 rounded half up
    assert sum(total for _, total in r.standard.by_bearer) == D("0.02")
    assert [b for b, _ in r.standard.by_bearer] == ["a", "b", "c"]


def test_drivers_are_the_largest_lines():
    standard = [line(str(100 * n), "per_case", label=f"s{n}", grade="C") for n in range(1, 5)]
    tailored = [line(str(150 * n), "per_case", label=f"t{n}") for n in range(1, 5)]
    tailored.append(line("999", "per_case", label="zero", probability=D(0)))
    r = evaluate(calc(standard=standard, tailored=tailored))
    assert [d.label for d in r.drivers] == ["t4", "t3", "s4", "s3", "t2"]
    assert len(r.drivers) == engine.DRIVER_COUNT
    top = r.drivers[0]
    assert (top.scenario, top.line_index, top.total) == ("tailored", 4, D("600.00"))
    assert top.share == D("0.4000")  # 600 of 1500
    assert r.drivers[2].grade == "C"


def test_result_is_immutable():
    r = evaluate(worked_example())
    with pytest.raises(AttributeError):
        r.net_benefit = D(0)  # type: ignore[misc]


# --- bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"amount": D("-1")}, "amount", "amount must not be negative"),
        ({"amount": 12.5}, "amount", "amount must be a decimal number"),
        ({"amount": D("NaN")}, "amount", "amount must be a decimal number"),
        ({"amount": D("1e10")}, "amount", "amount must be at most"),
        ({"quantity": D("-0.5")}, "quantity", "quantity must not be negative"),
        ({"probability": D("1.01")}, "probability", "probability must be between 0 and 1"),
        ({"probability": D("-0.1")}, "probability", "probability must be between 0 and 1"),
        ({"unit": "per_week"}, "unit", "unit is unknown"),
        ({"unit": ""}, "unit", "unit is unknown"),
        ({"cost_type": "benefit"}, "cost_type", "cost type is unknown"),
        ({"grade": "D"}, "grade", "reliability grade must be A, B or C"),
        ({"bearer": " "}, "bearer", "bearer is missing"),
        ({"start_month": -1}, "start_month", "start month must be"),
        ({"start_month": 12}, "start_month", "start month must be"),
        ({"start_month": True}, "start_month", "start month must be"),
        ({"duration_months": 0}, "duration_months", "duration must be"),
        ({"label": 5}, "label", "label must be text"),
    ],
)
@pytest.mark.parametrize("scenario", ["standard", "tailored"])
def test_bad_line_is_refused_naming_the_line(changes, field, message, scenario):
    good = line("100", duration_months=3)
    bad = replace(good, **changes)
    lines = {"standard": [good], "tailored": [good]}
    lines[scenario] = [good, bad]
    with pytest.raises(EngineError) as caught:
        evaluate(calc(**lines))
    error = caught.value
    assert (error.scenario, error.line, error.field) == (scenario, 2, field)
    assert str(error).startswith(f"{scenario} line 2: {message}")
    assert isinstance(error, ValueError)


def test_the_exact_message_format():
    bad = calc(tailored=[line(), line(probability=D("1.5"))])
    with pytest.raises(
        EngineError, match=r"^tailored line 2: probability must be between 0 and 1$"
    ):
        evaluate(bad)


def test_first_bad_line_is_named():
    with pytest.raises(EngineError) as caught:
        evaluate(calc(standard=[line(amount="-5"), line(unit="x")]))
    assert caught.value.line == 1


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"horizon": 0}, "horizon_months", engine.M_HORIZON),
        ({"horizon": 601}, "horizon_months", engine.M_HORIZON),
        ({"rate": "-0.01"}, "discount_rate", engine.M_DISCOUNT_RATE),
        ({"rate": "0.21"}, "discount_rate", engine.M_DISCOUNT_RATE),
        ({"price_year": "2026"}, "price_year", engine.M_PRICE_YEAR),
    ],
)
def test_bad_calculation_is_refused(kwargs, field, message):
    with pytest.raises(EngineError) as caught:
        evaluate(calc(**kwargs))
    assert caught.value.field == field
    assert caught.value.scenario is None and caught.value.line is None
    assert str(caught.value) == message


def test_horizon_limits_are_allowed():
    assert evaluate(calc(horizon=1)).horizon_months == 1
    r = evaluate(calc(standard=[line("1", duration_months=600)], horizon=600, rate="0.2"))
    assert r.standard.total == D("600.00")


def test_too_many_lines():
    many = [line("1", "per_case")] * 201
    with pytest.raises(EngineError) as caught:
        evaluate(calc(tailored=many))
    assert str(caught.value) == "tailored: at most 200 lines per scenario"
    assert caught.value.scenario == "tailored"
    assert evaluate(calc(tailored=many[:200])).tailored.total == D("200.00")


def test_not_a_line():
    with pytest.raises(EngineError, match=r"^standard line 1: this is not a line$"):
        evaluate(calc(standard=[{"amount": 1}]))


# --- purity and translation hooks ---------------------------------------------------------------


def test_engine_imports_no_django():
    source = Path(engine.__file__).read_text()
    modules = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            modules.add((node.module or "").split(".")[0])
    assert modules <= {"__future__", "decimal", "dataclasses", "typing", "collections", "types"}


def test_every_engine_message_is_marked_for_translation():
    assert set(ENGINE_MESSAGES) == set(engine.MESSAGES)


def test_engine_messages_are_translated_to_dutch():
    with translation.override("nl"):
        assert translation.gettext(engine.M_PROBABILITY) != engine.M_PROBABILITY


# --- explanation ------------------------------------------------------------------------------


def test_explain_worked_example():
    with translation.override("en"):
        sentences = explain(evaluate(worked_example()))
    assert 2 <= len(sentences) <= 5
    assert sentences[0] == (
        "Over 12 months the standard route costs €\u00a012.000,00 "
        "and the tailored route €\u00a06.500,00: "
        "the tailored route saves €\u00a05.500,00 and has paid for itself after 6.5 months."
    )
    assert "Bijstand" in sentences[1] and "Kinderopvang" in sentences[1]
    assert any("€\u00a02.725,00 and €\u00a08.275,00" in s and "pessimistic" in s for s in sentences)


def test_explain_names_the_wrong_pocket_and_warns_about_grade_c():
    r = evaluate(
        calc(
            standard=[line("1000", bearer="uwv", cost_type="transfer", duration_months=12)],
            tailored=[
                line("6500", "per_case", bearer="municipality", grade="C", label="Schuld aflossen")
            ],
        )
    )
    with translation.override("en"):
        sentences = explain(r)
    assert len(sentences) == 5
    assert (
        "Municipality pays €\u00a06.500,00 more on the tailored route, "
        "while UWV saves €\u00a012.000,00" in " ".join(sentences)
    )
    assert sentences[-1].startswith("Check Schuld aflossen before deciding")


def test_explain_when_the_tailored_route_costs_more():
    r = evaluate(
        calc(standard=[line("100", duration_months=12)], tailored=[line("6500", "per_case")])
    )
    with translation.override("en"):
        sentences = explain(r)
    assert "costs €\u00a05.300,00 more and does not pay for itself" in sentences[0]
    assert "costs more even in the optimistic case" in sentences[-1]


def test_explain_empty_calculation():
    with translation.override("en"):
        sentences = explain(evaluate(calc()))
    assert sentences == [
        "Neither route has any costs yet.",
        "Add lines to both routes to compare them.",
    ]


def test_explain_in_dutch():
    with translation.override("nl"):
        sentences = explain(evaluate(worked_example()))
    assert "na 6,5 maanden terugverdiend" in sentences[0]
