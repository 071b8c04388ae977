"""Submitting routes a plan to people (issue 8, points 2 and 3): one service submits and routes
in one transaction; a level nobody holds is passed over in the trail; nobody at all, or no
mandates, refuses the submit; a plan without money goes to the department of what it asks."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from maatwerk.accounts.models import Department, Membership
from maatwerk.accounts.roles import Role
from maatwerk.audit.models import AuditEvent
from maatwerk.core.formatting import long_date
from maatwerk.decisions import selectors, services
from maatwerk.decisions.models import (
    Budget,
    DecisionStep,
    DepartmentRoute,
    EscalationLevel,
    LedgerEntry,
)
from maatwerk.demo.plans import BRP_CORRECTION, complete_plan
from maatwerk.legal.models import Applier
from maatwerk.plans.models import Plan

from ..factories import CaseFactory, TeamFactory, UserFactory, user_with_role
from ..plan_helpers import configure_mandates, submitted_plan


@pytest.fixture
def noord(db):
    """A team like the demo's Wadwijk-Noord before issue 8: a worker and a team lead, no manager."""
    team = TeamFactory(name="Wijkteam Noord")
    configure_mandates(team.organisation)
    worker = user_with_role(Role.WORKER, team, first_name="Wendy", last_name="Werker")
    lead = user_with_role(Role.TEAM_LEAD, team, first_name="Tom", last_name="Leider")
    director = user_with_role(Role.DIRECTOR, team, first_name="Dirk", last_name="Directeur")
    case = CaseFactory(household__team=team)
    Budget.objects.create(
        organisation=team.organisation, team=team, year=timezone.localdate().year, amount=25000
    )
    return {"team": team, "worker": worker, "lead": lead, "director": director, "case": case}


def _deciding_department(org, name, applier):
    department = Department.objects.create(organisation=org, name=name)
    DepartmentRoute.objects.create(organisation=org, applier=applier, department=department)
    decider = UserFactory(organisation=org, first_name="Bo", last_name="Burger")
    Membership.objects.create(
        user=decider, organisation=org, role=Role.DECIDER, department=department
    )
    return department, decider


def test_a_level_nobody_holds_is_skipped_upward_and_recorded(noord):
    plan = submitted_plan(noord["case"], noord["worker"], "6500")
    steps = selectors.trail(plan)
    assert [(s.assigned_role, s.outcome) for s in steps] == [
        (Role.MANAGER, "skip"),
        (Role.DIRECTOR, ""),
    ]
    assert selectors.step_deciders(steps[1]) == [noord["director"]]
    assert [s.plan for s in selectors.inbox(noord["director"])] == [plan]
    assert AuditEvent.objects.filter(
        object_type="decisions.decisionstep", object_id=str(steps[0].pk), reason="skipped"
    ).exists()


def test_nobody_to_decide_refuses_the_submit_and_the_plan_stays_a_draft(noord):
    Membership.objects.filter(user=noord["director"]).delete()
    plan = complete_plan(noord["worker"], noord["case"], "6500")
    with pytest.raises(ValidationError) as err:
        services.submit_plan(noord["worker"], plan)
    assert err.value.code == "decisions.no_decider"
    assert "beheerder" in err.value.messages[0]
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT and plan.submitted_at is None
    assert not DecisionStep.objects.filter(plan=plan).exists()
    assert not plan.snapshots.exists()


def test_without_configured_mandates_nothing_is_submitted(db):
    team = TeamFactory()
    worker = user_with_role(Role.WORKER, team)
    user_with_role(Role.TEAM_LEAD, team)
    plan = complete_plan(worker, CaseFactory(household__team=team), "300")
    with pytest.raises(ValidationError) as err:
        services.submit_plan(worker, plan)
    assert err.value.code == "decisions.no_mandates"
    assert "mandaten" in err.value.messages[0]
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT


def test_the_author_is_never_the_holder_of_a_level(noord):
    # The worker level covers 300, but the team's only worker wrote the plan.
    plan = submitted_plan(noord["case"], noord["worker"], "300")
    assert [(s.assigned_role, s.outcome) for s in selectors.trail(plan)] == [
        (Role.WORKER, "skip"),
        (Role.TEAM_LEAD, ""),
    ]


