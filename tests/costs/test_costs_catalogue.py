import csv
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse

from maatwerk.accounts.roles import Role
from maatwerk.audit.models import AuditEvent
from maatwerk.costs import selectors
from maatwerk.costs.indexation import index_amount, yearly_amount
from maatwerk.costs.models import CostItem, CostItemVersion, PriceIndex

from ..factories import TeamFactory, user_with_role

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"
PROJECT_DATA = Path(__file__).resolve().parents[2] / "src" / "maatwerk" / "costs" / "data"


def _csv(name):
    # The project's files are the single source since issue 18 (shared/data was the start).
    path = PROJECT_DATA / name
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_every_shared_row_is_in_the_catalogue_with_its_source(db):
    rows = _csv("cost_items.csv")
    assert CostItem.objects.filter(organisation__isnull=True).count() == len(
        {r["code"] for r in rows}
    )
    for row in rows:
        # A code with several rows is one item with several prices (its history).
        version = CostItemVersion.objects.get(
            item__code=row["code"],
            organisation__isnull=True,
            price_date=row["price_date"],
            amount=Decimal(row["amount_eur"]),
        )
        assert version.amount == Decimal(row["amount_eur"])
        assert version.price_date == date.fromisoformat(row["price_date"])
        assert version.source_url == row["source_url"]
        assert version.grade == row["grade"]
        assert version.item.unit == row["unit"]
        assert version.item.cost_type == row["cost_type"]
    assert PriceIndex.objects.count() == len(_csv("cpi_nl.csv"))


def test_the_project_files_hold_every_row_of_the_shared_start(db):
    """The files began as copies of shared/data; they grew (issue 18) and drop no row."""
    if not SHARED.exists():
        pytest.skip(f"shared data folder not present at {SHARED}")
    for name, key in (("cost_items.csv", "code"), ("cpi_nl.csv", "year")):
        with open(SHARED / name, newline="", encoding="utf-8") as f:
            shared = {r[key] for r in csv.DictReader(f)}
        assert shared <= {r[key] for r in _csv(name)}, name


def test_indexation_compounds_yearly_changes():
    changes = {2023: Decimal("3.8"), 2024: Decimal("3.3")}
    amount, year = index_amount(Decimal("100"), 2022, 2024, changes)
    assert (amount, year) == (Decimal("107.23"), 2024)  # 100 × 1.038 × 1.033
    # Stops at the last known year, and says so.
    assert index_amount(Decimal("100"), 2022, 2026, changes) == (Decimal("107.23"), 2024)
    back, year = index_amount(Decimal("107.23"), 2024, 2022, changes)
    assert (back, year) == (Decimal("100.00"), 2022)


def test_yearly_amounts():
    assert yearly_amount(Decimal("1000"), "per_month") == Decimal("12000.00")
    assert yearly_amount(Decimal("10"), "per_day") == Decimal("3650.00")
    assert yearly_amount(Decimal("10"), "per_case") is None


@pytest.fixture
def admin_a(db):
    return user_with_role(Role.ADMIN, TeamFactory())


def _price_form(**overrides):
    data = {
        "amount": "1500,00",
        "price_date": "2025-06-01",
        "grade": "B",
        "source_title": "Offerte lokale aanbieder",
        "source_url": "https://example.org/tarief",
        "note": "",
    }
    data.update(overrides)
    return data


def test_local_price_takes_precedence_for_own_organisation_only(client, admin_a):
    item = CostItem.objects.get(code="MO-PLEK-JAAR")
    client.force_login(admin_a)
    response = client.post(reverse("costs:add_price", args=[item.pk]), _price_form())
    assert response.status_code == 302
    own = selectors.catalogue(admin_a, text="MO-PLEK-JAAR")[0]
    assert own.version.amount == Decimal("1500.00") and own.is_local_price
    other_worker = user_with_role(Role.WORKER, TeamFactory())
    theirs = selectors.catalogue(other_worker, text="MO-PLEK-JAAR")[0]
    assert theirs.version.amount == Decimal("15000.00") and not theirs.is_local_price
    # The shared version is still there, unchanged: a new price is a new version.
    assert item.versions.count() == 2
    assert AuditEvent.objects.filter(object_type="costs.costitemversion", action="create").exists()


