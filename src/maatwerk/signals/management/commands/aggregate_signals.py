"""Import organisations' exports of the signal report into the national picture (issue 14, 6).

    manage.py aggregate_signals FILE.json [FILE.json …]

Each file is checked whole (`signals.national.check`: the published schema, the checksum in the
envelope and in `<file>.sha256` when that file exists, the outside small-number rule) and
refused with a message that names the problem; the files that pass are stored, each replacing
an earlier import of the same organisation and period. Exits with an error when any file was
refused.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from maatwerk.core.small_numbers import outside_rule
from maatwerk.signals import export, national, services


class Command(BaseCommand):
    help = "Check and import signal exports (JSON) of organisations into the national report."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+")

    def handle(self, *args, files: list[str], **options):
        rule = outside_rule()
        refused = 0
        for name in files:
            path = Path(name)
            try:
                data = path.read_bytes()
            except OSError as e:
                self.stderr.write(f"{name}: refused: cannot be read ({e.strerror})")
                refused += 1
                continue
            side = path.with_name(path.name + ".sha256")
            sidecar = side.read_text(encoding="utf-8") if side.exists() else None
            try:
                payload = national.check(data, rule, sidecar=sidecar)
            except national.ExportRefused as e:
                self.stderr.write(f"{name}: refused: {e}")
                refused += 1
                continue
            digest = export.checksum(export.canonical(payload))
            _source, replaced = services.store_national(payload, digest)
            self.stdout.write(
                f"{name}: {payload['organisation']['name']} {payload['period']}: "
                f"{len(payload['cells'])} cells, {payload['suppressed_cells']} suppressed"
                + (" (replaces the earlier import)" if replaced else "")
            )
        if refused:
            raise CommandError(f"{refused} of {len(files)} file(s) refused.")
