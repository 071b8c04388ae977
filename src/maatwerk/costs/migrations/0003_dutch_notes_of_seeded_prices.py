"""The seeded prices' notes in the catalogue's own Dutch (costs/seed.py NOTE_NL) instead of the
source data's English, for catalogues seeded before.

Only the wording of a note changes, never an amount, date, grade or source: a published price
stays the same price. Only the shared catalogue's seeded versions (no organisation, published by
nobody) whose note still starts with the source's English are touched; a new database is
seeded in Dutch already and this changes nothing there.
"""

from django.db import migrations


def reword(apps, schema_editor):
    from maatwerk.costs.seed import cost_rows

    CostItemVersion = apps.get_model("costs", "CostItemVersion")
    for row in cost_rows():
        english, dutch = row["source_note"], row["note"]
        if not english or english == dutch:
            continue
        seeded = CostItemVersion.objects.filter(
            item__code=row["code"],
            item__organisation__isnull=True,
            organisation__isnull=True,
            published_by__isnull=True,
            note__startswith=english,
        )
        for version_id, note in seeded.values_list("id", "note"):
            # update(), not save(): the model refuses to save a published price again.
            CostItemVersion.objects.filter(id=version_id).update(
                note=(dutch + note[len(english) :])[:500]
            )


class Migration(migrations.Migration):
    dependencies = [("costs", "0002_seed_catalogue")]
    operations = [migrations.RunPython(reword, migrations.RunPython.noop)]
