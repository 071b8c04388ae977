"""An item's "Wie betaalt" and "Soort" do not contradict each other: a cost the household pays
itself (a bailiff's fee, court fees, leges, an own contribution) is not "Geld van de overheid"
(cost type `fiscal`). Such costs are `economic`, costs to people (as the Greater Manchester CBA
model files costs to individuals); the engine counts fiscal and economic alike, so no total
changes."""

import csv

import pytest
from django.urls import reverse

from maatwerk.accounts.roles import Role
from maatwerk.costs import seed
from maatwerk.costs.models import CostItem

from ..factories import TeamFactory, user_with_role


def _rows():
    with open(seed.DATA_DIR / "cost_items.csv", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_no_cost_the_household_pays_is_government_money():
    household = [r for r in _rows() if seed.BEARERS.get(r["bearer"], r["bearer"]) == "household"]
    assert len(household) > 40
    assert [r["code"] for r in household if r["cost_type"] == "fiscal"] == []


@pytest.mark.django_db
def test_the_item_page_says_who_pays_and_what_kind_without_contradiction(client, seeded_catalogues):
    client.force_login(user_with_role(Role.WORKER, TeamFactory()))
    item = CostItem.objects.get(code="DEURW-ONTRUIMING", organisation=None)
    assert (item.bearer, item.cost_type) == ("household", "economic")
    page = client.get(reverse("costs:item", args=[item.pk])).content.decode()
    assert "Het huishouden zelf" in page
    assert "Geld van de overheid" not in page
    assert not CostItem.objects.filter(bearer="household", cost_type="fiscal").exists()
