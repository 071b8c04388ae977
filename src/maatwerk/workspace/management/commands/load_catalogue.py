"""Bring the regelbank, the shared cost catalogue and the retention rules up to date with the
project's data files.

    manage.py load_catalogue [--dry-run]

Safe to run on every deployment and more than once (`make migrate` runs it): it adds what is new,
updates what nobody changed locally, keeps every local change (reported as "lokaal gehouden"),
and never touches an organisation's own prices. Each change writes a revision and an audit event.
See docs/catalogue.md.
"""

from django.core.management.base import BaseCommand, CommandError

from maatwerk.core.catalogue_sync import Kind, summary
from maatwerk.costs import sync as cost_sync
from maatwerk.legal import sync as legal_sync
from maatwerk.privacy import sync as retention_sync

LABELS = {
    Kind.CREATE: "nieuw",
    Kind.UPDATE: "bijgewerkt",
    Kind.KEEP_LOCAL: "lokaal gehouden",
    Kind.UNCHANGED: "ongewijzigd",
    Kind.NOT_IN_FILES: "niet in de bestanden",
}


class Command(BaseCommand):
    help = "Load the regelbank and the cost catalogue from the data files, keeping local changes."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="only show what would change")

    def handle(self, *args, dry_run: bool, **options):
        try:
            legal = legal_sync.load(dry_run=dry_run)
            costs = cost_sync.load(dry_run=dry_run)
            retention = retention_sync.load(dry_run=dry_run)
        except ValueError as error:
            raise CommandError(str(error)) from error
        parts = [
            ("wetten", legal["laws"]),
            ("wetsartikelen", legal["provisions"]),
            ("regels", legal["rules"]),
            ("kostenposten", costs),
            ("bewaartermijnen", retention),
        ]
        for name, actions in parts:
            counts = summary(actions)
            line = ", ".join(f"{LABELS[Kind(k)]} {n}" for k, n in counts.items())
            self.stdout.write(f"{name}: {line}")
            for action in actions:
                if action.kind == Kind.KEEP_LOCAL:
                    fields = ", ".join(sorted(action.changes))
                    self.stdout.write(
                        f"  {action.code}: lokaal gewijzigd, niet overschreven ({fields})"
                    )
        if dry_run:
            self.stdout.write("Proefdraai: niets opgeslagen.")
