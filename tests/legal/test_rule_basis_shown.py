"""What a blocking rule rests on reads the same in the regelbank's list and on the rule's page
(legal/_rule_basis.html): a rule whose basis is an article named in the data, without a linked
provision, showed "–" in the list while its page named Wmo 2015 art. 2.3.5."""

import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from maatwerk.accounts.roles import Role
from maatwerk.legal.models import BlockingRule

from ..factories import TeamFactory, user_with_role


def _row(page: str, rule: BlockingRule) -> str:
    """The list's table row of one rule."""
    href = reverse("legal:rule", args=[rule.pk])
    match = re.search(r"<tr>\s*<td><a href=\"" + re.escape(href) + r"\">.*?</tr>", page, re.S)
    assert match, f"no row for {rule.code}"
    return match.group()


@pytest.mark.django_db
def test_list_and_detail_name_the_same_basis(client, seeded_catalogues):
    client.force_login(user_with_role(Role.WORKER, TeamFactory()))
    rule = BlockingRule.objects.get(code="GEBRUIKELIJKE-HULP-WMO")
    assert rule.basis_provision is None and "2.3.5" in rule.basis_article
    listing = client.get(reverse("legal:index")).content.decode()
    row = _row(listing, rule)
    assert rule.basis_article in row and escape(rule.basis_source_url) in row
    assert "–</td>" not in row.split("</td>")[2] + "</td>"
    detail = client.get(reverse("legal:rule", args=[rule.pk])).content.decode()
    assert rule.basis_article in detail
    # A rule with a linked provision: the provision, in both places.
    linked = BlockingRule.objects.filter(basis_provision__isnull=False).first()
    href = reverse("legal:provision", args=[linked.basis_provision_id])
    assert href in _row(listing, linked)
    assert href in client.get(reverse("legal:rule", args=[linked.pk])).content.decode()


@pytest.mark.django_db
def test_no_rule_in_the_list_shows_a_dash_while_its_data_names_a_basis(client, seeded_catalogues):
    client.force_login(user_with_role(Role.WORKER, TeamFactory()))
    listing = client.get(reverse("legal:index")).content.decode()
    for rule in BlockingRule.objects.exclude(basis_article="", basis_provision=None):
        cells = _row(listing, rule).split("<td")
        rests_on = next(c for c in cells if 'data-label="Rust op"' in c)
        assert "–" not in re.sub(r"<[^>]+>", "", rests_on).replace(" – ", ""), rule.code
