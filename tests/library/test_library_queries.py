"""The library pages answer with a number of queries that does not grow with the examples."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from maatwerk.accounts.roles import Role
from maatwerk.legal.models import BlockingRule, Provision
from maatwerk.library.models import Example, ExampleLifeDomain, ExampleOrganisation

from ..factories import TeamFactory, user_with_role


def _grow(team, lead, n: int, status=Example.Status.APPROVED) -> None:
    rule = BlockingRule.objects.order_by("pk").first()
    provisions = list(Provision.objects.order_by("pk")[:2])
    # Rows straight in: only their number matters here (the services are tested elsewhere).
    examples = Example.objects.bulk_create(
        Example(
            organisation=team.organisation, team=team, status=status, title=f"Voorbeeld {i}",
            story="Opvang betaald.", blocking_rule=rule, reviewed_by=lead,
            reviewed_at=timezone.now(), proposed_at=timezone.now(),
        )
        for i in range(n)
    )  # fmt: skip
    ExampleLifeDomain.objects.bulk_create(
        ExampleLifeDomain(example=e, domain="income") for e in examples
    )
    ExampleOrganisation.objects.bulk_create(
        ExampleOrganisation(example=e, organisation_type="municipality") for e in examples
    )
    Example.provisions.through.objects.bulk_create(
        Example.provisions.through(example_id=e.pk, provision_id=p.pk)
        for e in examples
        for p in provisions
    )


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    ("name", "role", "status"),
    [
        ("library:list", Role.WORKER, Example.Status.APPROVED),
        ("example-list", Role.WORKER, Example.Status.APPROVED),
        ("library:review_queue", Role.TEAM_LEAD, Example.Status.PROPOSED),
        ("library:list", Role.WORKER, Example.Status.DRAFT),  # the team's work in progress
    ],
)
def test_library_queries_do_not_grow_with_examples(client, db, name, role, status):
    team = TeamFactory()
    user = user_with_role(role, team)
    lead = user_with_role(Role.TEAM_LEAD, team)
    client.force_login(user)
    _grow(team, lead, 3, status)
    url = reverse(name)
    client.get(url)
    small = _count(client, url)
    _grow(team, lead, 40, status)
    assert _count(client, url) == small
