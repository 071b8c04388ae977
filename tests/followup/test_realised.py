"""The realised return (followup.realised): the issue's worked example and its properties."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from maatwerk.costs.engine import Calculation, Line, evaluate
from maatwerk.followup import rules
from maatwerk.followup.realised import (
    Payment,
    Prediction,
    prediction_from_result,
    prediction_from_snapshot,
    realised_return,
)

light = settings(max_examples=100, deadline=None)


def worked_example(horizon: int = 12):
    """€6,500 once against a benefit of €1,000 a month for 12 months, 0 % discount."""
    return evaluate(
        Calculation(
            standard=(
                Line(
                    "benefit", D(1000), "per_month", "municipality", "transfer", duration_months=12
                ),
            ),
            tailored=(Line("childcare", D(6500), "per_case", "municipality", "fiscal"),),
            horizon_months=horizon,
            discount_rate=D(0),
        )
    )


def test_the_prediction_of_the_worked_example():
    result = worked_example()
    assert result.net_benefit == D("5500.00")
    assert result.ratio == D("1.85")  # standard total / tailored total = 12,000 / 6,500
    assert result.payback_month == D("6.5")


def test_held_since_the_start_realises_the_prediction():
    prediction = prediction_from_result(worked_example())
    realised = realised_return(
        prediction,
        held_from_month=0,
        held_until_month=12,
        committed=D(6500),
        payments=[Payment(D(6500), 0)],
    )
    assert realised.avoided == D("12000.00")
    assert realised.net_benefit == prediction.net_benefit == D("5500.00")
    assert realised.ratio == D("1.85")
    assert realised.payback_month == D("6.5")
    assert realised.released == D(0)
    assert realised.net_difference == 0


def test_work_four_months_late_costs_four_months_of_benefit():
    prediction = prediction_from_result(worked_example())
    realised = realised_return(
        prediction,
        held_from_month=4,
        held_until_month=12,
        committed=D(6500),
        payments=[Payment(D(6500), 0)],
    )
    assert realised.held_months == 8
    assert realised.avoided == D("8000.00")
    assert realised.net_benefit == D("5500.00") - 4 * D(1000)
    assert realised.net_difference == D("-4000.00")
    assert realised.ratio == D("1.23")  # 8,000 / 6,500


def test_not_measured_is_no_figure_not_zero():
    prediction = prediction_from_result(worked_example())
    realised = realised_return(
        prediction,
        held_from_month=None,
        held_until_month=6,
        committed=D(6500),
        payments=[Payment(D(6500), 0)],
    )
    assert realised is None


def test_unspent_commitment_is_released_and_lowers_the_tailored_cost():
    prediction = prediction_from_result(worked_example())
    realised = realised_return(
        prediction,
        held_from_month=0,
        held_until_month=12,
        committed=D(6500),
        payments=[Payment(D(5000), 0)],
    )
    assert realised.released == D(1500)
    assert realised.tailored == D("5000.00")
    assert realised.net_benefit == D("7000.00")


def test_reads_the_snapshot_as_stored():
    """The snapshot keeps money as strings (costs.calculations.result_as_dict)."""
    result = worked_example()
    stored = {
        "horizon_months": 12,
        "discount_rate": "0",
        "standard": {"monthly": [str(v) for v in result.standard.monthly], "total": "12000.00"},
        "tailored": {"monthly": [str(v) for v in result.tailored.monthly], "total": "6500.00"},
        "net_benefit": "5500.00",
        "ratio": "1.85",
        "payback_month": "6.5",
    }
    assert prediction_from_snapshot(stored) == prediction_from_result(result)


def test_months_beyond_the_horizon_avoid_nothing_more():
    prediction = prediction_from_result(worked_example())
    realised = realised_return(
        prediction,
        held_from_month=0,
        held_until_month=30,
        committed=D(6500),
        payments=[Payment(D(6500))],
    )
    assert realised.avoided == D("12000.00")
    assert realised.held_months == 12


# --- properties ------------------------------------------------------------------------------


@st.composite
def predictions(draw):
    horizon = draw(st.integers(1, 36))
    monthly = draw(st.integers(0, 3000))
    start = draw(st.integers(0, horizon - 1))
    duration = draw(st.integers(1, horizon))
    once = draw(st.integers(0, 20000))
    rate = draw(st.sampled_from([D(0), D("0.0225"), D("0.1")]))
    return prediction_from_result(
        evaluate(
            Calculation(
                standard=(
                    Line(
                        "benefit",
                        D(monthly),
                        "per_month",
                        "uwv",
                        "transfer",
                        start_month=start,
                        duration_months=duration,
                    ),
                ),
                tailored=(Line("solution", D(once), "per_case", "municipality", "fiscal"),),
                horizon_months=horizon,
                discount_rate=rate,
            )
        )
    )


@light
@given(predictions(), st.integers(0, 40), st.integers(0, 40))
def test_realised_never_exceeds_the_predicted_avoided_cost(prediction, held_from, held_until):
    realised = realised_return(
        prediction,
        held_from_month=held_from,
        held_until_month=held_until,
        committed=prediction.tailored_total,
        payments=[Payment(prediction.tailored_total)],
    )
    assert D(0) <= realised.avoided <= prediction.standard_total
    assert realised.net_benefit <= prediction.net_benefit
    assert realised.held_months <= prediction.horizon_months


@light
@given(predictions(), st.integers(0, 40), st.integers(0, 40))
def test_monotone_in_the_months_held(prediction, held_from, extra):
    def net(until):
        return realised_return(
            prediction,
            held_from_month=held_from,
            held_until_month=until,
            committed=prediction.tailored_total,
            payments=[Payment(prediction.tailored_total)],
        ).net_benefit

    assert net(held_from + extra) <= net(held_from + extra + 1)


@light
@given(predictions())
def test_held_over_the_whole_horizon_equals_the_prediction(prediction):
    realised = realised_return(
        prediction,
        held_from_month=0,
        held_until_month=prediction.horizon_months,
        committed=prediction.tailored_total,
        payments=[Payment(prediction.tailored_total)],
    )
    assert realised.avoided == prediction.standard_total
    assert realised.net_benefit == prediction.net_benefit
    assert realised.ratio == prediction.ratio
    assert realised.payback_month == prediction.payback_month


def test_a_standard_route_too_irregular_for_the_engine_is_refused_plainly():
    """More than 200 distinct monthly runs do not fit the engine: a ValueError (the plan page
    then shows no realised figure), never a wrong one."""
    irregular = Prediction(
        standard_monthly=tuple(D(100 + m % 2) for m in range(240)),
        tailored_total=D(100),
        net_benefit=D(0),
        ratio=None,
        payback_month=None,
        horizon_months=240,
        discount_rate=D(0),
    )
    with pytest.raises(ValueError):
        realised_return(
            irregular, held_from_month=0, held_until_month=240, committed=D(100), payments=[]
        )


# --- corrected lines (issue 13, point 3) ---------------------------------------------------------

BENEFIT = Line("benefit", D(1000), "per_month", "municipality", "transfer", duration_months=12)


def test_a_corrected_benefit_raises_the_realised_return_not_the_prediction():
    """The benefit was €1,100 a month, not €1,000: held for the whole year, €1,200 more avoided."""
    prediction = prediction_from_result(worked_example())
    from maatwerk.followup.realised import line_difference

    difference = line_difference(BENEFIT, D(1100), 12)
    assert difference == (D("100.00"),) * 12
    realised = realised_return(
        prediction,
        held_from_month=0,
        held_until_month=12,
        committed=D(6500),
        payments=[Payment(D(6500), 0)],
        corrections=[difference],
    )
    assert realised.avoided == D("13200.00")
    assert realised.net_benefit == D("6700.00")
    assert realised.prediction.net_benefit == D("5500.00")  # the snapshot's, unchanged
    assert realised.net_difference == D("1200.00")
    # Four months late: the corrected benefit of those months is not avoided.
    late = realised_return(
        prediction,
        held_from_month=4,
        held_until_month=12,
        committed=D(6500),
        payments=[Payment(D(6500), 0)],
        corrections=[difference],
    )
    assert late.avoided == D("8800.00")


def test_a_correction_never_makes_a_month_negative():
    from maatwerk.followup.realised import corrected_monthly, line_difference

    difference = line_difference(BENEFIT, D(0), 12)
    assert corrected_monthly((D(1000),) * 12, [difference, difference]) == (D(0),) * 12


@light
@given(
    amount=st.integers(0, 5000),
    corrected=st.integers(0, 5000),
    start=st.integers(0, 11),
    duration=st.integers(1, 14),
    held=st.tuples(st.integers(0, 12), st.integers(0, 12)),
)
def test_a_correction_changes_the_avoided_cost_by_its_difference_in_the_held_months(
    amount, corrected, start, duration, held
):
    """At 0 % discount: avoided(corrected) − avoided(predicted) = (corrected − predicted) × the
    held months in which the line runs; an unchanged amount changes nothing."""
    from maatwerk.followup.realised import line_difference

    line = Line(
        "benefit",
        D(amount),
        "per_month",
        "municipality",
        "transfer",
        start_month=start,
        duration_months=duration,
    )
    predicted = evaluate(
        Calculation(standard=(line,), tailored=(), horizon_months=12, discount_rate=D(0))
    )
    prediction = prediction_from_result(predicted)
    frm, until = min(held), max(held)
    kwargs = {"held_from_month": frm, "held_until_month": until, "committed": D(0), "payments": []}
    plain = realised_return(prediction, **kwargs)
    fixed = realised_return(
        prediction, corrections=[line_difference(line, D(corrected), 12)], **kwargs
    )
    months = len(range(max(frm, start), min(until, start + duration)))
    assert fixed.avoided - plain.avoided == (D(corrected) - D(amount)) * months
    assert fixed.prediction == plain.prediction == prediction
    if corrected == amount:
        assert fixed == plain


def test_the_months_add_up_to_the_predicted_total_to_the_cent():
    """€11,600 a year is €966.67 a month rounded on its own, €11,600.04 over twelve months: the
    realised return counts months that add up to the total instead (walk finding: a predicted
    column off by four cents, six months at €5,800.02)."""
    result = evaluate(
        Calculation(
            standard=(
                Line(
                    "benefit",
                    D(1000),
                    "per_month",
                    "municipality",
                    "transfer",
                    duration_months=12,
                    probability=D("0.9666667"),  # €11,600 a year
                ),
            ),
            tailored=(Line("help", D(950), "per_case", "municipality", "fiscal"),),
            horizon_months=12,
            discount_rate=D(0),
        )
    )
    assert result.standard.monthly[0] == D("966.67")  # rounded on its own
    for prediction in (
        prediction_from_result(result),
        prediction_from_snapshot(
            {
                "horizon_months": 12,
                "discount_rate": "0",
                "standard": {
                    "monthly": [str(v) for v in result.standard.monthly],
                    "cumulative": [str(v) for v in result.standard.cumulative],
                },
                "tailored": {"total": "950.00"},
                "net_benefit": "10650.00",
                "ratio": None,
                "payback_month": None,
            }
        ),
    ):
        assert prediction.standard_total == result.standard.total == D("11600.00")

        def held(months, prediction=prediction):
            return realised_return(
                prediction,
                held_from_month=0,
                held_until_month=months,
                committed=D(950),
                payments=[Payment(D(950), 0)],
            )

        assert held(6).avoided == D("5800.00")
        assert held(12).avoided == D("11600.00")
        assert held(12).net_benefit == result.net_benefit == D("10650.00")


# --- the realised months from days (f14) ------------------------------------------------------

plan_days = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))


@light
@given(predictions(), plan_days, st.integers(-400, 800), st.integers(0, 1200))
def test_realised_months_are_months_that_passed_while_the_outcome_held(
    prediction, start, since_offset, measured_offset
):
    """The realised return of an outcome holding since `since`, measured on `measured`, with
    the window of `rules.realised_window` (as `selectors.realised_from` passes it): its months
    are at most the whole months between the outcome's start and the measurement and at most
    the predicted months; none unless the outcome holds six months; what it avoided is at most
    what the prediction avoids over the months from the plan's start to the measurement."""
    since = start + timedelta(days=since_offset)
    measured = start + timedelta(days=measured_offset)
    first, until = rules.realised_window(start, since, measured, prediction.horizon_months)
    realised = realised_return(
        prediction,
        held_from_month=first,
        held_until_month=until,
        committed=prediction.tailored_total,
        payments=[Payment(prediction.tailored_total)],
    )
    assert realised.held_months <= max(0, rules.months_between(since, measured))
    assert realised.held_months <= prediction.horizon_months
    if not rules.holds(since, measured):
        assert realised.held_months == 0 and realised.avoided == 0
    elapsed = max(0, rules.months_between(start, measured))
    so_far = sum(prediction.standard_monthly[:elapsed], D(0))
    assert realised.avoided <= so_far
    assert realised.net_benefit <= prediction.net_benefit
