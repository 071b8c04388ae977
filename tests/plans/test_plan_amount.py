"""The amount requested decides who decides: where it differs from what the tailored route costs
the municipality (the budget bearer), submitting needs the difference explained."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from maatwerk.accounts.roles import Role
from maatwerk.demo.plans import complete_plan
from maatwerk.plans import selectors, services, triangle
from maatwerk.plans.models import Plan

from ..factories import CaseFactory, TeamFactory, user_with_role
from ..plan_helpers import configure_mandates

pytestmark = pytest.mark.django_db


@pytest.fixture
def org():
    team = TeamFactory()
    configure_mandates(team.organisation)
    return {"worker": user_with_role(Role.WORKER, team), "case": CaseFactory(household__team=team)}


def test_the_budget_cost_is_what_the_tailored_route_costs_the_municipality(org):
    plan = complete_plan(org["worker"], org["case"], "1250.50", tailored_cost=D("2400"))
    assert selectors.budget_cost(org["worker"], plan) == D("2400.00")


def test_a_lower_amount_than_the_route_costs_is_refused_without_a_reason(org):
    # The walk's plan: € 1.250,50 asked while the tailored route costs € 2.400.
    plan = complete_plan(org["worker"], org["case"], "1250.50", tailored_cost=D("2400"))
    with pytest.raises(ValidationError) as refused:
        services.submit(org["worker"], plan)
    assert refused.value.code == "plans.incomplete"
    assert "verschilt van wat de maatwerkroute de gemeente kost" in str(refused.value)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT


def test_a_differing_amount_is_submitted_once_the_difference_is_explained(org):
    plan = complete_plan(org["worker"], org["case"], "3000", tailored_cost=D("2400"))
    with pytest.raises(ValidationError):
        services.submit(org["worker"], plan)
    services.update_solution(
        org["worker"], plan, amount_reason="De opvang rekent ook inschrijfkosten."
    )
    services.submit(org["worker"], plan)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.SUBMITTED


def test_an_amount_equal_to_the_route_cost_needs_no_reason(org):
    plan = complete_plan(org["worker"], org["case"], "2400")
    services.submit(org["worker"], plan)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.SUBMITTED


def test_the_triangle_rule():
    base = triangle.TriangleInput(amount_requested=D("100"), budget_cost=D("100"))
    codes = triangle.assess(base).corner(triangle.RETURN).missing
    assert triangle.AMOUNT_UNEXPLAINED not in codes
    lower = triangle.TriangleInput(amount_requested=None, budget_cost=D("100"))
    assert triangle.AMOUNT_UNEXPLAINED in triangle.assess(lower).corner(triangle.RETURN).missing
    explained = triangle.TriangleInput(
        amount_requested=None, budget_cost=D("100"), amount_reason="Betaald uit eigen uren."
    )
    assert triangle.AMOUNT_UNEXPLAINED not in (
        triangle.assess(explained).corner(triangle.RETURN).missing
    )
    unknown = triangle.TriangleInput(amount_requested=D("5"), budget_cost=None)
    assert (
        triangle.AMOUNT_UNEXPLAINED not in triangle.assess(unknown).corner(triangle.RETURN).missing
    )


def test_the_plan_page_and_form_show_both_figures(client, org):
    plan = complete_plan(org["worker"], org["case"], "1250.50", tailored_cost=D("2400"))
    client.force_login(org["worker"])
    page = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert "€\xa01.250,50" in page and "€\xa02.400,00" in page
    assert "verschilt van wat de maatwerkroute de gemeente kost" in page
    form = client.get(reverse("plans:edit", args=[plan.pk])).content.decode()
    assert 'name="sol-amount_reason"' in form or "amount_reason" in form
    assert "€\xa02.400,00" in form


def test_a_draft_shows_the_current_catalogue_price_of_its_catalogue_lines(client, org):
    plan = complete_plan(org["worker"], org["case"], "2400")
    line = plan.lines.get(scenario="standard")
    assert line.cost_item_id is not None and line.amount is None
    client.force_login(org["worker"])
    page = client.get(reverse("plans:detail", args=[plan.pk]))
    row = next(r for _, rows in page.context["line_groups"] for r in rows if r.pk == line.pk)
    assert row.current_price is not None and row.current_price > 0
    html = page.content.decode()
    assert "(huidige prijs)" in html and "prijs uit de catalogus" not in html


def test_the_decision_page_shows_the_route_cost_and_the_reason(client, org):
    from maatwerk.decisions.models import DecisionStep

    from ..plan_helpers import submitted_plan

    deciders = {r: user_with_role(r, org["case"].team) for r in (Role.TEAM_LEAD, Role.MANAGER)}
    plan = submitted_plan(
        org["case"],
        org["worker"],
        "1250.50",
        tailored_cost=D("2400"),
        amount_reason="De opvang geeft korting op de eerste maanden.",
    )
    step = DecisionStep.objects.get(plan=plan, outcome="")
    client.force_login(deciders[step.assigned_role])
    page = client.get(reverse("decisions:decide", args=[plan.pk]))
    assert page.status_code == 200
    facts = page.content.decode().split('id="decision-facts"')[1].split("</dl>")[0]
    assert "De maatwerkroute kost de gemeente" in facts and "€\xa02.400,00" in facts
    assert "De opvang geeft korting op de eerste maanden." in facts
