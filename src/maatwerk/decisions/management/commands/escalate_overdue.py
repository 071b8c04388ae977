"""The periodic job: escalate every decision past its deadline one level up (idempotent)."""

from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from maatwerk.decisions.services import escalate_overdue


class Command(BaseCommand):
    help = "Escalate decisions past their deadline to the next level of the ladder."

    def add_arguments(self, parser):
        parser.add_argument("--now", help="ISO date-time to act as the current time (testing).")

    def handle(self, *args, now=None, **options):
        moment = None
        if now:
            try:
                moment = datetime.fromisoformat(now)
            except ValueError as e:
                raise CommandError(f"--now is not an ISO date-time: {now}") from e
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment)
        count = escalate_overdue(moment)
        self.stdout.write(f"Escalated {count} decision(s).")
