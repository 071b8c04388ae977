"""The decision page's content (issue 11, point 4) and the budget it names: what is left after
this decision comes from a decisions selector, in Decimal; the page shows the three corners,
the result with its chart and the trail, and errors in one summary at the top."""

from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone

from maatwerk.accounts.roles import Role
from maatwerk.decisions import selectors
from maatwerk.decisions.models import Budget

from ..factories import CaseFactory, TeamFactory, user_with_role
from ..plan_helpers import configure_mandates, submitted_plan


@pytest.fixture
def world(db):
    team = TeamFactory(name="Wijkteam Noord")
    configure_mandates(team.organisation)
    worker = user_with_role(Role.WORKER, team)
    lead = user_with_role(Role.TEAM_LEAD, team)
    case = CaseFactory(household__team=team, goal="Ik wil blijven werken.")
    return {"team": team, "worker": worker, "lead": lead, "case": case}


def _budget(world, amount, *, pool=False):
    return Budget.objects.create(
        organisation=world["team"].organisation,
        team=None if pool else world["team"],
        year=timezone.localdate().year,
        amount=D(amount),
    )


def test_budget_after_is_decimal_and_uses_the_pool_without_a_team_budget(world):
    plan = submitted_plan(world["case"], world["worker"], "2000")
    year = timezone.localdate().year
    assert selectors.budget_after(plan, year) is None  # no budget at all
    _budget(world, "1500", pool=True)
    after = selectors.budget_after(plan, year)
    assert after.left == D("-500.00") and isinstance(after.left, D) and not after.enough
    _budget(world, "25000")  # the team's own budget comes first
    after = selectors.budget_after(plan, year)
    assert (after.row.budget.team_id, after.left, after.enough) == (
        world["team"].pk,
        D("23000"),
        True,
    )
    free = submitted_plan(world["case"], world["worker"], None)
    assert selectors.budget_after(free, year) is None


def test_the_decision_page_shows_corners_result_chart_budget_and_trail(client, world):
    _budget(world, "25000")
    plan = submitted_plan(world["case"], world["worker"], "2000")
    client.force_login(world["lead"])
    url = reverse("decisions:decide", args=[plan.pk])
    body = client.get(url).content.decode()
    for expected in (
        'id="corner-legitimacy"',
        'id="corner-involvement"',
        "Ik wil blijven werken.",
        'id="corner-return"',
        "Netto opbrengst",
        'class="om-result-summary"',
        "<polyline",
        'fill="none"',
        'id="budget-after">€\u00a023.000,00',
        "Besluitvorming",
        "wacht op besluit",
    ):
        assert expected in body, expected
    assert 'id="error-summary"' not in body
    assert body.count('id="chart-title"') == 1  # the folded-out plan does not repeat the chart

    response = client.post(url, {"action": "", "reason": ""})
    assert response.status_code == 400
    body = response.content.decode()
    assert body.count('id="error-summary"') == 1
    assert "Controleer het formulier" in body and "Kies wat u besluit" in body
    assert 'href="#id_action_0"' in body
    assert body.index('id="error-summary"') < body.index('id="decision-facts"')  # at the top