def test_a_plan_without_money_goes_to_the_department_and_its_decider_approves(noord):
    org = noord["team"].organisation
    department, decider = _deciding_department(org, "Burgerzaken", Applier.MUNICIPALITY_BRP)
    _deciding_department(org, "Werk en Inkomen", Applier.MUNICIPALITY)
    plan = submitted_plan(noord["case"], noord["worker"], "0", **BRP_CORRECTION)
    step = selectors.open_step(plan)
    assert (step.department, step.level_label) == (department, "Burgerzaken")
    assert [s.plan for s in selectors.inbox(decider)] == [plan]
    assert not selectors.inbox(noord["lead"]).exists()
    assert not selectors.inbox(noord["director"]).exists()
    services.approve(decider, plan, reason="Uitschrijving kan direct.")
    step.refresh_from_db()
    assert (step.outcome, step.decided_by) == ("approve", decider)
    assert not LedgerEntry.objects.filter(plan=plan).exists()  # no money, nothing committed


def test_the_decider_approves_a_plan_without_money_on_her_page(client, noord):
    org = noord["team"].organisation
    _department, decider = _deciding_department(org, "Burgerzaken", Applier.MUNICIPALITY_BRP)
    plan = submitted_plan(noord["case"], noord["worker"], "0", **BRP_CORRECTION)
    client.force_login(decider)
    url = reverse("decisions:decide", args=[plan.pk])
    body = client.get(url).content.decode()
    assert "het maatwerkbudget blijft onaangeroerd" in body
    assert "Nog beschikbaar" not in body  # the team's budget is no concern of hers
    response = client.post(url, {"action": "approve", "reason": ""})
    assert response.status_code == 302
    assert DecisionStep.objects.get(plan=plan, outcome="approve").decided_by == decider


def test_an_income_plan_without_money_goes_to_werk_en_inkomen(noord):
    org = noord["team"].organisation
    _deciding_department(org, "Burgerzaken", Applier.MUNICIPALITY_BRP)
    income, _decider = _deciding_department(org, "Werk en Inkomen", Applier.MUNICIPALITY)
    plan = submitted_plan(noord["case"], noord["worker"], "0", rule_code="KOSTENDELERSNORM")
    assert selectors.open_step(plan).department == income


def test_a_plan_without_money_is_approvable_where_it_lands(noord):
    # No department configured: the lowest level someone holds, which has no mandate for it.
    from maatwerk.decisions.models import MandateSetting

    MandateSetting.objects.filter(role=Role.TEAM_LEAD).delete()
    plan = submitted_plan(noord["case"], noord["worker"], None)
    step = selectors.open_step(plan)
    assert step.assigned_role == Role.TEAM_LEAD
    services.approve(noord["lead"], plan)
    assert DecisionStep.objects.get(pk=step.pk).outcome == "approve"


def test_a_department_without_a_decider_passes_the_plan_to_the_ladder(noord):
    org = noord["team"].organisation
    department = Department.objects.create(organisation=org, name="Burgerzaken")
    DepartmentRoute.objects.create(
        organisation=org, applier=Applier.MUNICIPALITY_BRP, department=department
    )
    plan = submitted_plan(noord["case"], noord["worker"], "0", **BRP_CORRECTION)
    assert selectors.open_step(plan).assigned_role == Role.TEAM_LEAD
    assert selectors.empty_departments(org) == [department]


def test_escalation_passes_levels_nobody_holds(noord):
    plan = submitted_plan(noord["case"], noord["worker"], "1000")
    assert selectors.open_step(plan).assigned_role == Role.TEAM_LEAD
    services.escalate(noord["lead"], plan, reason="Twijfel")
    assert [(s.assigned_role, s.outcome) for s in selectors.trail(plan)] == [
        (Role.TEAM_LEAD, "escalate"),
        (Role.MANAGER, "skip"),
        (Role.DIRECTOR, ""),
    ]


def test_a_department_step_escalates_to_the_ladder(noord):
    org = noord["team"].organisation
    _department, decider = _deciding_department(org, "Burgerzaken", Applier.MUNICIPALITY_BRP)
    plan = submitted_plan(noord["case"], noord["worker"], "0", **BRP_CORRECTION)
    services.escalate(decider, plan, reason="Hier moet de teamleider over gaan")
    assert selectors.open_step(plan).assigned_role == Role.TEAM_LEAD


