"""Corrected lines (issue 13, point 3): at a measured follow-up the worker corrects a line of the
predicted standard route; the realised return uses the corrected line, the prediction stays the
frozen snapshot's. Through the service, on the demo's worked-example plan."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from maatwerk.followup import selectors, services
from maatwerk.followup.models import CorrectedLine, FollowUp
from maatwerk.followup.realised import prediction_from_snapshot

from .test_followup_services import _worked_example, org  # noqa: F401


def _record_all(org, plan, corrections):  # noqa: F811
    start = selectors.plan_start(plan)
    for followup in FollowUp.objects.filter(plan=plan).order_by("due_on"):
        services.record(
            org["worker"],
            followup,
            measured="yes",
            outcomes=[{"code": "still_in_work", "holds_since": start}],
            corrections=corrections,
        )


def test_a_corrected_line_changes_the_realised_return_not_the_prediction(org):  # noqa: F811
    plan = _worked_example(org)
    lines = selectors.correctable_lines(plan)
    assert lines, "the worked example's standard route has a line to correct"
    line = lines[0]
    predicted = prediction_from_snapshot(plan.snapshots.get().result)
    plain_months = [m for m in predicted.standard_monthly if m]
    assert plain_months  # the line runs in some months
    corrected = line.predicted * D("1.10")
    _record_all(org, plan, {line.pk: corrected})
    assert CorrectedLine.objects.filter(line=line).count() == 3
    result = selectors.realised_for(plan)
    assert result.prediction == predicted  # the snapshot's, unchanged
    assert result.avoided > predicted.standard_total
    assert result.net_benefit > predicted.net_benefit


def test_a_correction_only_on_a_measured_follow_up_and_a_standard_line(org):  # noqa: F811
    plan = _worked_example(org)
    line = selectors.correctable_lines(plan)[0]
    first = FollowUp.objects.filter(plan=plan).order_by("due_on").first()
    with pytest.raises(ValidationError) as e:
        services.record(
            org["worker"],
            first,
            measured="not_measured",
            reason="moved",
            corrections={line.pk: D(1)},
        )
    assert f"line_{line.pk}" in e.value.message_dict
    tailored = plan.lines.filter(scenario="tailored").first()
    start = selectors.plan_start(plan)
    with pytest.raises(ValidationError) as e:
        services.record(
            org["worker"],
            first,
            measured="yes",
            outcomes=[{"code": "still_in_work", "holds_since": start}],
            corrections={tailored.pk: D(1)},
        )
    assert "corrections" in e.value.message_dict
    assert not CorrectedLine.objects.exists()
    assert FollowUp.objects.get(pk=first.pk).status == "scheduled"


def test_the_record_form_offers_the_lines_to_correct(client, org):  # noqa: F811
    plan = _worked_example(org)
    line = selectors.correctable_lines(plan)[0]
    first = FollowUp.objects.filter(plan=plan).order_by("due_on").first()
    client.force_login(org["worker"])
    url = reverse("followup:record", args=[first.pk])
    assert f'name="line_{line.pk}"' in client.get(url).content.decode()
    start = selectors.plan_start(plan)
    response = client.post(
        url,
        {
            "measured": "yes",
            "recorded_on_day": "",
            "still_in_work": "on",
            "still_in_work_since_day": str(start.day),
            "still_in_work_since_month": str(start.month),
            "still_in_work_since_year": str(start.year),
            f"line_{line.pk}": "-5",
        },
    )
    assert response.status_code == 200  # refused: the errors on the page, nothing recorded
    assert f'id="id_line_{line.pk}_error"' in response.content.decode()
    assert not CorrectedLine.objects.exists()


def test_a_corrected_yearly_line_adds_up_to_the_cent():
    """Walk finding: a line corrected from 11.600 to 9.000 a year showed 4.499,98 over six
    months. The difference is taken month by month from the exact series (`exact_monthly`),
    as the prediction is, so six months of 9.000 a year avoid exactly 4.500,00."""
    from maatwerk.costs import engine
    from maatwerk.followup import realised

    line = engine.Line(
        label="huur",
        amount=D("11600"),
        unit="per_year",
        bearer="municipality",
        cost_type=engine.COST_TYPES[0],
        duration_months=12,
    )
    calc = engine.Calculation(standard=(line,), tailored=(), horizon_months=12)
    result = engine.evaluate(calc)
    monthly = realised.exact_monthly(result.standard.monthly, result.standard.cumulative)
    difference = realised.line_difference(line, D("9000"), 12)
    corrected = realised.corrected_monthly(monthly, [difference])
    assert sum(corrected[:6]) == D("4500.00")
    assert sum(corrected) == D("9000.00")
