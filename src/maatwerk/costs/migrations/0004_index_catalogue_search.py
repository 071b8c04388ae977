"""Put the seeded cost catalogue in the full-text index (costs/search.py), so a new database and
the test database can be searched before anyone runs load_catalogue."""

from django.db import migrations


def index(apps, schema_editor):
    from maatwerk.costs.search import reindex_all

    reindex_all(
        models=(apps.get_model("costs", "CostItem"), apps.get_model("costs", "CostItemVersion"))
    )


def unindex(apps, schema_editor):
    from maatwerk.core import search

    search.clear("costs.item")


class Migration(migrations.Migration):
    dependencies = [
        ("costs", "0003_dutch_notes_of_seeded_prices"),
        ("core", "0001_search_document"),
    ]

    operations = [migrations.RunPython(index, unindex)]
