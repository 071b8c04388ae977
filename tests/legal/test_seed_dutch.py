"""The seeded catalogues in Dutch (issue 11 point 7): the prices' notes in the catalogue's own
Dutch, no article named by a word beside its law, and the data migrations that bring
catalogues seeded before up to date (and change nothing on a new one)."""

import csv
import importlib
from pathlib import Path

from django.apps import apps

from maatwerk.costs.models import CostItemVersion
from maatwerk.costs.seed import latest_rows
from maatwerk.legal.models import Law, Provision

SRC = Path(__file__).resolve().parents[2] / "src" / "maatwerk"
legal_0003 = importlib.import_module(
    "maatwerk.legal.migrations.0003_dutch_law_names_and_article_numbers"
)
costs_0003 = importlib.import_module("maatwerk.costs.migrations.0003_dutch_notes_of_seeded_prices")


def _rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_every_seeded_price_has_its_dutch_note(db):
    # The Dutch note lives in the file (note_nl) beside the researcher's note on the source.
    for code, row in latest_rows().items():
        version = (
            CostItemVersion.objects.filter(item__code=code, organisation__isnull=True)
            .order_by("-price_date", "-id")
            .first()
        )
        assert version.note.startswith(row["note"]), code
        if row["source_note"] and row["source_note"] != row["note"]:
            assert row["source_note"] not in version.note, code
    shelter = CostItemVersion.objects.get(item__code="HUUR-UITZ-MAATSCH")
    assert shelter.note == (
        "de bron noemt meer dan € 100.000; alleen ter illustratie (bron noemt als drager: meerdere)"
    )


def test_no_provision_reads_its_law_twice(db):
    for provision in Provision.objects.select_related("law"):
        assert provision.article.lower() not in provision.law.code.lower(), str(provision)
    # The Regeling afsluitbeleid gave way to the Energiewet on 1 January 2026 (res18).
    energy = Provision.objects.get(code="ENERGIE-AFSLUIT")
    assert str(energy) == (
        "Energiewet art. 2.26 – Afsluiten wegens wanbetaling alleen onder voorwaarden"
    )
    assert energy.law.bwb_id == "BWBR0050714"
    assert energy.law.source_url == "https://wetten.overheid.nl/BWBR0050714"
    # The old migration's correction ("afsluitbeleid" → "art. 2-6") leaves a new catalogue alone.
    assert all(r.snapshot["article"] != "art. 2-6" for r in energy.revisions.all())


def test_legal_migration_corrects_a_catalogue_seeded_before_once(db):
    energy = Provision.objects.get(code="ENERGIE-AFSLUIT")
    start = energy.version
    Law.objects.filter(pk=energy.law_id).update(
        name="Regeling afsluitbeleid voor kleinverbruikers", bwb_id="", source_url=""
    )
    Provision.objects.filter(pk=energy.pk).update(article="afsluitbeleid")

    legal_0003.correct(apps, None)
    legal_0003.correct(apps, None)  # a second run finds nothing to do

    energy.refresh_from_db()
    assert energy.article == "art. 2-6" and energy.version == start + 1
    assert energy.law.name == (
        "Regeling afsluitbeleid voor kleinverbruikers van elektriciteit en gas"
    )
    assert energy.law.bwb_id == "BWBR0030164"
    revision = energy.revisions.get(version=start + 1)
    assert revision.changes == {"article": {"old": "afsluitbeleid", "new": "art. 2-6"}}
    assert revision.snapshot["article"] == "art. 2-6"
    assert energy.revisions.count() == start + 1


def test_costs_migration_rewords_old_english_notes_and_leaves_the_price(db):
    version = CostItemVersion.objects.get(item__code="HUUR-UITZ-MAATSCH")
    english = "quoted as more than 100000; illustrative only (bron noemt als drager: meerdere)"
    CostItemVersion.objects.filter(pk=version.pk).update(note=english)
    before = (version.amount, version.price_date, version.grade, version.source_url)

    costs_0003.reword(apps, None)
    costs_0003.reword(apps, None)

    version.refresh_from_db()
    assert version.note == (
        "de bron noemt meer dan € 100.000; alleen ter illustratie (bron noemt als drager: meerdere)"
    )
    assert (version.amount, version.price_date, version.grade, version.source_url) == before
