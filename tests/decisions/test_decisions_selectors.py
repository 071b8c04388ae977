"""decisions.selectors: what they derive from routing agrees with routing."""

from decimal import Decimal as D

import pytest
from django.db.models import Value
from django.db.models.fields import DecimalField

from maatwerk.accounts.roles import Role
from maatwerk.decisions import routing, selectors
from maatwerk.decisions.models import PeerRule

from ..factories import CaseFactory, TeamFactory, user_with_role
from ..plan_helpers import configure_mandates, submitted_plan

AMOUNTS = [D("0"), D("0.01"), D("499.99"), D("500"), D("500.01"), D("100000")]


@pytest.mark.django_db
def test_the_peer_query_has_the_bounds_of_the_peer_limit():
    """`peer_amount_q` (the inbox's query) lets through exactly what `PeerLimit.allows` does."""
    limit = routing.PeerLimit(limit=D("500"), peers_required=2)
    PeerRule.objects.create(organisation=TeamFactory().organisation, limit=D("1"), peers_required=1)
    money = DecimalField(max_digits=12, decimal_places=2)
    for amount in AMOUNTS:
        matches = (
            PeerRule.objects.annotate(asked=Value(amount, output_field=money))
            .filter(selectors.peer_amount_q(limit, field="asked"))
            .exists()
        )
        assert matches == limit.allows(amount), amount


@pytest.mark.django_db
def test_may_vote_and_the_waiting_votes_follow_the_peer_limit():
    team = TeamFactory()
    configure_mandates(team.organisation)
    author = user_with_role(Role.WORKER, team)
    colleague = user_with_role(Role.WORKER, team)
    user_with_role(Role.TEAM_LEAD, team)
    PeerRule.objects.create(organisation=team.organisation, limit=D("500"), peers_required=2)
    case = CaseFactory(household__team=team)
    small = submitted_plan(case, author, "500")
    big = submitted_plan(case, author, "500.01")
    assert selectors.peer_limit(team.organisation_id) == routing.PeerLimit(D("500"), 2)
    assert selectors.may_vote(colleague, small)
    assert not selectors.may_vote(colleague, big)
    assert not selectors.may_vote(author, small)
    assert [s.plan_id for s in selectors.peer_votes_waiting(colleague)] == [small.pk]
    assert not selectors.peer_votes_waiting(author).exists()
    assert selectors.is_author(author, small) and not selectors.is_author(colleague, small)
    assert not selectors.is_author(None, small)
