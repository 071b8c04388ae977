"""The cohort chart's geometry (plain functions): bars stay inside the drawing, start at the
zero line, and small or unmeasured groups get no bars."""

from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from maatwerk.followup import charts
from maatwerk.followup.cohorts import Cohort

amounts = st.decimals(min_value=-100000, max_value=100000, places=2)


def _cohort(label, predicted, realised, plans=5, measured=5):
    return Cohort(
        label,
        plans=plans,
        measured=measured,
        predicted=predicted,
        realised=realised,
        households=plans,
        measured_households=measured,
    )


def test_small_and_unmeasured_groups_get_no_bars():
    assert charts.cohort_chart([_cohort("A", D(1), D(1), plans=4)]) is None
    assert charts.cohort_chart([_cohort("A", D(0), D(0), measured=0)]) is None
    chart = charts.cohort_chart([_cohort("A", D(100), D(50)), _cohort("B", D(1), D(1), plans=2)])
    assert [r.label for r in chart.rows] == ["A"]
    predicted, realised = chart.rows[0].bars
    assert predicted.width == 2 * realised.width  # 100 against 50, from the same zero
    assert predicted.x == realised.x == chart.zero_x


@given(st.lists(st.tuples(amounts, amounts), min_size=1, max_size=8))
def test_bars_stay_inside_and_touch_the_zero_line(pairs):
    chart = charts.cohort_chart([_cohort(str(i), p, r) for i, (p, r) in enumerate(pairs)])
    assert charts.LABEL_WIDTH <= chart.zero_x <= chart.width - charts.RIGHT
    for row in chart.rows:
        for bar in row.bars:
            assert bar.x >= charts.LABEL_WIDTH - 0.1
            assert bar.x + bar.width <= chart.width - charts.RIGHT + 1.1
            assert chart.zero_x in (bar.x, round(bar.x + bar.width, 1)) or bar.width == 1
            assert 0 <= bar.y < chart.height
