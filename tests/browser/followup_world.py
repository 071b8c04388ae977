"""The follow-up world of the browser tests (issue 13): one team whose plans were approved in
the past, through the services a click calls. The clock is "frozen" the project's way: the
approval takes its moment as a parameter (`decisions.approve(now=...)`), and the worker marks
the action carried out on the approval day, so the follow-ups come due today.

Shared by test_followup.py and test_cohorts.py (fixture `followup_world` in conftest.py)."""

from datetime import timedelta
from decimal import Decimal as D

from django.utils import timezone

from maatwerk.accounts.roles import Role
from maatwerk.cases import services as case_services
from maatwerk.decisions import services as decisions
from maatwerk.decisions.models import Budget, LedgerEntry, MandateSetting
from maatwerk.demo.plans import complete_plan
from maatwerk.followup import selectors
from maatwerk.followup import services as followup
from maatwerk.followup.models import FollowUp

from ..factories import TeamFactory, user_with_role

NAMES = ["Kees", "Anna", "Fatima", "Johan", "Lotte", "Mehmet", "Sanne", "Piet"]


def build_team(name: str = "Wijkteam Oost", days_back: int = 400) -> dict:
    """A team with a worker and a team lead (mandate €2,500) and a budget of €20,000 in every
    year from `days_back` days ago to today."""
    team = TeamFactory(name=name)
    for role, amount in [(Role.WORKER, D(500)), (Role.TEAM_LEAD, D(2500))]:
        MandateSetting.objects.create(organisation=team.organisation, role=role, amount=amount)
    now = timezone.now()
    budgets = {
        year: Budget.objects.create(
            organisation=team.organisation, team=team, year=year, amount=D(20000)
        )
        for year in range((now - timedelta(days=days_back)).year, now.year + 1)
    }
    return {
        "team": team,
        "worker": user_with_role(Role.WORKER, team),
        "lead": user_with_role(Role.TEAM_LEAD, team),
        "budgets": budgets,
        "plans": [],
    }


def approved_plan(
    world: dict, *, days_ago: int, paid: str, amount: str = "2000", carried_out: bool = True
):
    """A plan of `amount` approved `days_ago` days ago by the team lead, `paid` euros paid today.
    `carried_out`: the worker marked the action carried out on the approval day (the marking
    wins over the payment); without it the payment made today is the end of the action."""
    worker, lead = world["worker"], world["lead"]
    n = len(world["plans"])
    case = case_services.create_household_with_case(
        actor=worker,
        team=world["team"],
        residents=[{"first_name": NAMES[n % len(NAMES)], "last_name": "Jansen"}],
        title="Toeslag verrekend met een belastingschuld",
        goal="Ik wil blijven werken en mijn eigen geld verdienen.",
    )
    plan = complete_plan(worker, case, amount)
    decisions.submit_plan(worker, plan)
    approved_at = timezone.now() - timedelta(days=days_ago)
    decisions.approve(lead, plan, reason="Past.", now=approved_at)
    if carried_out:
        followup.mark_carried_out(worker, plan, timezone.localdate(approved_at))
    commitment = LedgerEntry.objects.get(plan=plan, kind="commitment")
    decisions.record_payment(lead, commitment, D(paid))
    world["plans"].append(plan)
    return plan


def record_in_work(world: dict, plan, moment: str = "end_of_action") -> FollowUp:
    """The worker records the moment: in work since the day the action was carried out."""
    due = FollowUp.objects.get(plan=plan, moment=moment)
    start = FollowUp.objects.get(plan=plan, moment="end_of_action").due_on
    return followup.record(
        world["worker"],
        due,
        measured="yes",
        outcomes=[{"code": "still_in_work", "holds_since": start}],
    )


def cohort_world() -> dict:
    """Wijkteam Oost with six plans of €2,000 (the small-number rule needs five in a group):

    - plan 0, approved 400 days ago, €1,500 paid today, the action not yet marked carried out:
      only its end of the action is due (today, the payment); the worker's journey marks the
      action carried out on the approval day (`journey_start`) and records all three;
    - plans 1–5, approved 150 days ago and paid in full: only their end of the action is due,
      and recorded: in work since the action (not yet six months, so not holding), plan 1 not
      measured (moved) — unmeasured, never a failure.
    """
    world = build_team()
    world["journey"] = approved_plan(world, days_ago=400, paid="1500", carried_out=False)
    # The approval day as the plan counts it (local time: 400 days back may cross a DST change).
    world["journey_start"] = selectors.plan_start(world["journey"])
    for n in range(1, 6):
        plan = approved_plan(world, days_ago=150, paid="2000")
        if n == 1:
            end = FollowUp.objects.get(plan=plan, moment="end_of_action")
            followup.record(world["worker"], end, measured="not_measured", reason="moved")
        else:
            record_in_work(world, plan)
    return world
