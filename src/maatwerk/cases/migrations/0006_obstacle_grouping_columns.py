"""Copy each obstacle's team, organisation, household and neighbourhood onto the obstacle
(issue 14: the signal report reads one table by an index). Added nullable and filled here; the
next migration makes them required and adds the index (a separate migration: PostgreSQL does
not alter a table with pending deferred foreign-key checks from rows updated in the same
transaction). The rule is cases.grouping.RULE, frozen here as the migration's own SQL."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill(apps, schema_editor):
    Obstacle = apps.get_model("cases", "Obstacle")
    Case = apps.get_model("cases", "Case")
    if schema_editor.connection.vendor == "postgresql":
        # One set-based update (1,000,000 obstacles in seconds, not one subquery per column).
        schema_editor.execute(
            """
            UPDATE cases_obstacle AS o
               SET team_id = c.team_id,
                   organisation_id = t.organisation_id,
                   household_id = c.household_id,
                   neighbourhood_code = COALESCE(h.neighbourhood_code, '')
              FROM cases_case AS c
              JOIN accounts_team AS t ON t.id = c.team_id
              JOIN cases_household AS h ON h.id = c.household_id
             WHERE c.id = o.case_id
            """
        )
        return
    case = Case.objects.filter(pk=OuterRef("case_id"))
    Obstacle.objects.update(
        team_id=Subquery(case.values("team_id")[:1]),
        organisation_id=Subquery(case.values("team__organisation_id")[:1]),
        household_id=Subquery(case.values("household_id")[:1]),
        neighbourhood_code=Subquery(case.values("household__neighbourhood_code")[:1]),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_team_area_name"),
        ("cases", "0005_case_closing"),
    ]

    operations = [
        migrations.AddField(
            model_name="obstacle",
            name="team",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.team",
            ),
        ),
        migrations.AddField(
            model_name="obstacle",
            name="organisation",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.organisation",
            ),
        ),
        migrations.AddField(
            model_name="obstacle",
            name="household",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="cases.household",
            ),
        ),
        migrations.AddField(
            model_name="obstacle",
            name="neighbourhood_code",
            field=models.CharField(blank=True, default="", editable=False, max_length=10),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=False),
    ]
