"""The overview and an item's page tell the same truth about the price level: the CBS index is
known up to a year (2024 in the seeded data); older prices are indexed up to it, a price from a
later year stays at its own year. The overview once claimed "prijspeil 2025" (the newest price
date) while an item priced in 2022 said "prijspeil 2024"."""

import html as htmllib

import pytest
from django.urls import reverse
from django.utils import timezone

from maatwerk.accounts.roles import Role
from maatwerk.core import formatting
from maatwerk.costs import selectors
from maatwerk.costs.models import CostItem

from ..factories import TeamFactory, user_with_role


@pytest.fixture
def worker(seeded_catalogues):
    return user_with_role(Role.WORKER, TeamFactory())


@pytest.fixture
def worker_client(client, worker):
    client.force_login(worker)
    return client


def _priced(worker, code):
    pk = CostItem.objects.get(code=code, organisation=None).pk
    item = selectors.item_detail(worker, pk)
    return item, selectors.priced([item])[0]


def _text(response) -> str:
    return " ".join(htmllib.unescape(response.content.decode()).split())


@pytest.mark.django_db
def test_overview_names_the_year_the_index_reaches(worker_client):
    index_year = min(timezone.localdate().year, max(selectors.price_changes()))
    page = _text(worker_client.get(reverse("costs:catalogue")))
    assert f"geïndexeerd vanaf het jaar van de prijs tot prijspeil {index_year}" in page
    assert "een prijs uit een later jaar staat op zijn eigen prijspeil" in page
    assert f"Bedragen staan op prijspeil {index_year + 1}" not in page


@pytest.mark.django_db
def test_item_page_says_source_price_and_indexed_level(worker_client, worker):
    item, row = _priced(worker, "ZORG-AMBU")
    assert row.version.price_year < row.indexed_year  # 2022 price, indexed
    page = _text(worker_client.get(reverse("costs:item", args=[item.pk])))
    expected = (
        f"{formatting.money(row.indexed_amount)} (bron: prijs {row.version.price_year} "
        f"({formatting.money(row.version.amount)}), geïndexeerd naar prijspeil {row.indexed_year})"
    )
    assert " ".join(expected.split()) in page
    assert "in 2022)" not in page


@pytest.mark.django_db
def test_a_price_newer_than_the_index_says_it_is_not_indexed(worker_client, worker):
    item, row = _priced(worker, "KO-DAGOPVANG-UUR")
    page = _text(worker_client.get(reverse("costs:item", args=[item.pk])))
    assert row.indexed_year == row.version.price_year == 2025
    assert "prijspeil 2025, het jaar van de prijs" in page
    assert "geïndexeerd naar" not in page
