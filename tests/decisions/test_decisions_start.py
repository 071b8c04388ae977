"""The start page says how many plans wait for the user's decision, with a link to the inbox;
colleagues' small plans under the peer rule count too and are listed in the inbox (issue 5)."""

from decimal import Decimal as D

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from maatwerk.accounts.roles import Role
from maatwerk.decisions import selectors, services
from maatwerk.decisions.models import PeerRule
from maatwerk.plans.models import Plan

from ..factories import CaseFactory, TeamFactory, user_with_role
from ..plan_helpers import home_page
from ..plan_helpers import submitted_plan as submitted

INBOX = reverse("decisions:inbox")


def test_deciders_see_how_many_plans_wait_for_them(client, start_team):
    worker = user_with_role(Role.WORKER, start_team)
    lead = user_with_role(Role.TEAM_LEAD, start_team)
    manager = user_with_role(Role.MANAGER, start_team)
    case = CaseFactory(household__team=start_team)
    for amount in ("1200", "2400"):
        submitted(case, worker, amount)  # the team lead's
    submitted(case, worker, "6500")  # the manager's

    body = home_page(client, lead)
    assert "Wacht op uw besluit: 2" in body
    assert f'href="{INBOX}"' in body
    assert "Wacht op uw besluit: 1" in home_page(client, manager)
    # The director has nothing yet, and still sees the card; the author sees no count of
    # their own plans (workers see the card only when something waits for them).
    assert "Er wacht geen plan op uw besluit" in home_page(
        client, user_with_role(Role.DIRECTOR, start_team)
    )
    assert "Wacht op uw besluit" not in home_page(client, worker)
    # A decision takes the plan off the count.
    services.reject(
        manager, Plan.objects.get(amount_requested=D("6500")), "Eerst bijzondere bijstand."
    )
    assert "Er wacht geen plan op uw besluit" in home_page(client, manager)


def test_peer_votes_count_and_are_listed_in_the_inbox(client, start_team):
    PeerRule.objects.create(organisation=start_team.organisation, limit=D("500"), peers_required=3)
    author = user_with_role(Role.WORKER, start_team)
    colleague = user_with_role(Role.WORKER, start_team)
    lead = user_with_role(Role.TEAM_LEAD, start_team)
    other_team_worker = user_with_role(
        Role.WORKER, TeamFactory(organisation=start_team.organisation)
    )
    plan = submitted(CaseFactory(household__team=start_team), author, "300")

    assert "Wacht op uw besluit: 1" in home_page(client, colleague)
    assert "Wacht op uw besluit: 1" in home_page(client, lead)  # a vote; not on the lead's level
    assert "Wacht op uw besluit" not in home_page(client, author)
    assert "Wacht op uw besluit" not in home_page(client, other_team_worker)

    client.force_login(lead)
    body = client.get(INBOX).content.decode()
    assert "Plannen van collega's die op uw stem wachten" in body
    assert reverse("decisions:trail", args=[plan.pk]) in body

    services.peer_vote(lead, plan, True)
    assert selectors.awaiting_count(lead) == 0
    assert "Er wacht geen plan op uw besluit" in home_page(client, lead)
    assert plan.pk not in [s.plan_id for s in selectors.peer_votes_waiting(lead)]
    assert selectors.awaiting_count(colleague) == 1


def test_start_page_queries_do_not_grow_with_waiting_plans(client, start_team):
    PeerRule.objects.create(organisation=start_team.organisation, limit=D("500"), peers_required=3)
    author = user_with_role(Role.WORKER, start_team)
    lead = user_with_role(Role.TEAM_LEAD, start_team)
    case = CaseFactory(household__team=start_team)
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
