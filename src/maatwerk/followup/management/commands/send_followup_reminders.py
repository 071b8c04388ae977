"""The periodic job: mail the worker on the day a follow-up comes due (idempotent; run from cron
or a systemd timer every few minutes, see docs/followup.md)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from maatwerk.followup.services import send_reminders


class Command(BaseCommand):
    help = "Mail a reminder for every due follow-up and pilot-light check-in that has had none."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="ISO date to act as today (testing).")

    def handle(self, *args, today=None, **options):
        day = None
        if today:
            try:
                day = date.fromisoformat(today)
            except ValueError as e:
                raise CommandError(f"--today is not an ISO date: {today}") from e
        count = send_reminders(day)
        self.stdout.write(f"Sent {count} follow-up and check-in reminder(s).")
