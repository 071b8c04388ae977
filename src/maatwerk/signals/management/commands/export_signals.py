"""Write the national export of the signal report (issue 14, point 6).

    manage.py export_signals --period 2026-K3 [--organisation "Gemeente …"] [--output DIR]

Per organisation (all with teams, or the one named) two files in DIR (default: the current
directory), `signalen-<organisation>-<period>.json` and `.csv`, each with a `.sha256` beside it
(`sha256sum -c` checks it). Figures under the outside small-number rule only; see
docs/national-export.md.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.text import slugify

from maatwerk.accounts.models import Organisation
from maatwerk.audit import services as audit
from maatwerk.signals import export, report


class Command(BaseCommand):
    help = "Export the signal report per organisation under the outside rule (JSON, CSV, SHA-256)."

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="a year (2026) or quarter (2026-K3)")
        parser.add_argument("--organisation", help="the organisation's name (default: all)")
        parser.add_argument("--output", default=".", help="the directory to write to")

    def handle(self, *args, period: str, organisation: str | None, output: str, **options):
        chosen = report.parse_period(period)
        if chosen is None:
            raise CommandError("--period must be a year (2026) or a quarter (2026-K3).")
        organisations = Organisation.objects.filter(teams__isnull=False).distinct()
        if organisation:
            organisations = organisations.filter(name=organisation)
            if not organisations:
                raise CommandError(f"No organisation with teams is called {organisation!r}.")
        directory = Path(output)
        directory.mkdir(parents=True, exist_ok=True)
        now = timezone.now()
        for org in organisations.order_by("name"):
            data = export.payload(org, chosen, now=now)
            stem = f"signalen-{slugify(org.name)}-{chosen.key}"
            for suffix, content in ((".json", export.to_json(data)), (".csv", export.to_csv(data))):
                path = directory / f"{stem}{suffix}"
                path.write_bytes(content)
                (directory / f"{stem}{suffix}.sha256").write_text(
                    export.sidecar(content, path.name), encoding="utf-8"
                )
            audit.record(
                actor=None,
                action=audit.Action.EXPORT,
                object_type="signals.national_export",
                reason=f"national export {chosen.key}",
            )
            self.stdout.write(
                f"{stem}.json/.csv: {len(data['cells'])} regels, "
                f"{data['suppressed_cells']} onderdrukt."
            )
