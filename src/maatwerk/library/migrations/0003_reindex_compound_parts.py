"""Index the approved examples again, now with the possible last parts of their compound words
(library/search.py, core.search.compound_parts), so "achterstand" finds the examples published
before that speak of a "huurachterstand"."""

from django.db import migrations


def reindex(apps, schema_editor):
    from maatwerk.library.search import reindex_all

    reindex_all(model=apps.get_model("library", "Example"))


class Migration(migrations.Migration):
    dependencies = [
        ("library", "0002_example_cost_lines"),
        ("core", "0001_search_document"),
    ]

    operations = [migrations.RunPython(reindex, migrations.RunPython.noop)]
