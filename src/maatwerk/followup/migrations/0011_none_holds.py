"""A measured follow-up may answer "none of the outcomes holds" (`FollowUp.none_holds`), kept
in the stored cohort figures too. The realised months changed (only months passed by the
measurement count, `rules.realised_window`): the stored figures are emptied here, so that
`receivers.backfill_cohort_figures` recomputes them with today's code after `migrate`."""

from django.conf import settings
from django.db import migrations, models


def empty_cohort_figures(apps, schema_editor):
    """Derived rows only (their rules cascade); the post_migrate backfill rebuilds them."""
    apps.get_model("followup", "CohortFigures").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("followup", "0010_moment_labels_in_digits"),
        ("plans", "0006_plan_solution_kind"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="cohortfigures",
            name="none_holds",
            field=models.BooleanField(default=False, verbose_name="none of the outcomes holds"),
        ),
        migrations.AddField(
            model_name="followup",
            name="none_holds",
            field=models.BooleanField(
                default=False, verbose_name="measured: none of the outcomes holds"
            ),
        ),
        migrations.AddConstraint(
            model_name="followup",
            constraint=models.CheckConstraint(
                condition=models.Q(("none_holds", False), ("measured", "yes"), _connector="OR"),
                name="followup_none_holds_is_measured",
            ),
        ),
        # Last: on PostgreSQL a delete leaves deferred triggers that an ALTER TABLE refuses.
        migrations.RunPython(empty_cohort_figures, migrations.RunPython.noop),
    ]
