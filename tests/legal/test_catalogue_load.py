"""Data as code: `load_catalogue` brings a deployment up to date with the data files and keeps
what its functional administrator changed (issue 18, point 4)."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from maatwerk.accounts.roles import Role
from maatwerk.accounts.selectors import organisation_ids
from maatwerk.audit.models import AuditEvent
from maatwerk.costs import seed as cost_seed
from maatwerk.costs import selectors as cost_selectors
from maatwerk.costs import services as cost_services
from maatwerk.costs.models import CostItem, CostItemVersion
from maatwerk.legal import seed as legal_seed
from maatwerk.legal import services as legal_services
from maatwerk.legal.models import BlockingRule, Provision, ProvisionRevision

from ..factories import TeamFactory, user_with_role


def _load(*args) -> str:
    out = StringIO()
    call_command("load_catalogue", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def admin(db):
    return user_with_role(Role.ADMIN, TeamFactory())


def _edited_provision_rows(monkeypatch, changes: dict[str, dict], extra: list[dict] = ()):
    rows = legal_seed.provision_rows()
    for row in rows:
        row.update(changes.get(row["code"], {}))
    rows.extend(extra)
    monkeypatch.setattr(legal_seed, "provision_rows", lambda: rows)


def test_a_fresh_database_is_already_up_to_date(db):
    out = _load()
    provisions = len(legal_seed.provision_rows())
    rules = len(legal_seed.rule_rows())
    items = len(cost_seed.latest_rows())
    assert (
        f"wetsartikelen: nieuw 0, bijgewerkt 0, lokaal gehouden 0, ongewijzigd {provisions}" in out
    )
    assert f"regels: nieuw 0, bijgewerkt 0, lokaal gehouden 0, ongewijzigd {rules}" in out
    assert f"kostenposten: nieuw 0, bijgewerkt 0, lokaal gehouden 0, ongewijzigd {items}" in out


def test_a_release_updates_untouched_rows_and_keeps_local_wording(db, admin, monkeypatch):
    local = Provision.objects.get(code="PW-18-1")
    legal_services.update_provision(admin, local, room_nl="Onze eigen uitleg.", note="lokaal")
    _edited_provision_rows(
        monkeypatch,
        {
            "PW-18-1": {"room_nl": "Nieuwe tekst uit de release."},
            "PW-16-1": {"room_nl": "Nieuwe tekst uit de release."},
        },
        extra=[
            {
                "code": "AWB-4-84-TEST",
                "law_name": "Wet op de proef",
                "law_code": "Wpr",
                "bwb_id": "",
                "article": "art. 1",
                "title": "Proefartikel",
                "room_nl": "Ruimte om af te wijken.",
                "room_en": "",
                "applied_by": "",
                "applied_by_nl": "",
                "example_nl": "",
                "version_date": None,
                "source_url": "https://wetten.overheid.nl/",
                "verified": "no",
                "evidence": "",
            }
        ],
    )
    out = _load()
    assert "nieuw 1, bijgewerkt 1, lokaal gehouden 1" in out
    assert "PW-18-1: lokaal gewijzigd, niet overschreven (room_nl)" in out
    assert Provision.objects.get(code="PW-18-1").room_nl == "Onze eigen uitleg."
    updated = Provision.objects.get(code="PW-16-1")
    assert updated.room_nl == "Nieuwe tekst uit de release."
    revision = ProvisionRevision.objects.get(provision=updated, version=updated.version)
    assert revision.changed_by is None and revision.changes["room_nl"]["new"].startswith("Nieuwe")
    created = Provision.objects.get(code="AWB-4-84-TEST")
    assert created.law.name == "Wet op de proef" and created.revisions.count() == 1
    assert AuditEvent.objects.filter(
        object_type="legal.provision", object_id=str(created.pk)
    ).exists()
    # Loading the same release again writes nothing.
    before = ProvisionRevision.objects.count()
    assert "nieuw 0, bijgewerkt 0, lokaal gehouden 1" in _load()
    assert ProvisionRevision.objects.count() == before


def test_a_new_rule_links_its_escape_routes(db, monkeypatch):
    rows = legal_seed.rule_rows()
    rows.append(
        {
            "code": "PROEF-REGEL",
            "name_nl": "Proefregel",
            "name_en": "Test rule",
            "applied_by": "municipality",
            "life_domain": "income",
            "basis": "PW-22A",
            "escapes": ["PW-18-1", "AWB-4-84"],
            "recent_change": "",
            "description": "",
            "applied_by_nl": "gemeente",
            "basis_article": "",
            "basis_source_url": "",
            "basis_version_date": None,
            "escape_routes_nl": "",
            "example_nl": "",
        }
    )
    monkeypatch.setattr(legal_seed, "rule_rows", lambda: rows)
    assert "regels: nieuw 1" in _load()
    rule = BlockingRule.objects.get(code="PROEF-REGEL")
    assert rule.basis_provision.code == "PW-22A"
    assert list(
        rule.escape_routes.order_by("position").values_list("provision__code", flat=True)
    ) == [
        "PW-18-1",
        "AWB-4-84",
    ]


def test_local_prices_survive_a_release_that_changes_the_shared_price(db, admin, monkeypatch):
    item = CostItem.objects.get(code="MO-PLEK-JAAR")
    (organisation_id,) = organisation_ids(admin)
    cost_services.add_local_price(
        actor=admin,
        item=item,
        organisation_id=organisation_id,
        amount=Decimal("1500.00"),
        price_date=cost_seed.date(2025, 6, 1),
        grade="B",
        source_title="Offerte lokale aanbieder",
        source_url="https://example.org/tarief",
    )
    rows = list(cost_seed.cost_rows())
    for row in rows:
        if row["code"] == "MO-PLEK-JAAR":
            row.update(amount=Decimal("16000.00"), price_date=cost_seed.date(2026, 1, 1))
    monkeypatch.setattr(cost_seed, "cost_rows", lambda: iter(rows))
    assert "kostenposten: nieuw 0, bijgewerkt 1" in _load()
    shared = CostItemVersion.objects.filter(item=item, organisation=None).order_by("-price_date")
    assert [v.amount for v in shared] == [Decimal("16000.00"), Decimal("15000.00")]
    own = cost_selectors.catalogue(admin, text="MO-PLEK-JAAR")[0]
    assert own.is_local_price and own.version.amount == Decimal("1500.00")
    other = cost_selectors.catalogue(
        user_with_role(Role.WORKER, TeamFactory()), text="MO-PLEK-JAAR"
    )[0]
    assert other.version.amount == Decimal("16000.00")


def test_a_changed_unit_is_refused_and_nothing_is_written(db, monkeypatch):
    rows = list(cost_seed.cost_rows())
    rows[0] = {**rows[0], "unit": "per_day" if rows[0]["unit"] != "per_day" else "per_month"}
    rows[1] = {**rows[1], "amount": rows[1]["amount"] + 1}
    monkeypatch.setattr(cost_seed, "cost_rows", lambda: iter(rows))
    versions = CostItemVersion.objects.count()
    with pytest.raises(CommandError, match=rows[0]["code"]):
        _load()
    assert CostItemVersion.objects.count() == versions


def test_dry_run_writes_nothing(db, monkeypatch):
    _edited_provision_rows(monkeypatch, {"PW-16-1": {"room_nl": "Anders."}})
    revisions = ProvisionRevision.objects.count()
    out = _load("--dry-run")
    assert "bijgewerkt 1" in out and "Proefdraai" in out
    assert ProvisionRevision.objects.count() == revisions
