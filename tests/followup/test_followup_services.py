"""Follow-up with the database: approval schedules the moments (once), a worker records them,
the last one closes the plan and releases what it did not spend; realised return per plan."""

from datetime import datetime, time, timedelta
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from maatwerk.accounts.roles import Role
from maatwerk.audit.models import AuditEvent
from maatwerk.decisions import services as decisions
from maatwerk.decisions.models import Budget, LedgerEntry
from maatwerk.demo.plans import complete_plan
from maatwerk.followup import rules, selectors, services
from maatwerk.followup.models import CohortFigures, FollowUp, Outcome
from maatwerk.followup.realised import prediction_from_snapshot
from maatwerk.plans.models import Plan

from ..factories import TeamFactory, user_with_role
from ..plans import test_plan_lifecycle as lifecycle

org = lifecycle.org  # a team with mandates and a budget for this year


def approved(org, amount="2000", *, days_ago: int = 0, case=None) -> Plan:
    """A plan approved `days_ago` days ago (the decision takes its time as a parameter), on the
    org's one case (one household) or on `case`."""
    if case is None:
        plan = lifecycle.submitted(org, amount)
    else:
        plan = lifecycle.submit(org["worker"], complete_plan(org["worker"], case, amount))
    now = timezone.now()
    if days_ago:
        # Midday of the local day `days_ago` days back: counting back from this moment could
        # land on another local day across a summer-time change (a late evening in winter).
        day = timezone.localdate() - timedelta(days=days_ago)
        now = timezone.make_aware(datetime.combine(day, time(12)))
    if now.year != timezone.now().year:
        team = org["team"]
        Budget.objects.get_or_create(
            organisation=team.organisation, team=team, year=now.year, defaults={"amount": D(25000)}
        )
    decider = Role.TEAM_LEAD if D(amount) <= 2500 else Role.MANAGER
    decisions.approve(org["users"][decider], plan, reason="Past.", now=now)
    plan.refresh_from_db()
    return plan


def _moments(plan):
    return dict(FollowUp.objects.filter(plan=plan).values_list("moment", "due_on"))


def test_approval_schedules_three_moments_once(org):
    plan = approved(org)
    today = timezone.localdate()
    assert _moments(plan) == {
        "end_of_action": today,
        "plus_6": rules.add_months(today, 6),
        "plus_12": rules.add_months(today, 12),
    }
    scheduled = AuditEvent.objects.filter(object_type="followup.followup", reason="scheduled")
    assert scheduled.count() == 3
    # Idempotent: scheduling again adds nothing and changes nothing.
    assert services.schedule(org["worker"], plan) == []
    assert FollowUp.objects.filter(plan=plan).count() == 3
    with pytest.raises(IntegrityError), transaction.atomic():
        FollowUp.objects.create(plan=plan, moment="plus_6", due_on=today)


def test_a_submitted_or_rejected_plan_has_no_follow_up(org):
    plan = lifecycle.submitted(org)
    assert not FollowUp.objects.filter(plan=plan).exists()
    decisions.reject(org["users"][Role.TEAM_LEAD], plan, lifecycle.REASON)
    assert not FollowUp.objects.filter(plan=plan).exists()


def test_a_follow_up_cannot_be_recorded_before_it_is_due(org):
    plan = approved(org)
    later = FollowUp.objects.get(plan=plan, moment="plus_6")
    with pytest.raises(ValidationError) as e:
        services.record(org["worker"], later, measured="not_measured", reason="moved")
    assert e.value.code == "followup.not_due"
    assert FollowUp.objects.get(pk=later.pk).status == "scheduled"


def test_recording_a_measured_follow_up_with_outcomes(org):
    plan = approved(org)
    now = FollowUp.objects.get(plan=plan, moment="end_of_action")
    today = timezone.localdate()
    services.record(
        org["worker"],
        now,
        measured="yes",
        outcomes=[{"code": "still_in_work", "holds_since": today, "text": "Werkt 32 uur."}],
    )
    now.refresh_from_db()
    assert (now.status, now.measured, now.recorded_by) == ("recorded", "yes", org["worker"])
    outcome = Outcome.objects.get(followup=now)
    assert outcome.code == "still_in_work" and not outcome.holds  # not six months yet
    event = AuditEvent.objects.get(object_type="followup.followup", reason="recorded")
    assert event.changes["outcomes"] == [{"code": "still_in_work", "holds_since": str(today)}]
    assert "Werkt" not in str(event.changes)  # the short text stays out of the log
    # Once only.
    with pytest.raises(ValidationError) as e:
        services.record(org["worker"], now, measured="not_measured", reason="moved")
    assert e.value.code == "followup.recorded"
    # The plan has follow-ups left, so it stays open.
    plan.refresh_from_db()
    assert plan.status == Plan.Status.APPROVED


