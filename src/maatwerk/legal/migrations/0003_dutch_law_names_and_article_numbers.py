"""Catalogues seeded before these corrections: a law's official name and BWB id, and article
numbers where the data named an article by a word ("Regeling afsluitbeleid afsluitbeleid").

The seed loads the corrected values (since issue 18 straight from the data files), so a new
database already has them and this changes nothing there. The corrections are written here,
as they were in legal/seed.py when this migration was made. A corrected provision gets a new
revision, as every change to the catalogue does. Only the old word is corrected: a newer
article number from the files (ENERGIE-AFSLUIT moved to Energiewet art. 2.26 in 2026) is left
to the loader.
"""

from django.db import migrations

LAW_DETAILS = {
    "Regeling afsluitbeleid voor kleinverbruikers": (
        "Regeling afsluitbeleid voor kleinverbruikers van elektriciteit en gas",
        "BWBR0030164",
    ),
}
# code: (the word the old data named the article by, its article number then)
ARTICLES = {"ENERGIE-AFSLUIT": ("afsluitbeleid", "art. 2-6")}

NOTE = "Correctie van de basisgegevens: artikelnummers in plaats van een woord."


def correct(apps, schema_editor):
    from maatwerk.legal.snapshots import changed, provision_state

    Law = apps.get_model("legal", "Law")
    Provision = apps.get_model("legal", "Provision")
    ProvisionRevision = apps.get_model("legal", "ProvisionRevision")
    for short_name, (name, bwb_id) in LAW_DETAILS.items():
        law = Law.objects.filter(name=short_name).first()
        if law is None or Law.objects.filter(name=name).exists():
            continue
        law.name = name
        if not law.bwb_id:
            law.bwb_id = bwb_id
            law.source_url = law.source_url or f"https://wetten.overheid.nl/{bwb_id}"
        law.save()
    for code, (word, article) in ARTICLES.items():
        provision = Provision.objects.select_related("law").filter(code=code).first()
        if provision is None or provision.article != word:
            continue
        old = provision_state(provision)
        provision.article = article
        provision.version += 1
        provision.save()
        new = provision_state(provision)
        ProvisionRevision.objects.create(
            provision=provision,
            version=provision.version,
            changes=changed(old, new),
            snapshot=new,
            note=NOTE,
        )


class Migration(migrations.Migration):
    dependencies = [("legal", "0002_seed_catalogue")]
    operations = [migrations.RunPython(correct, migrations.RunPython.noop)]
