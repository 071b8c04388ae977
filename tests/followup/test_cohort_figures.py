"""The cohorts' stored figures (issue 13, point 5, at 100,000 households): one row per approved
plan, kept by the services whenever what feeds it changes, always equal to what the plan page
computes (`selectors.realised_for`) and to the live computation of the cohorts — after approval,
a recorded follow-up, a corrected line, a payment, a reversal (also after closing) and a
release."""

from decimal import Decimal as D

from maatwerk.accounts.roles import Role
from maatwerk.decisions import services as decisions
from maatwerk.decisions.models import LedgerEntry
from maatwerk.followup import cohorts, selectors, services
from maatwerk.followup.models import CohortFigures, FollowUp
from maatwerk.followup.realised import prediction_from_snapshot
from maatwerk.plans.models import Plan

from ..plans import test_plan_lifecycle as lifecycle
from .test_followup_services import approved

org = lifecycle.org


def _as_tuple(c: cohorts.Cohort):
    return (c.label, c.plans, c.measured, c.not_measured, c.awaiting, c.holds)


def _money(c: cohorts.Cohort):
    return (c.predicted, c.realised)


def _check(org, plan, state):
    """The stored row equals the plan page's realised return and the live cohorts, in every
    grouping and the total."""
    stored = CohortFigures.objects.get(plan=plan)
    assert stored.state == state
    predicted = prediction_from_snapshot(plan.snapshots.get().result)
    assert stored.predicted == predicted.net_benefit
    live = selectors.realised_for(plan)
    if state == cohorts.MEASURED:
        assert stored.realised == live.net_benefit
    else:
        assert stored.realised is None and live is None
    team_ids = cohorts.cohort_team_ids(org["users"][Role.TEAM_LEAD])
    figures = cohorts.plan_figures(team_ids)
    for grouping in cohorts.GROUPINGS:
        stored_rows = cohorts.stored_groups(team_ids, grouping)
        live_rows = cohorts.group(figures, grouping)
        assert [_as_tuple(c) for c in stored_rows] == [_as_tuple(c) for c in live_rows]
        assert [_money(c) for c in stored_rows] == [_money(c) for c in live_rows]
    live_whole = cohorts.total(figures)
    for grouping in cohorts.GROUPINGS:
        _rows, whole = cohorts.cohorts_for(org["users"][Role.TEAM_LEAD], grouping)
        assert _as_tuple(whole)[1:] == _as_tuple(live_whole)[1:]
        assert _money(whole) == _money(live_whole)
    return stored


def _record(org, plan, moment, **kwargs):
    services.record(org["worker"], FollowUp.objects.get(plan=plan, moment=moment), **kwargs)


def test_stored_figures_follow_every_change(org):
    lead = org["users"][Role.TEAM_LEAD]
    plan = approved(org, "2000", days_ago=400)
    start = selectors.plan_start(plan)
    services.mark_carried_out(org["worker"], plan, start)
    _check(org, plan, cohorts.AWAITING)  # approval (scheduling)
    commitment = LedgerEntry.objects.get(plan=plan, kind="commitment")

    first = decisions.record_payment(lead, commitment, D("800"))
    _check(org, plan, cohorts.AWAITING)  # a payment before anything was measured

    line = selectors.correctable_lines(plan)[0]
    outcomes = [{"code": "still_in_work", "holds_since": start}]
    _record(
        org,
        plan,
        "end_of_action",
        measured="yes",
        outcomes=outcomes,
        corrections={line.pk: line.predicted * D("1.25")},
    )
    measured = _check(org, plan, cohorts.MEASURED).realised  # recorded, with a corrected line

    second = decisions.record_payment(lead, commitment, D("700"))
    after_payment = _check(org, plan, cohorts.MEASURED).realised
    assert after_payment < measured  # a payment lowers the realised net

    decisions.reverse(lead, second, "Paid twice.")
    assert _check(org, plan, cohorts.MEASURED).realised == measured  # the reversal undoes it

    decisions.release(lead, commitment, D("100"))
    _check(org, plan, cohorts.MEASURED)  # a release by hand

    _record(org, plan, "plus_6", measured="not_measured", reason="moved")
    _check(org, plan, cohorts.NOT_MEASURED)  # the latest says not measured

    _record(org, plan, "plus_12", measured="yes", outcomes=outcomes)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.CLOSED
    assert LedgerEntry.objects.filter(plan=plan, kind="release").count() == 2
    closed = _check(org, plan, cohorts.MEASURED).realised  # closed, the rest released

    # A mistake corrected after the plan closed still reaches the stored figures.
    decisions.reverse(lead, first, "Booked on the wrong plan.")
    assert _check(org, plan, cohorts.MEASURED).realised > closed


def test_refreshing_everything_rebuilds_the_same_rows(org):
    plan = approved(org, "2000", days_ago=400)
    start = selectors.plan_start(plan)
    _record(
        org,
        plan,
        "end_of_action",
        measured="yes",
        outcomes=[{"code": "in_care", "holds_since": start}],
    )
    before = list(CohortFigures.objects.values_list("plan_id", "state", "predicted", "realised"))
    CohortFigures.objects.all().delete()  # as after migrating, or after generate_data
    assert cohorts.stored_total(cohorts.cohort_team_ids(org["users"][Role.TEAM_LEAD])).plans == 0
    assert services.refresh_all_cohort_figures(batch=1) == 1
    after = list(CohortFigures.objects.values_list("plan_id", "state", "predicted", "realised"))
    assert before == after and after[0][1] == cohorts.MEASURED
    _check(org, plan, cohorts.MEASURED)
    # The first `migrate` after followup/0006 fills an empty table, and only then.
    assert services.backfill_cohort_figures() == 0
    CohortFigures.objects.all().delete()
    assert services.backfill_cohort_figures() == 1
    _check(org, plan, cohorts.MEASURED)
