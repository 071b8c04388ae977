"""Seed the shared cost catalogue and the CBS price index from costs/data (with sources)."""

from django.db import migrations


def seed(apps, schema_editor):
    from maatwerk.costs.seed import cost_rows, cpi_rows, version_note

    CostItem = apps.get_model("costs", "CostItem")
    CostItemVersion = apps.get_model("costs", "CostItemVersion")
    PriceIndex = apps.get_model("costs", "PriceIndex")
    items = {}
    for row in cost_rows():
        # A code with several rows is one item with its price history (issue 18).
        item = items.get(row["code"])
        if item is None:
            item = items[row["code"]] = CostItem.objects.create(
                code=row["code"],
                name_nl=row["name_nl"],
                name_en=row["name_en"],
                life_domain=row["life_domain"],
                unit=row["unit"],
                bearer=row["bearer"],
                cost_type=row["cost_type"],
            )
        CostItemVersion.objects.create(
            item=item,
            amount=row["amount"],
            price_date=row["price_date"],
            grade=row["grade"],
            source_title=row["source_title"],
            source_url=row["source_url"],
            note=version_note(row),
        )
    for row in cpi_rows():
        PriceIndex.objects.create(**row)


def unseed(apps, schema_editor):
    # Versions are protected from deletion in Python; the historical model has no such guard.
    apps.get_model("costs", "CostItemVersion").objects.filter(organisation__isnull=True).delete()
    apps.get_model("costs", "CostItem").objects.filter(organisation__isnull=True).delete()
    apps.get_model("costs", "PriceIndex").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("costs", "0001_initial"), ("accounts", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
