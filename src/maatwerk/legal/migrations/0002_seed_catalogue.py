"""Seed the legal catalogue from legal/data (copies of ../shared/data, with sources)."""

from django.db import migrations


def seed(apps, schema_editor):
    from maatwerk.legal.seed import load

    load(apps)


def unseed(apps, schema_editor):
    # Revisions refuse deletion in Python; the historical models have no such guard.
    for name in (
        "BlockingRuleRevision",
        "ProvisionRevision",
        "BlockingRuleEscape",
        "BlockingRule",
        "Provision",
        "Law",
    ):
        apps.get_model("legal", name).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("legal", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