def test_bad_answers_change_nothing(org):
    plan = approved(org)
    due = FollowUp.objects.get(plan=plan, moment="end_of_action")
    today = timezone.localdate()
    for kwargs, field in [
        ({"measured": "yes", "outcomes": []}, "outcomes"),
        ({"measured": "not_measured", "reason": ""}, "reason"),
        ({"measured": "maybe"}, "measured"),
        (
            {
                "measured": "yes",
                "outcomes": [{"code": "in_care", "holds_since": today + timedelta(days=1)}],
            },
            "in_care_since",
        ),
        ({"measured": "yes", "outcomes": [{"code": "lottery", "holds_since": today}]}, "outcomes"),
    ]:
        with pytest.raises(ValidationError) as e:
            services.record(org["worker"], due, **kwargs)
        assert field in e.value.message_dict
    assert FollowUp.objects.get(pk=due.pk).status == "scheduled"
    assert not Outcome.objects.exists()


def test_only_workers_of_the_team_record(org):
    plan = approved(org)
    due = FollowUp.objects.get(plan=plan, moment="end_of_action")
    services.mark_carried_out(org["worker"], plan, due.due_on)  # due once the action is done
    outsider = user_with_role(Role.WORKER, TeamFactory(organisation=org["team"].organisation))
    for user in (outsider, org["users"][Role.MANAGER], org["users"][Role.POLICY_ANALYST]):
        with pytest.raises(PermissionDenied):
            services.record(user, due, measured="not_measured", reason="refused")
    assert not selectors.visible_followups(outsider).exists()
    assert list(selectors.due_for(org["worker"])) == [due]
    assert not selectors.due_for(outsider).exists()
    # A colleague sees it on the plan page and may record it, but it is not on their task list.
    assert selectors.visible_followups(org["users"]["worker2"]).filter(pk=due.pk).exists()
    assert not selectors.due_for(org["users"]["worker2"]).exists()


def test_the_last_follow_up_closes_the_plan_and_releases_what_was_not_spent(org):
    plan = approved(org, "2000", days_ago=400)
    commitment = LedgerEntry.objects.get(plan=plan, kind="commitment")
    # The worker marked the action carried out on the approval day: it wins over the
    # payment date (these tests pay today for a plan approved long ago).
    services.mark_carried_out(org["worker"], plan, selectors.plan_start(plan))
    decisions.record_payment(org["users"][Role.TEAM_LEAD], commitment, D("1500"))
    plan.refresh_from_db()
    assert plan.status == Plan.Status.PARTLY_PAID
    start = timezone.localdate() - timedelta(days=400)
    for followup in FollowUp.objects.filter(plan=plan).order_by("due_on"):
        services.record(
            org["worker"],
            followup,
            measured="yes",
            outcomes=[{"code": "still_in_work", "holds_since": start}],
        )
    plan.refresh_from_db()
    assert plan.status == Plan.Status.CLOSED
    release = LedgerEntry.objects.get(plan=plan, kind="release")
    assert (release.amount, release.refers_to_id) == (D("500.00"), commitment.pk)
    assert AuditEvent.objects.filter(object_type="decisions.ledgerentry", reason="release").exists()


def test_a_plan_paid_in_full_closes_without_a_release(org):
    plan = approved(org, "2000", days_ago=400)
    commitment = LedgerEntry.objects.get(plan=plan, kind="commitment")
    # The worker marked the action carried out on the approval day: it wins over the
    # payment date (these tests pay today for a plan approved long ago).
    services.mark_carried_out(org["worker"], plan, selectors.plan_start(plan))
    decisions.record_payment(org["users"][Role.TEAM_LEAD], commitment, D("2000"))
    for followup in FollowUp.objects.filter(plan=plan):
        services.record(org["worker"], followup, measured="not_measured", reason="no_contact")
    plan.refresh_from_db()
    assert plan.status == Plan.Status.CLOSED
    assert not LedgerEntry.objects.filter(plan=plan, kind="release").exists()


def _worked_example(org):
    """The demo childcare plan: €6,500 once against a year of benefit, 0 % discount, approved
    a year and a bit ago and paid in full."""
    plan = approved(org, "6500", days_ago=380)
    commitment = LedgerEntry.objects.get(plan=plan, kind="commitment")
    # The worker marked the action carried out on the approval day: it wins over the
    # payment date (these tests pay today for a plan approved long ago).
    services.mark_carried_out(org["worker"], plan, selectors.plan_start(plan))
    decisions.record_payment(org["users"][Role.TEAM_LEAD], commitment, D("6500"))
    return plan


