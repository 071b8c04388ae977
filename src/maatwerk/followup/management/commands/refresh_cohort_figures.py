"""Recompute the stored cohort figures of every plan (issue 13, point 5): after migrating to
`followup/0006_cohort_figures`, after `generate_data` (which bypasses the services), or after a
change of the price index that corrected lines are priced with. Safe to run again."""

from django.core.management.base import BaseCommand

from maatwerk.followup import services


class Command(BaseCommand):
    help = "Recompute the stored cohort figures of every plan."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, batch_size: int, **options):
        stored = services.refresh_all_cohort_figures(batch=batch_size)
        self.stdout.write(f"cohort figures stored for {stored} plans")
