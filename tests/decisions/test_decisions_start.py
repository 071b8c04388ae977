"""The start page says how many plans wait for the user's decision, with a link to the inbox;
colleagues' small plans under the peer rule count too and are listed in the inbox (issue 5)."""

from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from maatwerk.accounts.roles import Role
from maatwerk.decisions import selectors, services
from maatwerk.decisions.models import PeerRule
from maatwerk.plans.models import Plan

from ..factories import CaseFactory, TeamFactory, user_with_role
from ..plan_helpers import configure_mandates
from ..plan_helpers import submitted_plan as submitted

INBOX = reverse("decisions:inbox")


@pytest.fixture
def team(db):
    team = TeamFactory(name="Wijkteam Noord")
    configure_mandates(team.organisation)
    return team


def _home(client, user) -> str:
    client.force_login(user)
    return client.get(reverse("home")).content.decode()


def test_deciders_see_how_many_plans_wait_for_them(client, team):
    worker = user_with_role(Role.WORKER, team)
    lead = user_with_role(Role.TEAM_LEAD, team)
    manager = user_with_role(Role.MANAGER, team)
    case = CaseFactory(household__team=team)
    for amount in ("1200", "2400"):
        submitted(case, worker, amount)  # the team lead's
    submitted(case, worker, "6500")  # the manager's

    body = _home(client, lead)
    assert "Wacht op uw besluit: 2" in body
    assert f'href="{INBOX}"' in body
    assert "Wacht op uw besluit: 1" in _home(client, manager)
    # The director has nothing yet, and still sees the card; the author sees no count of
    # their own plans (workers see the card only when something waits for them).
    assert "Wacht op uw besluit: 0" in _home(client, user_with_role(Role.DIRECTOR, team))
    assert "Wacht op uw besluit" not in _home(client, worker)
    # A decision takes the plan off the count.
    services.reject(
        manager, Plan.objects.get(amount_requested=D("6500")), "Eerst bijzondere bijstand."
    )
    assert "Wacht op uw besluit: 0" in _home(client, manager)


def test_peer_votes_count_and_are_listed_in_the_inbox(client, team):
    PeerRule.objects.create(organisation=team.organisation, limit=D("500"), peers_required=3)
    author = user_with_role(Role.WORKER, team)
    colleague = user_with_role(Role.WORKER, team)
    lead = user_with_role(Role.TEAM_LEAD, team)
    other_team_worker = user_with_role(Role.WORKER, TeamFactory(organisation=team.organisation))
    plan = submitted(CaseFactory(household__team=team), author, "300")

    assert "Wacht op uw besluit: 1" in _home(client, colleague)
    assert "Wacht op uw besluit: 1" in _home(client, lead)  # a vote; not on the lead's level
    assert "Wacht op uw besluit" not in _home(client, author)
    assert "Wacht op uw besluit" not in _home(client, other_team_worker)

    client.force_login(lead)
    body = client.get(INBOX).content.decode()
    assert "Plannen van collega's die op uw stem wachten" in body
    assert reverse("decisions:trail", args=[plan.pk]) in body

    services.peer_vote(lead, plan, True)
    assert selectors.awaiting_count(lead) == 0
    assert "Wacht op uw besluit: 0" in _home(client, lead)
    assert plan.pk not in [s.plan_id for s in selectors.peer_votes_waiting(lead)]
    assert selectors.awaiting_count(colleague) == 1


def test_start_page_queries_do_not_grow_with_waiting_plans(client, team):
    PeerRule.objects.create(organisation=team.organisation, limit=D("500"), peers_required=3)
    author = user_with_role(Role.WORKER, team)
    lead = user_with_role(Role.TEAM_LEAD, team)
    case = CaseFactory(household__team=team)
    client.force_login(lead)
    url = reverse("home")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    submitted(case, author, "300")
    small = count()
    for amount in ("200", "1500", "2000", "450"):
        submitted(case, author, amount)
    assert count() == small
    assert selectors.awaiting_count(lead) == 5
