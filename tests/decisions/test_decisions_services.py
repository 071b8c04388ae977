"""decisions.services: every step opening is audited in one place; deadlines skip holidays;
the rule "nobody decides their own plan" is routing's, fed the real fact."""

from datetime import date, datetime
from decimal import Decimal as D
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import timezone

from maatwerk.accounts.roles import Role
from maatwerk.audit.models import AuditEvent
from maatwerk.decisions import services
from maatwerk.decisions.models import Budget, DecisionStep, PeerRule
from maatwerk.demo.plans import complete_plan

from ..factories import CaseFactory, TeamFactory, user_with_role
from ..plan_helpers import configure_mandates, submitted_plan

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def org(db):
    team = TeamFactory(name="Wijkteam Zuid")
    configure_mandates(team.organisation)
    users = {role: user_with_role(role, team) for role in Role}
    users["worker2"] = user_with_role(Role.WORKER, team)
    case = CaseFactory(household__team=team)
    Budget.objects.create(
        organisation=team.organisation, team=team, year=timezone.localdate().year, amount=D("10000")
    )
    return {"team": team, "users": users, "case": case}


def _openings(plan) -> list[tuple[str, str]]:
    """(reason, level) of every audit event of a step opening of `plan`, in order."""
    steps = {
        str(pk): key
        for pk, key in DecisionStep.objects.filter(plan=plan).values_list("pk", "assigned_role")
    }
    return [
        (e.reason, steps[e.object_id])
        for e in AuditEvent.objects.filter(
            object_type="decisions.decisionstep", object_id__in=list(steps), action="create"
        ).order_by("id")
        if e.reason in ("routed", "escalated", "consultation")
    ]


def test_every_step_opening_is_audited_the_mdt_consultation_too(org):
    u = org["users"]
    plan = submitted_plan(org["case"], u[Role.WORKER], "6500")
    consulted = services.ask_consultation(u[Role.MANAGER], plan, "Kan de corporatie meebetalen?")
    escalated = services.escalate(u[Role.MANAGER], plan, reason="Te groot voor mij")
    assert _openings(plan) == [
        ("routed", Role.MANAGER),
        ("consultation", Role.MANAGER),
        ("escalated", Role.DIRECTOR),
    ]
    event = AuditEvent.objects.get(object_id=str(consulted.pk), reason="consultation")
    assert event.actor == u[Role.MANAGER]
    assert event.changes["deadline"] == str(consulted.deadline)
    assert escalated.position > consulted.position


@override_settings(MAATWERK_HOLIDAYS=[date(2027, 4, 1)])
def test_a_routed_deadline_skips_easter_and_the_organisations_own_days(org):
    worker = org["users"][Role.WORKER]
    plan = complete_plan(worker, org["case"], "1000")  # the team lead: 5 working days
    thursday = datetime(2027, 3, 25, 10, tzinfo=AMSTERDAM)
    step = services.submit_plan(worker, plan, now=thursday)
    # Not Good Friday 26, not Easter Monday 29 March, not the extra 1 April.
    assert step.assigned_role == Role.TEAM_LEAD
    assert step.deadline == date(2027, 4, 6)


def test_the_holiday_calendar_comes_from_the_settings():
    with override_settings(MAATWERK_HOLIDAYS=[date(2026, 12, 24)]):
        calendar = services.holidays()
        assert date(2026, 12, 24) in calendar and date(2026, 12, 25) in calendar
        assert date(2026, 5, 5) in calendar
    with override_settings(MAATWERK_HOLIDAYS=[], MAATWERK_LIBERATION_DAY="lustrum"):
        calendar = services.holidays()
        assert date(2026, 12, 24) not in calendar
        assert date(2026, 5, 5) not in calendar
        assert date(2030, 5, 5) in calendar


def test_nobody_decides_their_own_plan_even_holding_the_step(org):
    """A team lead who wrote the plan holds the level it is routed to, by role: the rule, not
    the routing, refuses them (routing.refusal is fed the real fact)."""
    u = org["users"]
    lead = u[Role.TEAM_LEAD]
    plan = complete_plan(lead, org["case"], "1000")
    step = services.submit_plan(lead, plan)
    # Nobody else of the team holds the team-lead level, so it went up to the manager; put it
    # back on the team lead's level to test the rule itself.
    DecisionStep.objects.filter(pk=step.pk).update(assigned_role=Role.TEAM_LEAD, position=1)
    for decide in (
        lambda: services.approve(lead, plan),
        lambda: services.reject(lead, plan, "Nee"),
        lambda: services.ask_consultation(lead, plan, "Vraag"),
    ):
        with pytest.raises(PermissionDenied, match=r"own plan|eigen plan"):
            decide()
    assert DecisionStep.objects.get(pk=step.pk).is_open


def test_peer_votes_follow_the_peer_limit_and_never_count_the_author(org):
    u = org["users"]
    PeerRule.objects.create(organisation=org["team"].organisation, limit=D("500"), peers_required=1)
    plan = submitted_plan(org["case"], u[Role.WORKER], "500")
    with pytest.raises(PermissionDenied):
        services.peer_vote(u[Role.WORKER], plan, True)
    with pytest.raises(PermissionDenied):
        services.peer_vote(u[Role.MANAGER], plan, True)  # not a colleague in the team
    assert services.peer_vote(u["worker2"], plan, True) is True  # one colleague is enough
    above = submitted_plan(org["case"], u[Role.WORKER], "500.01")
    with pytest.raises(ValidationError) as e:
        services.peer_vote(u["worker2"], above, True)
    assert e.value.code == "decisions.peer_limit"


def test_a_decider_escalates_only_with_a_reason_the_next_level_reads(org):
    u = org["users"]
    plan = submitted_plan(org["case"], u[Role.WORKER], "1000")
    with pytest.raises(ValidationError) as e:
        services.decide(u[Role.TEAM_LEAD], plan, "escalate", "  ")
    assert "reason" in e.value.message_dict
    assert DecisionStep.objects.get(plan=plan, outcome="").assigned_role == Role.TEAM_LEAD
    services.decide(u[Role.TEAM_LEAD], plan, "escalate", "Boven mijn ervaring")
    escalated = DecisionStep.objects.get(plan=plan, outcome="escalate")
    assert escalated.reason == "Boven mijn ervaring"
