"""Rebuild the full-text index of the regelbank and the library (after a restore or an import).

manage.py reindex_search
"""

from django.core.management.base import BaseCommand

from maatwerk.legal import search as legal_search
from maatwerk.library import search as library_search


class Command(BaseCommand):
    help = "Rebuild the full-text index of the regelbank and the library."

    def handle(self, *args, **options):
        rows = legal_search.reindex_all()
        examples = library_search.reindex_all()
        self.stdout.write(f"regelbank: {rows} rijen; bibliotheek: {examples} voorbeelden")
