"""Put the seeded regelbank in the full-text index (legal/search.py), so a new database and
the test database can be searched before anyone runs load_catalogue."""

from django.db import migrations


def index(apps, schema_editor):
    from maatwerk.legal.search import reindex_all

    reindex_all(
        models=(
            apps.get_model("legal", "Provision"),
            apps.get_model("legal", "BlockingRule"),
            apps.get_model("legal", "BlockingRuleEscape"),
        )
    )


def unindex(apps, schema_editor):
    from maatwerk.core import search

    search.clear("legal.provision")
    search.clear("legal.rule")


class Migration(migrations.Migration):
    dependencies = [
        ("legal", "0004_provision_examples_versions_and_rule_bases"),
        ("core", "0001_search_document"),
    ]

    operations = [migrations.RunPython(index, unindex)]
