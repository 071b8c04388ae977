"""What a decider reads (walkthrough issue 11, findings 11 and 12a): the worker's own reason per
provision (or plainly that none was given), and one result sentence that says what each net
figure is, the same on the plan page, the plan document, the decision page and the calculator.
Computed by the real engine on the demo's childcare plan (a year of social assistance, a
transfer, against paid childcare)."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from maatwerk.accounts.roles import Role
from maatwerk.core.formatting import money
from maatwerk.decisions import services as decisions
from maatwerk.demo.plans import complete_plan
from maatwerk.plans import selectors
from maatwerk.plans import services as plans

from ..factories import CaseFactory, user_with_role

pytestmark = pytest.mark.django_db

WHY = "Awir art. 30 laat Toeslagen afzien van verrekening als die een baan kost."


@pytest.fixture
def team_plan(start_team):
    team = start_team
    worker = user_with_role(Role.WORKER, team)
    lead = user_with_role(Role.TEAM_LEAD, team)
    plan = complete_plan(worker, CaseFactory(household__team=team), "1200")
    return worker, lead, plan


def _text(response) -> str:
    assert response.status_code == 200
    return re.sub(r"\s+", " ", strip_tags(response.content.decode())).replace("\xa0", " ")


def _pages(client, worker, lead, plan) -> dict[str, str]:
    client.force_login(worker)
    pages = {
        "plan": _text(client.get(reverse("plans:detail", args=[plan.pk]))),
        "document": _text(client.get(reverse("plans:document", args=[plan.pk]))),
    }
    if plan.status == "submitted":
        client.force_login(lead)
        pages["decision"] = _text(client.get(reverse("decisions:decide", args=[plan.pk])))
    return pages


def test_each_provision_shows_the_workers_own_reason_everywhere(client, team_plan):
    worker, lead, plan = team_plan
    provision = plan.plan_provisions.first().provision
    plans.set_provisions(worker, plan, [(provision, WHY)])
    decisions.submit_plan(worker, plan)
    plan.refresh_from_db()
    for name, body in _pages(client, worker, lead, plan).items():
        assert f"Waarom het hier van toepassing is: {WHY}" in body, name
        assert "Geen toelichting gegeven" not in body, name


def test_a_provision_without_a_reason_says_so_instead_of_a_filler(client, team_plan):
    worker, lead, plan = team_plan
    provision = plan.plan_provisions.first().provision
    plans.set_provisions(worker, plan, [(provision, "")])  # a draft may still lack it
    for name, body in _pages(client, worker, lead, plan).items():
        assert "Waarom het hier van toepassing is: Geen toelichting gegeven" in body, name


def test_the_result_sentence_names_what_each_net_figure_is(client, team_plan):
    worker, lead, plan = team_plan
    outcome = selectors.assess(worker, plan)[1]
    r = outcome.result
    # The case the walkthrough found: the payers save much, society pays a little more.
    assert r.net_benefit > 0 > r.societal_view.net == Decimal("-1200.00")
    payers = (
        f"Voor de betalers samen kost de maatwerkroute {money(r.net_benefit)} minder dan de "
        "standaardroute."
    ).replace("\xa0", " ")
    society = (
        f"Voor de samenleving als geheel kost ze {money(1200)} meer: uitkeringen en andere "
        "overdrachten tellen daar niet mee, die verplaatsen alleen geld van de een naar de ander."
    ).replace("\xa0", " ")
    decisions.submit_plan(worker, plan)
    plan.refresh_from_db()
    pages = _pages(client, worker, lead, plan)
    client.force_login(worker)
    pages["calculator"] = _text(
        client.get(reverse("costs:calculator"), {"voorbeeld": "kinderopvang"})
    )
    assert set(pages) == {"plan", "document", "decision", "calculator"}
    for name, body in pages.items():
        if name != "calculator":
            assert payers in body, name
            assert society in body, name
        # Not the old bare "saves … over the horizon" beside a negative net for society.
        assert "over de looptijd." not in body, name
    # The calculator's childcare example says the same two things in the same words.
    calc = pages["calculator"]
    assert "Voor de betalers samen kost de maatwerkroute" in calc
    assert "Voor de samenleving als geheel kost ze" in calc
    # The net figures carry their own names: for the payers, for society.
    assert "Netto opbrengst voor de betalers" in pages["decision"]
    assert "Netto voor de samenleving" in pages["decision"]
