"""Stored cohort figures carry the plan's household: the cohort page suppresses small groups on
distinct households, not plans (two plans of one household are one household)."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def backfill(apps, schema_editor):
    """Existing rows: the household of the plan's case (one UPDATE)."""
    CohortFigures = apps.get_model("followup", "CohortFigures")
    Plan = apps.get_model("plans", "Plan")
    CohortFigures.objects.update(
        household_id=Subquery(
            Plan.objects.filter(pk=OuterRef("plan_id")).values("case__household_id")[:1]
        )
    )


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0001_initial"),
        ("followup", "0008_followup_offset_months"),
        ("plans", "0005_plan_amount_reason"),
    ]

    operations = [
        migrations.AddField(
            model_name="cohortfigures",
            name="household",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="cases.household",
                verbose_name="household",
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="cohortfigures",
            name="household",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="cases.household",
                verbose_name="household",
            ),
        ),
    ]
