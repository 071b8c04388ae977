"""The catalogue's notes are Dutch (issue 18 point 2): every row of the data file that has the
researcher's English `note` has a Dutch `note_nl`, and the loader brings a deployment seeded
before the Dutch notes existed up to date without touching local prices."""

import csv
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from maatwerk.accounts.roles import Role
from maatwerk.accounts.selectors import organisation_ids
from maatwerk.costs import seed, selectors, services
from maatwerk.costs.models import CostItem, CostItemVersion

from ..factories import TeamFactory, user_with_role

CODE = "WMO-PV-UUR"  # one of the rows whose Dutch note came later


def _file_rows():
    with open(seed.DATA_DIR / "cost_items.csv", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_every_row_with_a_note_has_a_dutch_note():
    missing = [r["code"] for r in _file_rows() if r["note"].strip() and not r["note_nl"].strip()]
    assert missing == []


def test_dutch_notes_bring_no_figure_the_english_note_lacks():
    # A translation, not new facts: every number in the Dutch note is in the English one
    # (written the Dutch way: 39.719 for 39719, 286,45 for 286.45).
    import re

    for row in _file_rows():
        if not row["note"].strip():
            continue
        english = {n.replace(",", "") for n in re.findall(r"\d[\d.,]*\d|\d", row["note"])}
        for number in re.findall(r"\d[\d.,]*\d|\d", row["note_nl"]):
            plain = number.replace(".", "").replace(",", ".")
            assert (
                number in english
                or plain in english
                or any(plain.rstrip("0").rstrip(".") == e.rstrip("0").rstrip(".") for e in english)
            ), f"{row['code']}: {number} not in {row['note']!r}"


def _load() -> str:
    out = StringIO()
    call_command("load_catalogue", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_the_loader_brings_dutch_notes_to_an_older_deployment_and_keeps_local_prices(
    monkeypatch,
):
    # A deployment that loaded the release before: this item's shared price without a note.
    dutch_rows = list(seed.cost_rows())
    older = [dict(r, note="") if r["code"] == CODE else r for r in dutch_rows]
    monkeypatch.setattr(seed, "cost_rows", lambda: iter(older))
    _load()
    item = CostItem.objects.get(code=CODE, organisation=None)
    admin = user_with_role(Role.ADMIN, TeamFactory())
    (organisation_id,) = organisation_ids(admin)
    services.add_local_price(
        actor=admin,
        item=item,
        organisation_id=organisation_id,
        amount=Decimal("61.00"),
        price_date=seed.date(2025, 3, 1),
        grade="C",
        source_title="Eigen contract",
        source_url="https://example.org/contract",
        note="ons eigen tarief",
    )
    before = selectors.current_version(selectors.item_detail(admin, item.pk))
    assert before.note == "ons eigen tarief"
    other = user_with_role(Role.WORKER, TeamFactory())
    shared_before = selectors.current_version(selectors.item_detail(other, item.pk))
    assert shared_before.note == ""

    versions = CostItemVersion.objects.filter(item=item, organisation=None)
    count = versions.count()
    # This release: the Dutch notes.
    monkeypatch.setattr(seed, "cost_rows", lambda: iter(dutch_rows))
    assert "kostenposten: nieuw 0, bijgewerkt 1," in _load()
    shared = selectors.current_version(selectors.item_detail(other, item.pk))
    assert shared.note.startswith("tarief van één gemeente (Westerveld)")
    # Same price, same date: only the wording is new (a published price is never changed; the
    # earlier version stays as history).
    assert (shared.amount, shared.price_date) == (shared_before.amount, shared_before.price_date)
    assert versions.count() == count + 1
    local = selectors.current_version(selectors.item_detail(admin, item.pk))
    assert (local.amount, local.note) == (Decimal("61.00"), "ons eigen tarief")
    # The search finds the Dutch words now, and a second load changes nothing.
    assert CODE in [r.item.code for r in selectors.catalogue(other, text="Westerveld")]
    assert "kostenposten: nieuw 0, bijgewerkt 0," in _load()


@pytest.mark.django_db
def test_an_earlier_price_without_a_note_gets_its_dutch_note(monkeypatch):
    # DETENTIE-VOLW keeps its 2014 figure as history; a deployment seeded before its Dutch note
    # holds that version with an empty note (a version is never saved again: update() here).
    item = CostItem.objects.get(code="DETENTIE-VOLW", organisation=None)
    old = CostItemVersion.objects.filter(item=item, organisation=None, price_date__year=2014)
    old.update(note="")
    amounts = list(CostItemVersion.objects.filter(item=item).values_list("amount", flat=True))
    _load()
    assert old.get().note.startswith("uit DJI in getal april 2014")
    after = list(CostItemVersion.objects.filter(item=item).values_list("amount", flat=True))
    assert after == amounts
