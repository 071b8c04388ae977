"""A decided plan of a household the system knows, built through the services."""

from datetime import date

from maatwerk.accounts.roles import Role
from maatwerk.cases.models import Resident
from maatwerk.decisions import services as decisions

from ..factories import TeamFactory, user_with_role
from ..plans import test_plan_lifecycle as lifecycle

BSN = "111222333"


def household_known(case) -> Resident:
    resident = Resident(
        household=case.household,
        first_name="Fatima",
        last_name="El Amrani",
        birth_date=date(1985, 3, 12),
        is_contact=True,
    )
    resident.set_bsn(BSN)
    resident.save()
    return resident


def approved_plan(org, amount="2000"):
    household_known(org["case"])
    plan = lifecycle.submitted(org, amount)
    decisions.approve(org["users"][Role.TEAM_LEAD], plan, reason="Past binnen het budget.")
    plan.refresh_from_db()
    return plan


def other_team_worker(org):
    return user_with_role(Role.WORKER, TeamFactory(organisation=org["team"].organisation))


def other_org_worker():
    return user_with_role(Role.WORKER, TeamFactory())
