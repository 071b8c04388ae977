"""Write the monthly DDAS export of early signals (issue 15, item 6).

    manage.py export_ddas --month 2026-10 [--organisation "Gemeente …"] [--output DIR]

Per organisation with partners (all, or the one named) two files in DIR (default: the current
directory), `ddas-vroegsignalen-<organisation>-<month>.json` and `.csv`, each with a `.sha256`
beside it (`sha256sum -c` checks it); the JSON is checked against
partners/schemas/ddas-monthly.schema.json first. Audited. See docs/partners.md.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from maatwerk.accounts.models import Organisation
from maatwerk.audit import services as audit
from maatwerk.core import json_export
from maatwerk.partners import ddas


class Command(BaseCommand):
    help = "Export a month's early signals per organisation in the DDAS format (JSON, CSV)."

    def add_arguments(self, parser):
        parser.add_argument("--month", required=True, help="the month, e.g. 2026-10")
        parser.add_argument("--organisation", help="the organisation's name (default: all)")
        parser.add_argument("--output", default=".", help="the directory to write to")

    def handle(self, *args, month: str, organisation: str | None, output: str, **options):
        first = ddas.parse_month(month)
        if first is None:
            raise CommandError("--month must be a month, e.g. 2026-10.")
        organisations = Organisation.objects.filter(partners__isnull=False).distinct()
        if organisation:
            organisations = organisations.filter(name=organisation)
            if not organisations:
                raise CommandError(f"No organisation with partners is called {organisation!r}.")
        directory = Path(output)
        directory.mkdir(parents=True, exist_ok=True)
        now = timezone.now()
        for org in organisations.order_by("name"):
            data = ddas.payload(org, first, now=now)
            for suffix, content in (("json", ddas.to_json(data)), ("csv", ddas.to_csv(data))):
                path = directory / ddas.filename(org.name, first, suffix)
                path.write_bytes(content)
                path.with_name(path.name + ".sha256").write_text(
                    json_export.sidecar(content, path.name), encoding="utf-8"
                )
            audit.record(
                actor=None,
                action=audit.Action.EXPORT,
                object_type="partners.ddas_export",
                object_id=org.pk,
                organisation_id=org.pk,
                reason=f"DDAS monthly export {ddas.month_key(first)}",
            )
            self.stdout.write(
                f"{ddas.filename(org.name, first, 'json')}/.csv: "
                f"{len(data['vroegsignalen'])} signalen, "
                f"{len(data['vroegsignaalzaken'])} zaken."
            )