def _record_all(org, plan, holds_since):
    for followup in FollowUp.objects.filter(plan=plan).order_by("due_on"):
        services.record(
            org["worker"],
            followup,
            measured="yes",
            outcomes=[{"code": "still_in_work", "holds_since": holds_since}],
        )


def test_in_work_since_the_start_realises_the_prediction(org):
    plan = _worked_example(org)
    _record_all(org, plan, selectors.plan_start(plan))
    predicted = prediction_from_snapshot(plan.snapshots.get().result)
    result = selectors.realised_for(plan)
    assert predicted.tailored_total == D("6500.00")
    assert result.avoided == predicted.standard_total
    assert result.net_benefit == predicted.net_benefit
    assert result.ratio == predicted.ratio
    assert result.released == 0


def test_work_four_months_late_lowers_the_realised_net_by_four_months(org):
    plan = _worked_example(org)
    start = selectors.plan_start(plan)
    _record_all(org, plan, rules.add_months(start, 4))
    predicted = prediction_from_snapshot(plan.snapshots.get().result)
    result = selectors.realised_for(plan)
    assert result.net_benefit == predicted.net_benefit - sum(predicted.standard_monthly[:4])
    assert result.net_difference < 0


def test_not_measured_gives_no_realised_figure(org):
    plan = _worked_example(org)
    for followup in FollowUp.objects.filter(plan=plan):
        services.record(org["worker"], followup, measured="not_measured", reason="moved")
    assert selectors.realised_for(plan) is None
    assert FollowUp.objects.filter(plan=plan, measured="not_measured").count() == 3


def test_a_plan_measured_on_its_first_day_has_realised_nothing_yet(org):
    """The walk's finding (f14): a plan approved today, its action carried out today, and at
    the end-of-action follow-up the resident "nog aan het werk sinds 1 maart" (months before
    the plan). The outcome holds (more than six months), but not one month of the plan has
    passed: it realised 0 of 12 months, not 12 of 12. Realised is what has happened by the
    day of measurement, never what is still to come."""
    plan = approved(org, "6500")
    start = selectors.plan_start(plan)
    services.mark_carried_out(org["worker"], plan, start)
    commitment = LedgerEntry.objects.get(plan=plan, kind="commitment")
    decisions.record_payment(org["users"][Role.TEAM_LEAD], commitment, D("6500"))
    due = FollowUp.objects.get(plan=plan, moment="end_of_action")
    services.record(
        org["worker"],
        due,
        measured="yes",
        outcomes=[{"code": "still_in_work", "holds_since": rules.add_months(start, -9)}],
    )
    assert Outcome.objects.get(followup=due).holds  # it holds: nine months before the plan
    result = selectors.realised_for(plan)
    assert result.held_months == 0
    assert result.avoided == 0
    assert result.net_benefit == D("-6500.00")
    figures = CohortFigures.objects.get(plan=plan)
    assert (figures.state, figures.holds, figures.realised) == ("measured", True, D("-6500.00"))


def test_the_worked_example_realises_the_months_passed_at_each_moment(org):
    """The worked example, in work since the plan's start, measured at each moment on its own
    day: at the end of the action (the start) nothing is realised yet; at +6 months six
    months; at +12 months the prediction."""
    plan = _worked_example(org)
    start = selectors.plan_start(plan)
    predicted = prediction_from_snapshot(plan.snapshots.get().result)
    expected = {"end_of_action": 0, "plus_6": 6, "plus_12": 12}
    for followup in FollowUp.objects.filter(plan=plan).order_by("due_on"):
        services.record(
            org["worker"],
            followup,
            measured="yes",
            recorded_on=followup.due_on,
            outcomes=[{"code": "still_in_work", "holds_since": start}],
        )
        result = selectors.realised_for(plan)
        months = expected[followup.moment]
        assert result.held_months == months, followup.moment
        assert result.avoided == sum(predicted.standard_monthly[:months], D(0))
    assert result.net_benefit == predicted.net_benefit


def test_an_outcome_that_does_not_hold_yet_counts_nothing(org):
    """In work only since three months before the measurement (fewer than six: it does not
    hold): nothing counts yet, not even the three months (it counts once it holds)."""
    plan = approved(org, "6500", days_ago=200)
    start = selectors.plan_start(plan)
    services.mark_carried_out(org["worker"], plan, start)
    today = timezone.localdate()
    due = FollowUp.objects.get(plan=plan, moment="end_of_action")
    since = rules.add_months(today, -3)
    services.record(
        org["worker"],
        due,
        measured="yes",
        outcomes=[{"code": "still_in_work", "holds_since": since}],
    )
    result = selectors.realised_for(plan)
    assert (result.held_months, result.avoided) == (0, 0)
    assert CohortFigures.objects.get(plan=plan).holds is False