def test_published_versions_are_never_overwritten(db):
    version = CostItemVersion.objects.first()
    version.amount = Decimal("1")
    with pytest.raises(PermissionError):
        version.save()
    with pytest.raises(PermissionError):
        version.delete()


@pytest.mark.parametrize(
    ("field", "value"),
    [("amount", "-5"), ("price_date", "2999-01-01"), ("source_url", "not a url"), ("grade", "D")],
)
def test_bad_price_input_is_refused_and_nothing_saved(client, admin_a, field, value):
    item = CostItem.objects.get(code="MO-PLEK-JAAR")
    client.force_login(admin_a)
    before = CostItemVersion.objects.count()
    response = client.post(
        reverse("costs:add_price", args=[item.pk]), _price_form(**{field: value})
    )
    assert response.status_code == 400
    assert response.context["price_form"].errors[field]
    assert CostItemVersion.objects.count() == before


def test_admin_adds_and_retires_a_local_item(client, admin_a):
    client.force_login(admin_a)
    data = {
        "code": "LOKAAL-1",
        "name_nl": "Buurtbemiddeling traject",
        "name_en": "Neighbourhood mediation",
        "description": "",
        "life_domain": "social_network",
        "unit": "per_case",
        "bearer": "municipality",
        "cost_type": "fiscal",
        **_price_form(amount="850"),
    }
    response = client.post(reverse("costs:new_item"), data)
    assert response.status_code == 302
    item = CostItem.objects.get(code="LOKAAL-1")
    assert item.organisation_id == admin_a.organisation_id
    assert [r.item.code for r in selectors.catalogue(admin_a, text="LOKAAL-1")] == ["LOKAAL-1"]
    stranger = user_with_role(Role.WORKER, TeamFactory())
    # A code no item of theirs has is searched as words ("lokaal", "1"): other rows, not this.
    assert "LOKAAL-1" not in [r.item.code for r in selectors.catalogue(stranger, text="LOKAAL-1")]
    client.post(reverse("costs:retire", args=[item.pk]))
    assert "LOKAAL-1" not in [r.item.code for r in selectors.catalogue(admin_a, text="LOKAAL-1")]
    assert selectors.catalogue(admin_a, text="buurtbemiddeling") == []
    assert item.versions.count() == 1  # history kept


def test_worker_cannot_publish_prices(client, db):
    worker = user_with_role(Role.WORKER, TeamFactory())
    client.force_login(worker)
    item = CostItem.objects.first()
    response = client.post(reverse("costs:add_price", args=[item.pk]), _price_form())
    assert response.status_code == 403


def test_catalogue_page_filters_and_marks_indicative_items(client, db):
    client.force_login(user_with_role(Role.WORKER, TeamFactory()))
    response = client.get(reverse("costs:catalogue"), {"life_domain": "housing", "grade": "C"})
    assert response.status_code == 200
    codes = {r.item.code for r in response.context["rows"]}
    assert codes and all(CostItem.objects.get(code=c).life_domain == "housing" for c in codes)
    assert "HUUR-UITZ-DIRECT" in codes
    assert "indicatief" in response.content.decode()
    comparison = {c.row.item.code: c.per_year for c in response.context["comparison"]}
    # Prices from 2011 are indexed; the 2025 shelter price is beyond the index, so unchanged.
    assert comparison["BW-INTENSIEF"] > Decimal("41200")
    assert comparison["MO-PLEK-JAAR"] == Decimal("15000.00")


def test_catalogue_cache_follows_a_new_local_price(client, db):
    """The rendered catalogue is cached; a new price must show at once, without invalidation."""
    from maatwerk.costs.models import CostItem, CostItemVersion

    admin = user_with_role(Role.ADMIN, TeamFactory())
    client.force_login(admin)
    item = CostItem.objects.get(code="PW-NORM-1P", organisation=None)
    shared = item.versions.filter(organisation=None).latest("price_date")
    assert "€\u00a04.321,00" not in client.get(reverse("costs:catalogue")).content.decode()
    CostItemVersion.objects.create(
        item=item,
        organisation=admin.memberships.first().organisation,
        amount=Decimal("4321.00"),
        price_date=shared.price_date,
        grade="A",
        source_title="Lokale norm",
        source_url="https://example.org/norm",
    )
    page = client.get(reverse("costs:catalogue")).content.decode()  # same URL, new state
    assert "4.321,00" in page
