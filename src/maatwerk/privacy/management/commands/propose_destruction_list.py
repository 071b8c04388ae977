"""Propose the destruction list (vernietigingslijst) of every organisation: the closed cases
past their retention period, without a legal hold (issue 17, point 2).

    manage.py propose_destruction_list [--today YYYY-MM-DD]

Run it daily (cron, like escalate_overdue): it adds the newly expired cases to each
organisation's open list and changes nothing else, so running it twice is harmless. Nothing
is destroyed until the privacy officer approves the list on /privacy/vernietigingslijst/.
"""

from datetime import date

from django.core.management.base import BaseCommand
from django.utils import timezone

from maatwerk.accounts.models import Organisation
from maatwerk.privacy import services


class Command(BaseCommand):
    help = "Propose each organisation's destruction list of cases past their retention period."

    def add_arguments(self, parser):
        parser.add_argument("--today", type=date.fromisoformat, default=None)

    def handle(self, *args, today: date | None, **options):
        today = today or timezone.localdate()
        for organisation in Organisation.objects.order_by("pk"):
            lst = services.propose_destruction_list(organisation.pk, today=today)
            if lst is not None:
                n = lst.items.filter(status="proposed").count()
                self.stdout.write(f"organisatie {organisation.pk}: {n} casussen voorgesteld")