def test_an_outcome_that_holds_counts_the_months_it_held_up_to_the_measurement(org):
    """In work since seven months before today, the plan approved about ten months ago: the
    seven months up to the measurement count, the months before it and after it do not."""
    plan = approved(org, "6500", days_ago=300)
    start = selectors.plan_start(plan)
    services.mark_carried_out(org["worker"], plan, start)
    today = timezone.localdate()
    due = FollowUp.objects.get(plan=plan, moment="end_of_action")
    since = rules.add_months(today, -7)
    services.record(
        org["worker"], due, measured="yes", outcomes=[{"code": "in_care", "holds_since": since}]
    )
    predicted = prediction_from_snapshot(plan.snapshots.get().result)
    result = selectors.realised_for(plan)
    until = rules.months_between(start, today)
    assert result.held_months == 7 == rules.months_between(since, today)
    assert result.avoided == sum(predicted.standard_monthly[until - 7 : until], D(0))


# --- measured: none of the outcomes holds --------------------------------------------------------


def test_measured_none_holds_is_measured_with_nothing_avoided(org):
    """The worker measured and no coded outcome holds: an answer of its own (no outcomes), in
    the audit log, realising no month of the standard route — and counted as measured, not
    as unmeasured, in the cohorts."""
    plan = _worked_example(org)
    due = FollowUp.objects.get(plan=plan, moment="end_of_action")
    services.record(org["worker"], due, measured="yes", none_holds=True)
    due.refresh_from_db()
    assert (due.status, due.measured, due.none_holds, due.not_measured_reason) == (
        "recorded",
        "yes",
        True,
        "",
    )
    assert not Outcome.objects.filter(followup=due).exists()
    event = AuditEvent.objects.get(object_id=str(due.pk), reason="recorded")
    assert event.changes["none_holds"] is True and event.changes["outcomes"] == []
    predicted = prediction_from_snapshot(plan.snapshots.get().result)
    result = selectors.realised_for(plan)
    assert (result.held_months, result.avoided) == (0, 0)
    assert result.net_benefit == -predicted.tailored_total == D("-6500.00")
    figures = CohortFigures.objects.get(plan=plan)
    assert (figures.state, figures.holds, figures.none_holds) == ("measured", False, True)
    assert figures.realised == D("-6500.00")
    # A later measurement with an outcome replaces it, as any measurement does.
    later = FollowUp.objects.get(plan=plan, moment="plus_6")
    services.record(
        org["worker"],
        later,
        measured="yes",
        outcomes=[{"code": "still_in_work", "holds_since": selectors.plan_start(plan)}],
    )
    figures.refresh_from_db()
    assert (figures.holds, figures.none_holds) == (True, False)


def test_contradictions_with_none_holds_are_refused_and_change_nothing(org):
    plan = approved(org)
    due = FollowUp.objects.get(plan=plan, moment="end_of_action")
    today = timezone.localdate()
    line = selectors.correctable_lines(plan)[0]
    for kwargs, field, words in [
        (
            {"outcomes": [{"code": "in_care", "holds_since": today}]},
            "outcomes",
            "maar vinkte ook uitkomsten aan",
        ),
        ({"reason": "moved"}, "reason", "maar gaf ook een reden"),
        ({"measured": "not_measured", "reason": "moved"}, "none_holds", "vraagt om een meting"),
        ({"corrections": {line.pk: D("900")}}, f"line_{line.pk}", "geen kosten van de standaard"),
        ({"none_holds": "yes"}, "none_holds", "Zeg ja of nee"),
    ]:
        answer = {"measured": "yes", "none_holds": True} | kwargs
        with pytest.raises(ValidationError) as e:
            services.record(org["worker"], due, **answer)
        assert words in " ".join(e.value.message_dict[field]), (kwargs, e.value.message_dict)
    assert FollowUp.objects.get(pk=due.pk).status == "scheduled"
    assert not Outcome.objects.exists()
    assert not AuditEvent.objects.filter(object_id=str(due.pk), reason="recorded").exists()
    # Measured without outcomes and without "none holds" points to the explicit answer.
    with pytest.raises(ValidationError) as e:
        services.record(org["worker"], due, measured="yes")
    assert "geen van de uitkomsten houdt stand" in e.value.message_dict["outcomes"][0]
    # The database refuses the impossible state too: "none holds" on an unmeasured row.
    with pytest.raises(IntegrityError), transaction.atomic():
        FollowUp.objects.filter(pk=due.pk).update(
            status="recorded",
            measured="not_measured",
            not_measured_reason="moved",
            none_holds=True,
            recorded_on=today,
            recorded_at=timezone.now(),
            recorded_by=org["worker"],
        )