def test_saving_a_plan_as_submitted_no_longer_routes_it(noord):
    # Routing is an explicit call in submit_plan, not a post_save signal.
    plan = complete_plan(noord["worker"], noord["case"], "1000")
    Plan.objects.filter(pk=plan.pk).update(
        status=Plan.Status.SUBMITTED, submitted_at=timezone.now()
    )
    plan.refresh_from_db()
    plan.save()
    assert not DecisionStep.objects.filter(plan=plan).exists()


# --- pages and API -----------------------------------------------------------------------------


def test_worker_submits_on_the_page_and_sees_who_decides_and_by_when(client, noord):
    plan = complete_plan(noord["worker"], noord["case"], "6500")
    client.force_login(noord["worker"])
    url = reverse("decisions:submit", args=[plan.pk])
    response = client.post(url, {"confirmed": "yes"}, follow=True)
    assert response.status_code == 200
    step = selectors.open_step(plan)
    body = response.content.decode()
    assert "Dirk Directeur" in body and long_date(step.deadline) in body
    assert "Wacht op besluit van" in body
    assert "overgeslagen" in body  # the manager level nobody holds, in the trail


def test_refused_submit_shows_the_message_on_the_plan_page(client, noord):
    Membership.objects.filter(user=noord["director"]).delete()
    plan = complete_plan(noord["worker"], noord["case"], "6500")
    client.force_login(noord["worker"])
    url = reverse("decisions:submit", args=[plan.pk])
    response = client.post(url, {"confirmed": "yes"})
    assert response.status_code == 400
    assert "niemand aangewezen die over dit plan mag beslissen" in response.content.decode()
    assert Plan.objects.get(pk=plan.pk).status == Plan.Status.DRAFT


def test_api_submit_names_the_deciders_or_refuses_with_a_code(client, noord):
    client.force_login(noord["worker"])
    plan = complete_plan(noord["worker"], noord["case"], "6500")
    Membership.objects.filter(user=noord["director"]).update(role=Role.POLICY_ANALYST)
    response = client.post(reverse("plan-submit", args=[plan.pk]))
    assert response.status_code == 400
    assert response.json()["code"] == "decisions.no_decider"
    Membership.objects.filter(user=noord["director"]).update(role=Role.DIRECTOR)
    response = client.post(reverse("plan-submit", args=[plan.pk]))
    assert response.status_code == 200
    decision = response.json()["decision"]
    assert decision["role"] == Role.DIRECTOR
    assert decision["deciders"] == [{"name": "Dirk Directeur"}]


def test_admin_sees_every_team_whose_ladder_has_an_empty_level(client, noord):
    admin = user_with_role(Role.ADMIN, noord["team"])
    other = TeamFactory(organisation=noord["team"].organisation, name="Wijkteam Zuid")
    client.force_login(admin)
    body = client.get(reverse("decisions:empty_levels")).content.decode()
    assert "Wijkteam Noord" in body and "Wijkteam Zuid" in body
    assert body.count("Leidinggevende") == 2  # no manager in either team
    # The admin's ladder page warns too.
    body = client.get(reverse("admin:decisions_escalationlevel_changelist")).content.decode()
    assert "Niemand bekleedt het niveau Leidinggevende voor Wijkteam Noord" in body
    assert other.name in body
    # And the change page of that level.
    level = EscalationLevel.objects.create(
        organisation=noord["team"].organisation,
        position=2,
        role=Role.MANAGER,
        deadline_working_days=5,
    )
    url = reverse("admin:decisions_escalationlevel_change", args=[level.pk])
    body = client.get(url).content.decode()
    assert "Niemand bekleedt het niveau Leidinggevende voor Wijkteam Zuid" in body


def test_the_department_decider_sees_what_waits_on_the_start_page(client, noord):
    org = noord["team"].organisation
    _department, decider = _deciding_department(org, "Burgerzaken", Applier.MUNICIPALITY_BRP)
    submitted_plan(noord["case"], noord["worker"], "0", **BRP_CORRECTION)
    client.force_login(decider)
    body = client.get(reverse("home")).content.decode()
    assert "Wacht op uw besluit: 1" in body
    assert 'href="/besluiten/"' in body
    # She decides; she does not see the team's cases.
    assert client.get(reverse("cases:list")).status_code == 403


def test_admin_page_says_when_mandates_are_not_configured(client, db):
    team = TeamFactory()
    client.force_login(user_with_role(Role.ADMIN, team))
    body = client.get(reverse("decisions:empty_levels")).content.decode()
    assert "nog geen mandaten" in body
