"""Destroy the person data of early signals never picked up, past the retention period.

    manage.py destroy_expired_signals [--dry-run]

Signals with no case that were not picked up and arrived more than
MAATWERK_EARLY_SIGNAL_RETENTION_MONTHS (default 6) months ago lose their BSN, person key,
address, date of birth and contact details; an anonymous tombstone (partner, dates, amount,
status, end result) stays, so the DDAS export and the report count them as before. Idempotent:
run it daily (docs/partners.md has the cron and systemd lines). Audited per organisation with
the count, never the data. `--dry-run` counts only.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from maatwerk.partners import services


class Command(BaseCommand):
    help = "Destroy the person data of early signals not picked up, past the retention period."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="count only, change nothing")

    def handle(self, *args, dry_run: bool, **options):
        found = services.destroy_expired_signals(now=timezone.now(), dry_run=dry_run)
        total = sum(found.values())
        verb = "te vernietigen" if dry_run else "vernietigd"
        self.stdout.write(
            f"Vroegsignalen {verb}: {total} (organisaties: {len(found)})"
            + (" — proefdraai, niets gewijzigd." if dry_run else ".")
        )
